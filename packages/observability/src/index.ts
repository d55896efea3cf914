export { createLogger } from './logger';
export type { Logger, LoggerOptions } from './logger';
export { createMetrics, DURATION_BUCKETS } from './metrics';
export { clusterQuery, clusterQueryDefaults, serveClusterQueries } from './cluster-query';
export type { ClusterAnswers, ClusterQuery, WorkerAnswer } from './cluster-query';
export type { Metrics, MetricsOptions } from './metrics';
export { requestLogging } from './request-logging';
export { REQUEST_ID_HEADER, requestIdOf } from './request-context';
