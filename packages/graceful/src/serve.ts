import cluster from 'node:cluster';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LOG_MESSAGES } from '@toasties/contract';
import { createDrainer } from './drain';
import { isWorkersMessage, WAIT_READY_ENV, type ListenFailedMessage, type ReadyMessage, type WorkerInfo } from './messages';

/** The part of a pino logger this package uses. */
export interface Logger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface ServeOptions {
  readonly port: number;
  readonly host: string;
  /** Reported to the primary in a cluster, and so in every worker's /health. */
  readonly version: string;
  /** Time between failing readiness and closing the listener, so traffic stops arriving first. */
  readonly shutdownDelayMs: number;
  /** Hard budget from the signal to exit; past it the process exits 1. */
  readonly shutdownTimeoutMs: number;
  /**
   * How long an idle keep-alive connection may stay open once draining starts (see
   * drain.ts). By default the server's keep-alive timeout plus a second: clients were
   * told (`Keep-Alive: timeout=5`) they may reuse a connection that long, and well-behaved
   * ones close it themselves first. Always capped by what is left of shutdownTimeoutMs.
   */
  readonly idleGraceMs: number | undefined;
  readonly logger: Logger;
  /** Whether this process could serve now. A replacement worker listens only once it says yes. */
  readonly readiness: () => Promise<boolean>;
  /** Called as soon as shutdown begins, e.g. to fail readiness. */
  readonly onShutdownStart: () => void;
  /** Called in order once every in-flight request has finished: close databases, clients. */
  readonly cleanups: ReadonlyArray<() => unknown>;
}

export const defaults: Omit<ServeOptions, 'port' | 'logger'> = {
  host: '127.0.0.1',
  version: 'dev',
  shutdownDelayMs: 0,
  shutdownTimeoutMs: 10_000,
  idleGraceMs: undefined,
  readiness: async () => true,
  onShutdownStart: () => undefined,
  cleanups: [],
};

export interface RunningServer {
  readonly server: Server;
  readonly port: number;
  readonly url: string;
  /** What a signal does; callable directly (e.g. after a fatal error). Resolves never: it exits. */
  shutdown(reason: string): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let announced: { workers: readonly WorkerInfo[]; reloading: boolean } = { workers: [], reloading: false };
/**
 * For /health: in a cluster, `{ workers: [{ pid, version }, …], reloading }`, every worker
 * serving now as last announced by the primary, so one answer tells whether a reload is done.
 */
export const clusterDetails = () => (announced.workers.length > 0 ? { ...announced } : {});

async function waitForReadiness(readiness: () => Promise<boolean>, logger: Logger): Promise<void> {
  logger.info({}, 'waiting for readiness before taking traffic');
  // The primary gives up on this worker (and kills it) if this takes too long.
  while (!(await readiness().catch(() => false))) await sleep(100);
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** Resolves once the message is on its way (or the primary is gone): a worker about to exit must not lose it. */
function tellPrimary(message: ReadyMessage | ListenFailedMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.connected || !process.send) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });
}

export async function serve(app: RequestListener, options: Partial<ServeOptions> & Pick<ServeOptions, 'port' | 'logger'>): Promise<RunningServer> {
  const { port, host, version, shutdownDelayMs, shutdownTimeoutMs, idleGraceMs, logger, readiness, onShutdownStart, cleanups } = { ...defaults, ...options };
  if (shutdownTimeoutMs <= shutdownDelayMs) {
    throw new Error(`shutdownTimeoutMs (${shutdownTimeoutMs}) must be greater than shutdownDelayMs (${shutdownDelayMs})`);
  }
  const inCluster = cluster.isWorker;
  if (inCluster && process.env[WAIT_READY_ENV] === '1') await waitForReadiness(readiness, logger);

  const server = createServer(app);
  // In-flight requests may run until our own deadline; the exit below then says 1.
  const drainer = createDrainer(server, shutdownTimeoutMs + 1000);
  try {
    await listen(server, port, host);
  } catch (error) {
    // An address that cannot be listened on (not ours, unresolvable, taken) is a configuration
    // error: a replacement worker would fail the same way, so the primary stops (cluster.ts).
    const { code, message } = error as NodeJS.ErrnoException;
    if (inCluster) await tellPrimary({ toasties: 'listen-failed', address: `${host}:${port}`, code: code ?? 'unknown', message });
    throw new Error(`cannot listen on ${host}:${port} (${code ?? 'unknown'})`, { cause: error });
  }
  const bound = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${bound}`;
  logger.info({ port: bound, url }, LOG_MESSAGES.listening);

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
    const budgetLeft = shutdownTimeoutMs - (Date.now() - started) - 500;
    await drainer.drain({ idleGraceMs: Math.max(0, Math.min(idleGraceMs ?? server.keepAliveTimeout + 1000, budgetLeft)) });
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

  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  if (inCluster) {
    // Ctrl-C (and a terminal's hang-up) reach every process of the group; the primary
    // answers them by sending SIGTERM to each worker, so a worker leaves them to it.
    process.on('SIGINT', () => undefined);
    process.on('SIGHUP', () => undefined);
    // A primary that died (kill -9) routes nothing to us any more, but the requests we hold
    // are still ours to answer: drain them, then go. Node's cluster worker exits at once
    // (code 0, requests dropped) when its channel closes unasked, unless the disconnect was
    // expected; it emits the worker's 'disconnect' just before deciding, so mark it here.
    // The listener is the primary's (closing ours is a no-op now), keep-alive connections
    // are ours: drain.ts answers what still arrives on them with Connection: close.
    cluster.worker?.once('disconnect', () => {
      cluster.worker!.exitedAfterDisconnect = true;
      if (!shuttingDown) void shutdown('primary gone'); // already draining: carry on (not a "second signal")
    });
    process.on('message', (message: unknown) => {
      if (isWorkersMessage(message)) announced = { workers: message.workers, reloading: message.reloading };
    });
    const ready: ReadyMessage = { toasties: 'ready', version };
    void tellPrimary(ready);
  } else {
    process.on('SIGINT', () => void shutdown('SIGINT'));
  }
  return { server, port: bound, url, shutdown };
}
