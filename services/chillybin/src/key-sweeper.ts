import type { Store } from './store/store';

/**
 * Expired keys forgotten outside requests, in bounded steps, so no request waits behind a huge
 * delete. Correctness never needs it: a claim forgets its own expired key first.
 */
export interface SweeperOptions {
  readonly batch: number;
  readonly pauseMs: number;
  readonly intervalMs: number;
  readonly now: () => number;
  readonly onError: (error: unknown) => void;
}

export const defaults: SweeperOptions = {
  batch: 500,
  pauseMs: 20,
  intervalMs: 60_000,
  now: () => Date.now(),
  onError: () => undefined,
};

export function sweepStep(store: Store, { batch, now }: Pick<SweeperOptions, 'batch' | 'now'> = defaults): Promise<number> {
  return store.transaction((t) => t.keys.sweep(now(), batch));
}

/** The timer never keeps the process alive. */
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
