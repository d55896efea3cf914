import type { Db } from '../../db';

/**
 * Everything done on one SQLite connection, in order, one at a time: an async transaction
 * body lets other requests run between its steps, and their statements would join the open
 * transaction. Work runs at once, in the caller's tick, when the line is free.
 */
export type Line = <T>(work: () => T | Promise<T>) => Promise<T>;

interface State {
  busy: boolean;
  readonly waiting: (() => boolean)[];
}

const lines = new WeakMap<Db, State>();

/** Every store over one connection shares it. */
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

/** True when `work` is done already; false when it hands the line on once its promise settles. */
function start<T>(line: State, work: () => T | Promise<T>, resolve: (value: T) => void, reject: (error: unknown) => void): boolean {
  let result: T | Promise<T>;
  try {
    result = work();
  } catch (error) {
    reject(error);
    return true;
  }
  // Any thenable: a Promise from another realm is still work in flight.
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

/** A loop, not a call per item: a long line would grow the stack. */
function handOn(line: State): void {
  for (let next = line.waiting.shift(); next; next = line.waiting.shift()) {
    if (!next()) return;
  }
  line.busy = false;
}
