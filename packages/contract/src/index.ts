/**
 * @toasties/contract — the one home of what the services, the scripts and the tests agree on.
 * Each part is a module of its own; nothing here does I/O or knows about HTTP frameworks.
 */

// Parts 1 and 5 (delivery): the /health shape, the log lines scripts and tests wait for, a service's deploy block.
export type { WorkerVersion, ClusterHealth, Liveness, CheckResult, ReadyBody } from './health';
export { LOG_MESSAGES, replacementStarted, replacementComplete, replacementStopped } from './log-events';
export type { ServiceDeployment } from './deployment';
