import type { LogWriter } from '@toasties/observability/log-writer';
import type { Slot, WorkerPool } from './worker-pool';

export interface RestartOptions {
  readonly logger: LogWriter<'error'>;
  /** First delay before replacing a crashed worker; doubles on each crash in a row. */
  readonly restartDelayMs: number;
  readonly maxRestartDelayMs: number;
}

/** A worker that lived this long before crashing resets the backoff. */
const STABLE_AFTER_MS = 10_000;

/** A release that crashes at once must not turn the primary into a fork loop. */
export function replaceCrashedWorkers(pool: WorkerPool, { logger, restartDelayMs, maxRestartDelayMs }: RestartOptions): (slot: Slot, code: number | null, signal: string | null) => void {
  let crashesInARow = 0;
  return (slot, code, signal) => {
    crashesInARow = Date.now() - slot.startedAt > STABLE_AFTER_MS ? 1 : crashesInARow + 1;
    const delay = Math.min(restartDelayMs * 2 ** (crashesInARow - 1), maxRestartDelayMs);
    logger.error({ workerPid: slot.worker.process.pid, code, signal, restartInMs: delay }, 'worker died; replacing it');
    setTimeout(() => {
      if (!pool.stopping) pool.start();
    }, delay);
  };
}
