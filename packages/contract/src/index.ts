/**
 * @toasties/contract — the one home of what the services, the scripts and the tests agree on.
 * Each part is a module of its own; nothing here does I/O or knows about HTTP frameworks.
 */

// Issue 13, part 1 (process model): the cluster IPC messages; part 6: the logger shape shared code writes to.
export * from './cluster-messages';
export type { LogLevel, LogWriter } from './log-writer';

// Parts 1 and 5 (delivery): the /health shape, the log lines scripts and tests wait for, a service's deploy block.
export type { WorkerVersion, ClusterHealth, Liveness, CheckResult, ReadyBody } from './health';
export { LOG_MESSAGES, replacementStarted, replacementComplete, replacementStopped } from './log-events';
export type { ServiceDeployment } from './deployment';
