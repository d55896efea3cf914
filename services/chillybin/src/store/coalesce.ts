/**
 * Writes of one kind that arrive while one is in flight wait, then go together: they all take
 * the same hot rows, so one COMMIT per disk flush is the most those rows can do
 * (docs/write-path.md). `run` must settle every write in its batch.
 */
export interface Pending<T, R> {
  readonly write: T;
  readonly resolve: (result: R) => void;
  readonly reject: (error: unknown) => void;
}

export function coalesceWhileInFlight<T, R>(run: (batch: readonly Pending<T, R>[]) => Promise<void>, maxBatch: number, gather?: () => Promise<void>): (kind: string, write: T) => Promise<R> {
  const waiting = new Map<string, Pending<T, R>[]>(); // a kind is here while a batch of it is in flight
  const drain = async (kind: string, first: Pending<T, R>): Promise<void> => {
    const queue = waiting.get(kind)!;
    for (let batch: readonly Pending<T, R>[] = [first]; batch.length > 0; batch = queue.splice(0, maxBatch)) {
      // A store whose transactions never yield (SQLite) waits for the rest of this event-loop turn instead.
      if (gather) {
        await gather();
        batch = [...batch, ...queue.splice(0, maxBatch - batch.length)];
      }
      // Through a promise even if `run` throws at once: the kind must leave `waiting`.
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

export interface Savepoint {
  mark(): unknown;
  keep(): unknown;
  undo(): unknown;
}

export type Settled<R> = { readonly ok: true; readonly value: R } | { readonly ok: false; readonly error: unknown };

/** Each write undone alone by its savepoint; a database fault is the transaction's, and fails all. */
export async function eachUndoneAlone<W extends (tables: never) => Promise<unknown>>(writes: readonly W[], tables: Parameters<W>[0], savepoint: Savepoint, isFault: (error: unknown) => boolean): Promise<Settled<unknown>[]> {
  if (writes.length === 1) return [{ ok: true, value: await writes[0]!(tables) }];
  const settled: Settled<unknown>[] = [];
  for (const write of writes) {
    await savepoint.mark();
    try {
      settled.push({ ok: true, value: await write(tables) });
      await savepoint.keep();
    } catch (error) {
      if (isFault(error)) throw error;
      await savepoint.undo();
      settled.push({ ok: false, error });
    }
  }
  return settled;
}
