import cluster from 'node:cluster';
import { rmSync, writeFileSync } from 'node:fs';
import { LOG_MESSAGES } from '@toasties/contract';
import type { LogWriter } from '@toasties/observability/log-writer';
import { replaceCrashedWorkers } from './crash-restarts';
import { urlOf } from './listen';
import { holdPort } from './primary-listener';
import { primaryShutdown } from './primary-shutdown';
import { rollingReloads } from './rolling-reload';
import { workerNodeArgs } from './worker-node-args';
import { createWorkerPool } from './worker-pool';

export interface PrimaryOptions {
  readonly workers: number;
  readonly logger: LogWriter<'info' | 'warn' | 'error'>;
  /** A replacement worker not ready within this long is given up on, and the reload stops. */
  readonly readyTimeoutMs: number;
  readonly shutdownTimeoutMs: number;
  /** First delay before replacing a crashed worker; doubles on each crash in a row. */
  readonly restartDelayMs: number;
  readonly maxRestartDelayMs: number;
  /** Starts at once compete for CPU with the workers serving meanwhile. */
  readonly reloadAtOnce: number;
  /** Given, the primary holds the port for as long as it lives (primary-listener.ts); not given, each
   * worker listens through node:cluster, whose port closes when the last worker is gone. */
  readonly port?: number | undefined;
  readonly host?: string | undefined;
  /** Runs on SIGTERM/SIGINT once every worker has exited, before the primary exits: closes what the primary itself holds open. */
  readonly afterWorkers?: (() => Promise<void>) | undefined;
}

/** Workers, the ready and shutdown timeouts and reloadAtOnce are the service's settings: given explicitly. */
export const primaryDefaults: Pick<PrimaryOptions, 'restartDelayMs' | 'maxRestartDelayMs'> = {
  restartDelayMs: 100,
  maxRestartDelayMs: 10_000,
};

type GivenPrimaryOptions = Partial<PrimaryOptions> & Pick<PrimaryOptions, 'logger' | 'workers' | 'readyTimeoutMs' | 'shutdownTimeoutMs' | 'reloadAtOnce'>;

export async function runPrimary(options: GivenPrimaryOptions): Promise<void> {
  const settings = { ...primaryDefaults, ...options };
  const { workers, logger, port, host = '127.0.0.1' } = settings;
  let connectionsPort: number | undefined;
  let takersChanged: (() => void) | undefined;
  cluster.setupPrimary({ execArgv: workerNodeArgs(process.execArgv, process.env['NODE_OPTIONS']) });
  const takers = { takers: () => pool.takers(), get stopping() { return pool.stopping; } };
  if (port !== undefined) ({ port: connectionsPort, takersChanged } = await holdPortOrGiveUp(port, host, takers));
  const pool = createWorkerPool({ ...settings, connectionsPort }, {
    crashed: (slot, code, signal) => replaceCrashed(slot, code, signal),
    cannotListen: (worker, message) => shutdown.cannotListen(worker, message),
    ready: () => {
      sayListeningOnce();
      takersChanged?.();
    },
  });
  // "listening" is what a client waits for before its first request: said when the first worker is
  // ready, so a request sent on that line finds a worker, never a 503.
  let saidListening = false;
  const sayListeningOnce = () => {
    if (connectionsPort === undefined || saidListening) return;
    saidListening = true;
    logger.info({ port: connectionsPort, url: urlOf(host, connectionsPort) }, LOG_MESSAGES.listening);
  };
  const replaceCrashed = replaceCrashedWorkers(pool, settings);
  const reload = rollingReloads(pool, logger, settings.reloadAtOnce);
  const shutdown = primaryShutdown(pool, settings);

  process.on('SIGHUP', () => reload(() => pool.size, 'reload'));
  process.on('SIGUSR2', () => reload(() => 1, 'canary'));
  process.on('SIGTERM', () => void shutdown.stop('SIGTERM'));
  process.on('SIGINT', () => void shutdown.stop('SIGINT'));

  logger.info({ workers, ...(connectionsPort !== undefined && { port: connectionsPort }) }, 'primary started');
  for (let i = 0; i < workers; i++) pool.start();
}

export type ProcessOptions = GivenPrimaryOptions & {
  /** Runs once, before any worker starts (e.g. database migrations). Not run in workers. */
  readonly beforeWorkers?: () => Promise<void>;
  readonly worker: () => Promise<void>;
  /** Where to write the pid to signal (the primary's, or the single process's). */
  readonly pidFile?: string | undefined;
};

/** Under runService, knowing nothing of HTTP apps. `workers: 0` runs everything in this one process. */
export async function runProcesses({ workers, beforeWorkers, worker, pidFile, ...primary }: ProcessOptions): Promise<void> {
  if (cluster.isWorker) return worker();
  if (pidFile) {
    writeFileSync(pidFile, `${process.pid}\n`);
    process.on('exit', () => rmSync(pidFile, { force: true }));
  }
  await beforeWorkers?.();
  if (workers === 0) return worker();
  await runPrimary({ ...primary, workers });
}

async function holdPortOrGiveUp(port: number, host: string, takers: Parameters<typeof holdPort>[2]): ReturnType<typeof holdPort> {
  try {
    return await holdPort(port, host, takers);
  } catch (error) {
    const { code } = error as NodeJS.ErrnoException;
    throw new Error(`cannot listen on ${host}:${port} (${code ?? 'unknown'}): check HOST and PORT`, { cause: error });
  }
}
