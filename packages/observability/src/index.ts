/**
 * @toasties/observability — structured logs and Prometheus metrics for the services.
 *
 *   const logger = createLogger({ service: 'jafflr', version, level: 'info' });
 *   const metrics = createMetrics({ version });          // its own registry
 *   app.use(requestLogging(logger), metrics.httpMetrics);
 *   app.get('/metrics', metrics.endpoint);
 *
 * Logs are one JSON object per line (what log shippers want); `format: 'pretty'` (a
 * service's LOG_FORMAT), or a terminal on stdout, prints them readably instead. Every request gets an id (the
 * caller's X-Request-Id, or a new one) that is logged, echoed and forwarded.
 *
 * In a cluster, call serveClusterQueries() in the primary: /metrics, answered by any
 * worker, then covers every worker (summed, each series keeping its `version` label); a
 * worker that does not answer in time is left out and named (cluster_worker_scrape_success).
 * clusterQuery() asks every worker the same way for anything else (jafflr's machine status).
 */
export { createLogger } from './logger';
export type { Logger, LoggerOptions } from './logger';
export { createMetrics, DURATION_BUCKETS } from './metrics';
export { clusterQuery, clusterQueryDefaults, serveClusterQueries } from './cluster-query';
export type { ClusterAnswers, ClusterQuery, WorkerAnswer } from './cluster-query';
export type { Metrics, MetricsOptions } from './metrics';
export { requestLogging } from './request-logging';
export { currentRequestId, REQUEST_ID_HEADER } from './request-context';
