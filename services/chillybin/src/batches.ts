/**
 * Writes of one kind that arrive while the last of their kind is still in flight wait, then
 * go together: on PostgreSQL every pick and every order takes the same few hot rows, and a
 * durable COMMIT holds them until its WAL is on disk, so one write per disk flush is the
 * most those rows can do, however many connections wait on them. Waiting here instead of on
 * the row lock costs no time, and the next flush then carries all of them.
 *
 * The first write of a kind goes at once, alone: nothing waits for company. `run` is given
 * each batch in arrival order and must settle every write in it (fulfil or reject each).
 */
export interface Pending<T, R> {
  readonly write: T;
  readonly resolve: (result: R) => void;
  readonly reject: (error: unknown) => void;
}

export function batchWhileInFlight<T, R>(run: (batch: readonly Pending<T, R>[]) => Promise<void>): (kind: string, write: T) => Promise<R> {
  const waiting = new Map<string, Pending<T, R>[]>(); // a kind is here while a batch of it is in flight
  const drain = async (kind: string, first: Pending<T, R>): Promise<void> => {
    for (let batch: readonly Pending<T, R>[] = [first]; batch.length > 0; batch = waiting.get(kind)!.splice(0)) {
      // Through a promise even if `run` throws at once: the kind must leave `waiting` whatever happens.
      await Promise.resolve()
        .then(() => run(batch))
        .catch((error: unknown) => batch.forEach((pending) => pending.reject(error)));
    }
    waiting.delete(kind);
  };
  return (kind, write) =>
    new Promise<R>((resolve, reject) => {
      const queue = waiting.get(kind);
      if (queue) return void queue.push({ write, resolve, reject });
      waiting.set(kind, []);
      void drain(kind, { write, resolve, reject });
    });
}
