import cluster from 'node:cluster';
import { createServer, type RequestListener, type Server } from 'node:http';
import { LOG_MESSAGES } from '@toasties/contract';
import type { LogWriter } from '@toasties/observability/log-writer';
import { CONNECTIONS_ENV, WAIT_READY_ENV } from './cluster-messages';
import type { ClusterStatus } from './cluster-status';
import { createDrainer } from './drain';
import { listen, waitForReadiness } from './listen';
import { createShutdown } from './shutdown';
import { stopOnSignals } from './signals';
import { joinCluster, takeConnections, tellPrimary } from './worker-channel';

export interface ServeOptions {
  readonly port: number;
  readonly host: string;
  readonly version: string;
  /** Between failing readiness and closing the listener, so traffic stops arriving first. */
  readonly shutdownDelayMs: number;
  readonly shutdownTimeoutMs: number;
  /** By default the keep-alive timeout plus a second: clients were told they may reuse a connection that
   * long, and well-behaved ones close it first. Capped by what is left of shutdownTimeoutMs. */
  readonly idleGraceMs: number | undefined;
  readonly logger: LogWriter<'info' | 'warn' | 'error'>;
  /** A replacement worker listens only once it says yes. */
  readonly readiness: () => Promise<boolean>;
  readonly onShutdownStart: () => void;
  readonly cleanups: ReadonlyArray<() => unknown>;
  readonly clusterStatus: ClusterStatus | undefined;
}

/** Port, host, version and the shutdown delay and timeout are the service's settings: given explicitly. */
export const defaults: Omit<ServeOptions, 'port' | 'host' | 'version' | 'shutdownDelayMs' | 'shutdownTimeoutMs' | 'logger'> = {
  idleGraceMs: undefined,
  readiness: async () => true,
  onShutdownStart: () => undefined,
  cleanups: [],
  clusterStatus: undefined,
};

export interface RunningServer {
  readonly server: Server;
  readonly port: number;
  readonly url: string;
  /** Callable directly (e.g. after a fatal error). Resolves never: it exits. */
  shutdown(reason: string): Promise<void>;
}

export async function serve(app: RequestListener, options: Partial<ServeOptions> & Pick<ServeOptions, 'port' | 'host' | 'version' | 'shutdownDelayMs' | 'shutdownTimeoutMs' | 'logger'>): Promise<RunningServer> {
  const settings = { ...defaults, ...options };
  const { port, host, version, shutdownDelayMs, shutdownTimeoutMs, logger, readiness, clusterStatus } = settings;
  if (shutdownTimeoutMs <= shutdownDelayMs) {
    throw new Error(`shutdownTimeoutMs (${shutdownTimeoutMs}) must be greater than shutdownDelayMs (${shutdownDelayMs})`);
  }
  const inCluster = cluster.isWorker;
  if (inCluster && process.env[WAIT_READY_ENV] === '1') await waitForReadiness(readiness, logger);

  const server = createServer(app);
  // In-flight requests may run until our own deadline; the exit below then says 1.
  const drainer = createDrainer(server, shutdownTimeoutMs + 1000);
  const fromPrimary = inCluster ? process.env[CONNECTIONS_ENV] : undefined;
  let bound: { port: number; url: string };
  if (fromPrimary === undefined) {
    bound = await listenOrGiveUp(server, port, host, inCluster);
    logger.info(bound, LOG_MESSAGES.listening);
  } else {
    // The primary says "listening" once a worker has told it it is ready (cluster.ts):
    // said here, a client could arrive before the primary knows of any worker.
    bound = takeConnections(server, Number(fromPrimary), host);
  }

  const shutdown = createShutdown(server, drainer, {
    ...settings,
    onShutdownStart() {
      if (inCluster) void tellPrimary({ toasties: 'draining' }); // no new connection comes here
      settings.onShutdownStart();
    },
  });
  stopOnSignals(shutdown, inCluster);
  if (inCluster) joinCluster({ version, shutdown, clusterStatus });
  return { server, ...bound, shutdown: (reason) => shutdown.begin(reason) };
}

/** A replacement worker would fail the same way, so the primary stops (cluster.ts). */
async function listenOrGiveUp(server: Server, port: number, host: string, inCluster: boolean): Promise<{ port: number; url: string }> {
  try {
    return await listen(server, port, host);
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    if (inCluster) await tellPrimary({ toasties: 'listen-failed', address: `${host}:${port}`, code: code ?? 'unknown', message });
    throw new Error(`cannot listen on ${host}:${port} (${code ?? 'unknown'})`, { cause: error });
  }
}
