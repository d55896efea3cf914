/**
 * Writes that arrive while one is in flight wait, then go together: every pick and order takes
 * the same few hot rows, and a durable COMMIT holds them until its WAL is on disk, so one write
 * per disk flush is the most those rows can do, however many connections wait on them. Waiting
 * here instead of on the row lock costs no time, and the next flush then carries all of them.
 *
 * The first write goes at once, alone: nothing waits for company. `run` is given each batch in
 * arrival order, at most `maxBatch` at a time, and must settle every write in it (fulfil or
 * reject each).
 */
export interface Pending<T, R> {
  readonly write: T;
  readonly resolve: (result: R) => void;
  readonly reject: (error: unknown) => void;
}

export function coalesceWhileInFlight<T, R>(run: (batch: readonly Pending<T, R>[]) => Promise<void>, maxBatch: number): (write: T) => Promise<R> {
  let waiting: Pending<T, R>[] | undefined; // set while a batch is in flight
  const drain = async (first: Pending<T, R>): Promise<void> => {
    for (let batch: readonly Pending<T, R>[] = [first]; batch.length > 0; batch = waiting!.splice(0, maxBatch)) {
      // Through a promise even if `run` throws at once: `waiting` must be cleared whatever happens.
      await Promise.resolve()
        .then(() => run(batch))
        .catch((error: unknown) => batch.forEach((pending) => pending.reject(error)));
    }
    waiting = undefined;
  };
  return (write) =>
    new Promise<R>((resolve, reject) => {
      if (waiting) return void waiting.push({ write, resolve, reject });
      waiting = [];
      void drain({ write, resolve, reject });
    });
}
