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
 * Several processes: `runService({ workers, ... })` makes this process a small primary
 * that holds the socket, and runs `worker()` in each of `workers` node:cluster workers
 * (cluster.ts: SIGHUP reloads them one by one with no failed request).
 */
export { serve, defaults, clusterDetails } from './serve';
export type { ServeOptions, RunningServer } from './serve';
export { runPrimary, primaryDefaults } from './cluster';
export type { PrimaryOptions } from './cluster';
export { runService } from './run-service';
export type { RunServiceOptions } from './run-service';
