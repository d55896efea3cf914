import { replacementComplete, replacementStarted, replacementStopped, type LogWriter } from '@toasties/contract';
import type { Slot, WorkerPool } from './worker-pool';

/** A reload replaces every worker (SIGHUP); a canary, one (SIGUSR2). */
export type ReloadKind = 'reload' | 'canary';

/**
 * Rolling reloads, one after another: a signal that arrives during a reload queues the next.
 * One that fails must not stop the ones queued after it.
 */
export function rollingReloads(pool: WorkerPool, logger: LogWriter<'info' | 'error'>): (count: () => number, what: ReloadKind) => void {
  let queue: Promise<void> = Promise.resolve();
  return (count, what) => {
    queue = queue.then(() => pool.whileReloading(() => replaceWorkers(pool, logger, count(), what))).catch((error: Error) => logger.error({ err: error.message }, `${what} failed`));
  };
}

/**
 * One worker at a time: fork its replacement (which loads the code on disk now), wait until
 * it is listening and ready, then drain the old one. A replacement that is not ready in time
 * is stopped and the reload ends there; the workers still running keep serving.
 */
async function replaceWorkers(pool: WorkerPool, logger: LogWriter<'info' | 'error'>, count: number, what: ReloadKind): Promise<void> {
  const old = pool.current().slice(0, count);
  logger.info({ replacing: old.length }, replacementStarted(what));
  for (const slot of old) {
    if (pool.stopping) return;
    const { slot: candidate, ready } = pool.fork(true);
    let fresh: Slot;
    try {
      fresh = await ready;
    } catch (error) {
      // It never listened (it waits for readiness first), so stopping it drops nothing.
      pool.discard(candidate);
      logger.error({ err: (error as Error).message, serving: pool.serving() }, replacementStopped(what));
      return;
    }
    // The old worker drains in the background: its replacement already serves, and a
    // drain may wait out a client's keep-alive timeout (drain.ts).
    void pool.retire(slot);
    logger.info({ from: slot.version, to: fresh.version }, 'worker replaced');
  }
  logger.info({ serving: pool.serving() }, replacementComplete(what));
}
