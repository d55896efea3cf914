import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpTerminator } from 'http-terminator';

/** The part of a pino logger this package uses. */
export interface Logger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface ServeOptions {
  readonly port: number;
  readonly host: string;
  /** Time between failing readiness and closing the listener, so traffic stops arriving first. */
  readonly shutdownDelayMs: number;
  /** Hard budget from the signal to exit; past it the process exits 1. */
  readonly shutdownTimeoutMs: number;
  readonly logger: Logger;
  /** Called as soon as shutdown begins, e.g. to fail readiness. */
  readonly onShutdownStart: () => void;
  /** Called in order once every in-flight request has finished: close databases, clients. */
  readonly cleanups: ReadonlyArray<() => unknown>;
  readonly signals: readonly NodeJS.Signals[];
}

export const defaults: Omit<ServeOptions, 'port' | 'logger'> = {
  host: '127.0.0.1',
  shutdownDelayMs: 0,
  shutdownTimeoutMs: 10_000,
  onShutdownStart: () => undefined,
  cleanups: [],
  signals: ['SIGTERM', 'SIGINT'],
};

export interface RunningServer {
  readonly server: Server;
  readonly port: number;
  readonly url: string;
  /** What a signal does; callable directly (e.g. after a fatal error). Resolves never: it exits. */
  shutdown(reason: string): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function serve(
  app: RequestListener,
  options: Partial<ServeOptions> & Pick<ServeOptions, 'port' | 'logger'>,
): Promise<RunningServer> {
  const { port, host, shutdownDelayMs, shutdownTimeoutMs, logger, onShutdownStart, cleanups, signals } = { ...defaults, ...options };
  if (shutdownTimeoutMs <= shutdownDelayMs) {
    throw new Error(`shutdownTimeoutMs (${shutdownTimeoutMs}) must be greater than shutdownDelayMs (${shutdownDelayMs})`);
  }

  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${bound}`;
  logger.info({ port: bound, url }, 'listening');

  // http-terminator's own timeout is set beyond ours: if requests are still running
  // when our budget ends, the exit below is the one that happens, and it says 1.
  const terminator = createHttpTerminator({ server, gracefulTerminationTimeout: shutdownTimeoutMs + 1000 });
  let shuttingDown = false;

  async function shutdown(reason: string): Promise<void> {
    if (shuttingDown) {
      logger.warn({ reason }, 'shutdown forced by a second signal');
      process.exit(1);
    }
    shuttingDown = true;
    const started = Date.now();
    const force = setTimeout(() => {
      logger.error({ shutdownTimeoutMs }, 'shutdown took too long; exiting now');
      process.exit(1);
    }, shutdownTimeoutMs);

    logger.info({ reason, shutdownDelayMs }, 'shutting down: readiness now fails');
    onShutdownStart();
    await sleep(shutdownDelayMs);
    logger.info({}, 'draining in-flight requests');
    await terminator.terminate();
    for (const cleanup of cleanups) {
      try {
        await cleanup();
      } catch (error) {
        logger.error({ err: error }, 'cleanup failed');
      }
    }
    clearTimeout(force);
    logger.info({ ms: Date.now() - started }, 'shutdown complete');
    process.exit(0);
  }

  for (const signal of signals) process.on(signal, () => void shutdown(signal));
  return { server, port: bound, url, shutdown };
}
