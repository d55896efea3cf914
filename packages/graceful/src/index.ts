/**
 * @toasties/graceful — run an HTTP service so that stopping or replacing it loses nothing.
 *
 * One process:
 *
 *   const running = await serve(app, {
 *     port, host, version, shutdownDelayMs, shutdownTimeoutMs, logger,
 *     readiness: async () => (await health.readiness()).ready,
 *     onShutdownStart: health.beginShutdown,   // readiness fails first
 *     cleanups: [() => db.close()],            // after the last request has finished
 *   });
 *
 * On SIGTERM (or SIGINT): readiness fails → wait shutdownDelayMs (load balancers notice)
 * → stop accepting and drain keep-alive-safely (drain.ts) → cleanups → exit 0. Not done
 * within shutdownTimeoutMs of the signal → exit 1. A second signal forces it.
 *
 * A service: `runService({ name, config, logger, beforeWorkers, worker })` (run-service.ts)
 * is the whole of its main(): a primary holding the port and `WORKERS` node:cluster workers
 * (cluster.ts: SIGHUP replaces them, each old one only once its replacement is ready), each
 * serving the app its `worker` build returns, with /health listing the workers, readiness
 * from its checks, and its cleanups after the last request. Import it from
 * `@toasties/graceful/run-service`, which loads nothing a primary does not need.
 *
 * Where each step lives: a worker takes traffic (listen.ts), stops (shutdown.ts, on the
 * signals of signals.ts) and talks to its primary (worker-channel.ts); the primary keeps
 * its workers (worker-pool.ts), replaces crashed ones (crash-restarts.ts), reloads them
 * (rolling-reload.ts) and stops them (primary-shutdown.ts).
 */
export { serve, defaults } from './serve';
export { createClusterStatus } from './cluster-status';
export type { ClusterDetails, ClusterStatus } from './cluster-status';
export type { ServeOptions, RunningServer } from './serve';
export { runPrimary, runProcesses, primaryDefaults } from './cluster';
export type { PrimaryOptions, ProcessOptions } from './cluster';
export { runService } from './run-service';
export type { RunServiceOptions, ServiceParts, WorkerBuild, WorkerRuntime } from './run-service';
