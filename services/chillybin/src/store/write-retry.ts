import { setTimeout as sleep } from 'node:timers/promises';
import { databaseFault } from '../database-faults';
import { OutcomeUnknown } from '../domain-errors';

/**
 * Every write transaction goes through here. better-sqlite3 is synchronous, so a lock wait in
 * busy_timeout freezes the worker: the connection waits briefly and the rest of the wait is
 * paused on a timer with the event loop free (docs/reliability.md). A 'busy' fault rolled the
 * transaction back whole, so a retry is safe.
 */

/** A sibling worker's transaction takes far less. */
export const SERVICE_BUSY_TIMEOUT_MS = 20;

export interface RetryOptions {
  readonly lockWaitMs: number;
  /** Doubles after each attempt, up to maxPauseMs. */
  readonly firstPauseMs: number;
  readonly maxPauseMs: number;
  readonly onWait: () => void;
  readonly now: () => number;
}

export const defaults: Omit<RetryOptions, 'lockWaitMs'> = {
  firstPauseMs: 5,
  maxPauseMs: 100,
  onWait: () => undefined,
  now: () => performance.now(),
};

export interface WriteRetry {
  run<T>(attempt: () => Promise<T>): Promise<T>;
  /** Rejects after a database fault until a probe write succeeds, so readiness recovers without traffic. */
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
