/**
 * Writes of one kind that arrive while one of their kind is in flight wait, then go together: every pick and order takes
 * the same few hot rows, and a durable COMMIT holds them until its WAL is on disk, so one write
 * per disk flush is the most those rows can do, however many connections wait on them. Waiting
 * here instead of on the row lock costs no time, and the next flush then carries all of them.
 *
 * The first write goes at once, alone: nothing waits for company (unless `gather` says how
 * long to wait for it). `run` is given each batch in
 * arrival order, at most `maxBatch` at a time, and must settle every write in it (fulfil or
 * reject each).
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
      // A store whose transactions never yield (SQLite) has nothing in flight to wait behind:
      // it waits for the rest of this turn of the event loop instead, then takes what came.
      if (gather) {
        await gather();
        batch = [...batch, ...queue.splice(0, maxBatch - batch.length)];
      }
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

/** How a store marks, keeps and undoes one write of a shared transaction (savepoints). */
export interface Savepoint {
  mark(): unknown;
  keep(): unknown;
  undo(): unknown;
}

export type Settled<R> = { readonly ok: true; readonly value: R } | { readonly ok: false; readonly error: unknown };

/**
 * Run a batch's writes one after the other in one open transaction, each undone alone when it
 * throws (its savepoint), so one bad write fails only itself and each sees the stock as the
 * writes before it left it: as if taken alone, in the order they came. A database fault is
 * the transaction's, not the write's: it is thrown, failing all of them.
 */
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

/**
 * Run a batch's writes one after the other in one open transaction, without savepoints (each
 * costs PostgreSQL two round trips while the hot rows are held): their values, or undefined
 * when one threw, for the caller to roll the whole transaction back and run each alone. A
 * database fault is the transaction's: it is thrown.
 */
export async function allOrNone<W extends (tables: never) => Promise<unknown>>(writes: readonly W[], tables: Parameters<W>[0], isFault: (error: unknown) => boolean): Promise<unknown[] | undefined> {
  const values: unknown[] = [];
  for (const write of writes) {
    try {
      values.push(await write(tables));
    } catch (error) {
      if (isFault(error) || writes.length === 1) throw error;
      return undefined;
    }
  }
  return values;
}

