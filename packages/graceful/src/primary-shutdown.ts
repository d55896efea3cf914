import type { Worker } from 'node:cluster';
import type { LogWriter } from '@toasties/observability/log-writer';
import type { ListenFailedMessage } from './cluster-messages';
import type { WorkerPool } from './worker-pool';

export interface PrimaryShutdown {
  /** 0 when every worker exited cleanly, else 1; `exitCode` 1 exits 1 regardless (a fatal condition, not a stop). */
  stop(signal: string, exitCode?: 0 | 1): Promise<void>;
  /** No worker could ever listen on that address: replacing them forever would hide it. */
  cannotListen(worker: Worker, message: ListenFailedMessage): void;
}

export function primaryShutdown(pool: WorkerPool, { logger, shutdownTimeoutMs, afterWorkers }: { logger: LogWriter<'info' | 'error'>; shutdownTimeoutMs: number; afterWorkers?: (() => Promise<void>) | undefined }): PrimaryShutdown {
  async function stop(signal: string, exitCode: 0 | 1 = 0): Promise<void> {
    if (pool.stopping) return;
    logger.info({ signal, workers: pool.size }, 'shutting down: draining every worker');
    const force = setTimeout(() => {
      logger.error({ shutdownTimeoutMs }, 'workers took too long to drain; exiting now');
      pool.killAll();
      process.exit(1);
    }, shutdownTimeoutMs + 1000);
    const codes = await pool.stopAll();
    await afterWorkers?.().catch((error: unknown) => logger.error({ err: error }, 'closing what the primary holds open failed'));
    clearTimeout(force);
    if (exitCode !== 0) {
      // The reason was logged when it happened; workers stopped before they could listen have no clean exit to report.
      logger.info({ codes }, 'every worker stopped');
      process.exit(exitCode);
    }
    const clean = codes.every((code) => code === 0);
    logger.info({ codes }, clean ? 'shutdown complete' : 'shutdown complete, but a worker did not exit cleanly');
    process.exit(clean ? 0 : 1);
  }

  return {
    stop,
    cannotListen(worker, { address, code, message }) {
      if (pool.stopping) return; // every worker reports it; the first one says it all
      logger.error({ workerPid: worker.process.pid, address, code, err: message }, `a worker cannot listen on ${address} (${code}): check HOST and PORT; exiting`);
      void stop('listen failed', 1);
    },
  };
}
