/**
 * @toasties/graceful — run an HTTP server so that stopping it loses nothing.
 *
 *   const running = await serve(app, {
 *     port, host, shutdownDelayMs, shutdownTimeoutMs, logger,
 *     onShutdownStart: health.beginShutdown,   // readiness fails first
 *     cleanups: [() => db.close()],            // after the last request has finished
 *   });
 *
 * On SIGTERM or SIGINT: readiness fails → wait shutdownDelayMs (load balancers notice)
 * → stop accepting, let in-flight requests finish (http-terminator) → cleanups → exit 0.
 * Not done within shutdownTimeoutMs of the signal → exit 1. A second signal forces it.
 */
export { serve, defaults } from './serve';
export type { ServeOptions, RunningServer, Logger } from './serve';
