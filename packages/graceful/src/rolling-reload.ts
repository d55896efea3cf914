import { replacementComplete, replacementStarted, replacementStopped } from '@toasties/contract';
import type { LogWriter } from '@toasties/observability/log-writer';
import type { Slot, WorkerPool } from './worker-pool';

/** A reload replaces every worker (SIGHUP); a canary, one (SIGUSR2). */
export type ReloadKind = 'reload' | 'canary';

/** A signal during a reload queues the next; one that fails must not stop the ones queued after it. */
export function rollingReloads(pool: WorkerPool, logger: LogWriter<'info' | 'error'>, atOnce: number): (count: () => number, what: ReloadKind) => void {
  let queue: Promise<void> = Promise.resolve();
  const batch = Math.max(1, Math.floor(atOnce));
  return (count, what) => {
    queue = queue.then(() => pool.whileReloading(() => replaceWorkers(pool, logger, count(), what, batch))).catch((error: Error) => logger.error({ err: error.message }, `${what} failed`));
  };
}

/** Each old worker drains once its own replacement is ready, so at least the old number serves throughout;
 * a replacement not ready in time is stopped, and the reload ends once its batch has settled. */
async function replaceWorkers(pool: WorkerPool, logger: LogWriter<'info' | 'error'>, count: number, what: ReloadKind, atOnce: number): Promise<void> {
  const old = pool.current().slice(0, count);
  logger.info({ replacing: old.length }, replacementStarted(what));
  for (let next = 0; next < old.length; next += atOnce) {
    if (pool.stopping) return;
    const failures = (await Promise.all(old.slice(next, next + atOnce).map((slot) => replace(pool, logger, slot)))).filter((error) => error !== undefined);
    if (failures.length > 0) {
      logger.error({ err: failures[0]!.message, serving: pool.serving() }, replacementStopped(what));
      return;
    }
  }
  logger.info({ serving: pool.serving() }, replacementComplete(what));
}

async function replace(pool: WorkerPool, logger: LogWriter<'info'>, slot: Slot): Promise<Error | undefined> {
  const { slot: candidate, ready } = pool.fork(true);
  let fresh: Slot;
  try {
    fresh = await ready;
  } catch (error) {
    // It never listened (it waits for readiness first), so stopping it drops nothing.
    pool.discard(candidate);
    return error as Error;
  }
  // The old worker drains in the background: its replacement already serves, and a
  // drain may wait out a client's keep-alive timeout (drain.ts).
  void pool.retire(slot);
  logger.info({ from: slot.version, to: fresh.version }, 'worker replaced');
  return undefined;
}
