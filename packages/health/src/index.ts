// Liveness never looks at dependencies: restarting a process because its database is slow makes
// things worse. Readiness also fails once the process is shutting down.
export { createHealth, defaults } from './health';
export type { Health, HealthOptions, HealthRoute, Check, Readiness } from './health';
// The bodies' shapes are the contract's: scripts read them too.
export type { CheckResult, Liveness, ReadyBody } from '@toasties/contract';
