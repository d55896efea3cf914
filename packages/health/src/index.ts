/**
 * @toasties/health — liveness and readiness for a service.
 *
 *   const health = createHealth({ service: 'chillybin', version, checks: { database: () => db.ping() } });
 *   app.use(health.router);      // GET /health and GET /health/ready
 *   health.beginShutdown();      // readiness fails from now on (called by @toasties/graceful)
 *
 * Liveness answers "is this process working at all?" and never looks at dependencies:
 * restarting a process because its database is slow makes things worse. Readiness
 * answers "should traffic come here?": every named check passes within its timeout and
 * the process is not shutting down.
 */
export { createHealth, defaults } from './health';
export type { Health, HealthOptions, HealthRoute, Check, Readiness } from './health';
// The bodies' shapes are the contract's: scripts read them too.
export type { CheckResult, Liveness, ReadyBody } from '@toasties/contract';
