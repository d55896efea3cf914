import type { Store } from './store/store';

/**
 * Expired idempotency keys are forgotten here, outside any customer's request, in bounded
 * steps: each step is one short transaction that deletes at most `batch` keys, so no request
 * ever waits behind an unbounded delete (a day of keyed traffic can be 500,000 keys). While
 * steps come back full, the next follows after `pauseMs` (requests run in between); once the
 * backlog is gone, every `intervalMs`. The same rule on both backends: the tables' `sweep`.
 *
 * A request never needs the sweep to be right: claiming a key forgets that one key first when
 * it has expired (each keys table's `claim`).
 */
export interface SweeperOptions {
  readonly batch: number;
  readonly pauseMs: number;
  readonly intervalMs: number;
  /** The clock, in epoch milliseconds (tests move it). */
  readonly now: () => number;
  /** Told of a step that failed (a busy or unreachable database): the next step tries again. */
  readonly onError: (error: unknown) => void;
}

export const defaults: SweeperOptions = {
  batch: 500,
  pauseMs: 20,
  intervalMs: 60_000,
  now: () => Date.now(),
  onError: () => undefined,
};

/** One step: how many expired keys it forgot (at most `batch`). */
export function sweepStep(store: Store, { batch, now }: Pick<SweeperOptions, 'batch' | 'now'> = defaults): Promise<number> {
  return store.transaction((t) => t.keys.sweep(now(), batch));
}

/** Sweep in steps until stopped; the timer never keeps the process alive. */
export function startKeySweeper(store: Store, options: Partial<SweeperOptions> = {}): { stop(): void } {
  const settings = { ...defaults, ...options };
  if (!(settings.batch >= 1)) throw new RangeError('the sweeper batch must be at least 1');
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const step = async () => {
    let full = false;
    try {
      full = (await sweepStep(store, settings)) === settings.batch;
    } catch (error) {
      settings.onError(error);
    }
    if (!stopped) timer = setTimeout(() => void step(), full ? settings.pauseMs : settings.intervalMs).unref();
  };
  timer = setTimeout(() => void step(), settings.pauseMs).unref();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
