import type { Db } from '../../db';

/**
 * One connection, one transaction at a time: private to the SQLite store. The tables return
 * promises (so a PostgreSQL store can implement them too), and an async transaction body lets
 * other requests run between its steps: on one SQLite connection their statements would join
 * the open transaction (and roll back with it). So everything done on the connection goes
 * through this line, in the order it was asked for: while one piece of work is running (a
 * transaction waiting for its body), the next ones wait their turn.
 *
 * When nothing is running or waiting (nearly always: better-sqlite3's statements are
 * synchronous, so a transaction is open for a few microtasks at most), the work runs at once,
 * in the caller's tick: no promise hop per statement.
 */
export type Line = <T>(work: () => T | Promise<T>) => Promise<T>;

interface State {
  busy: boolean;
  /** Each starts its work and says whether it is done already (else it hands the line on itself). */
  readonly waiting: (() => boolean)[];
}

const lines = new WeakMap<Db, State>();

/** The line of this connection: every store over one connection shares it. */
export function lineOf(db: Db): Line {
  let state = lines.get(db);
  if (!state) lines.set(db, (state = { busy: false, waiting: [] }));
  const held = state;
  return <T>(work: () => T | Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      const begin = () => start(held, work, resolve, reject);
      if (held.busy) return void held.waiting.push(begin);
      held.busy = true;
      if (begin()) handOn(held);
    });
}

/** Start `work` on the line it holds: true when it is done already, false when it hands the line on once its promise settles. */
function start<T>(line: State, work: () => T | Promise<T>, resolve: (value: T) => void, reject: (error: unknown) => void): boolean {
  let result: T | Promise<T>;
  try {
    result = work();
  } catch (error) {
    reject(error);
    return true;
  }
  // Any thenable, not only this realm's Promise: one from another realm is still work in flight.
  if (typeof (result as { then?: unknown } | null | undefined)?.then !== 'function') {
    resolve(result as T);
    return true;
  }
  (result as Promise<T>).then(
    (value) => (handOn(line), resolve(value)),
    (error: unknown) => (handOn(line), reject(error)),
  );
  return false;
}

/** The next in line run in turn, in a loop (not a call per item: a long line would grow the stack); then the line is free. */
function handOn(line: State): void {
  for (let next = line.waiting.shift(); next; next = line.waiting.shift()) {
    if (!next()) return;
  }
  line.busy = false;
}
