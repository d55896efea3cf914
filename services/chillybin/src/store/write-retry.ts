import { setTimeout as sleep } from 'node:timers/promises';
import { databaseFault } from '../database-faults';
import { OutcomeUnknown } from '../domain-errors';

/**
 * Every write transaction of either store goes through here, for two reasons.
 *
 * Waiting for a lock without freezing the process. better-sqlite3 is synchronous: while a
 * statement waits for another connection's lock (busy_timeout), the whole worker waits
 * with it: no other request, not even /health, is answered. So the connection's own wait
 * is short (SERVICE_BUSY_TIMEOUT_MS, enough for another worker's ordinary transaction), and
 * a write that still finds the database locked is tried again after a pause on a timer,
 * during which the event loop serves everyone else, until `lockWaitMs` is used up. Then
 * it fails with SQLITE_BUSY, which the API answers 503 database_busy. A write is one
 * transaction that a 'busy' fault rolled back whole, so a retry is safe.
 *
 * On PostgreSQL a lock wait does not block the process (the server waits, up to
 * lock_timeout), but two transactions can still get in each other's way: a deadlock
 * (40P01) or a serialization failure (40001) rolls one back whole. Both are 'busy' faults
 * (database-faults.ts), so the same loop tries such a write again within the same budget.
 *
 * Knowing whether writes work, for readiness. A write that fails because of the database
 * (locked past the wait, disk full, I/O error, an outcome it could not learn) makes `check()`
 * fail; from then on each readiness check tries a probe write, and the first that succeeds
 * makes it pass again. Without traffic (a load balancer stops sending it to a worker that is
 * not ready) the worker still finds out by itself when the disk has space again or the lock
 * is gone.
 */

/** What the service sets busy_timeout to: a sibling worker's transaction takes far less. */
export const SERVICE_BUSY_TIMEOUT_MS = 20;

export interface RetryOptions {
  /** How long one write waits, in all, for a lock held by another process. */
  readonly lockWaitMs: number;
  /** The first pause between attempts; each next one is twice as long, up to maxPauseMs. */
  readonly firstPauseMs: number;
  readonly maxPauseMs: number;
  /** Called once for each write that has to wait for the lock (a log line). */
  readonly onWait: () => void;
  readonly now: () => number;
}

/** `lockWaitMs` has none: it is a setting (SQLITE_LOCK_WAIT_MS, DATABASE_RETRY_WINDOW_MS), given by the caller. */
export const defaults: Omit<RetryOptions, 'lockWaitMs'> = {
  firstPauseMs: 5,
  maxPauseMs: 100,
  onWait: () => undefined,
  now: () => performance.now(),
};

export interface WriteRetry {
  /** Run one write transaction, trying it again while the database is busy, as described above. */
  run<T>(attempt: () => Promise<T>): Promise<T>;
  /** For readiness: rejects while writes fail (the last failure, until a probe write succeeds). */
  check(): Promise<void>;
}

export function createWriteRetry(probe: () => Promise<void>, options: Pick<RetryOptions, 'lockWaitMs'> & Partial<RetryOptions>): WriteRetry {
  const { lockWaitMs, firstPauseMs, maxPauseMs, onWait, now } = { ...defaults, ...options };
  let failure: Error | undefined;

  return {
    async run(attempt) {
      const deadline = now() + lockWaitMs;
      for (let tried = 0; ; tried++) {
        try {
          return await attempt();
        } catch (error) {
          const fault = databaseFault(error);
          const pause = Math.min(firstPauseMs * 2 ** tried, maxPauseMs);
          if (fault === 'busy' && now() + pause <= deadline) {
            if (tried === 0) onWait();
            await sleep(pause);
            continue;
          }
          if (fault || error instanceof OutcomeUnknown) failure = error as Error;
          throw error;
        }
      }
    },
    async check() {
      if (!failure) return;
      try {
        await probe();
        failure = undefined;
      } catch (error) {
        if (!databaseFault(error)) throw error;
        failure = error as Error;
        throw new Error(`writes fail: ${failure.message}`, { cause: error });
      }
    },
  };
}
