import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { SqliteTx } from './transaction';

export type Db = Database.Database;

export type Synchronous = 'NORMAL' | 'FULL';

export interface DatabaseOptions {
  readonly synchronous: Synchronous;
  /**
   * How long one statement waits for another connection's lock. better-sqlite3 is
   * synchronous, so this wait blocks the whole process: the service keeps it short and
   * waits longer between attempts, with the event loop free (see writes.ts). The CLIs
   * (migrate, backup) have nothing else to do and wait 5 s.
   */
  readonly busyTimeoutMs: number;
  /** PRAGMA max_page_count: a cap on the file's size (tests use it for a full disk). */
  readonly maxPageCount?: number | undefined;
}

export const defaults: DatabaseOptions = {
  synchronous: 'NORMAL',
  busyTimeoutMs: 5000,
};

/**
 * Open the database once per process, set up for a web service:
 * - WAL: readers never block the writer, and a crashed process loses nothing committed.
 * - synchronous: NORMAL (the default) survives a process crash; only an OS crash or
 *   power cut can lose the last transactions. FULL survives those too, at the cost of
 *   an fsync per commit (measured in docs/durability.md).
 * - busy_timeout: a second process (a worker, the migrate CLI) waits instead of failing.
 * - foreign_keys: SQLite leaves them off unless asked.
 */
export function openDatabase(path: string, options: Partial<DatabaseOptions> = {}): Db {
  const { synchronous, busyTimeoutMs, maxPageCount } = { ...defaults, ...options };
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  if (path !== ':memory:') db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous === 'FULL' ? 'FULL' : 'NORMAL'}`);
  db.pragma(`busy_timeout = ${Math.trunc(busyTimeoutMs)}`);
  db.pragma('foreign_keys = ON');
  // SQLite never sets it below the current size: 1 means "no growth from here".
  if (maxPageCount !== undefined) db.pragma(`max_page_count = ${Math.trunc(maxPageCount)}`);
  return db;
}

/** For readiness: throws if the database cannot answer a query. */
export function pingDatabase(db: Db): void {
  db.prepare('SELECT 1').get();
}

/**
 * One connection, one transaction at a time. The table interfaces return promises (so a
 * PostgreSQL backend can implement them), and an async transaction body lets other
 * requests run between its steps: on one SQLite connection their statements would join
 * the open transaction (and roll back with it). So everything done on a connection goes
 * through this line, in the order it was asked for: while one piece of work is running
 * (a transaction waiting for its body), the next ones wait their turn.
 *
 * When nothing is running or waiting (nearly always: better-sqlite3's statements are
 * synchronous, so a transaction is open for a few microtasks at most), the work runs at
 * once, in the caller's tick: no promise hop per statement, which was measured
 * (docs/performance.md).
 */
interface Line {
  busy: boolean;
  /** Each starts its work and says whether it is done already (else it hands the line on itself). */
  readonly waiting: (() => boolean)[];
}

const lines = new WeakMap<Db, Line>();

export function serially<T>(db: Db, work: () => T | Promise<T>): Promise<T> {
  let line = lines.get(db);
  if (!line) lines.set(db, (line = { busy: false, waiting: [] }));
  const held = line;
  return new Promise<T>((resolve, reject) => {
    const begin = () => start(held, work, resolve, reject);
    if (held.busy) return void held.waiting.push(begin);
    held.busy = true;
    if (begin()) handOn(held);
  });
}

/** Start `work` on the line it holds: true when it is done already, false when it hands the line on once its promise settles. */
function start<T>(line: Line, work: () => T | Promise<T>, resolve: (value: T) => void, reject: (error: unknown) => void): boolean {
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
function handOn(line: Line): void {
  for (let next = line.waiting.shift(); next; next = line.waiting.shift()) {
    if (!next()) return;
  }
  line.busy = false;
}

/**
 * Run `work` in a transaction on `db`: BEGIN IMMEDIATE (takes the write lock up front, so
 * a locked database fails here having changed nothing, and the caller can try again:
 * writes.ts), COMMIT when it resolves, ROLLBACK when it throws. Inside another transaction
 * (`outer`), a savepoint: what `work` did is undone alone if it throws.
 */
export function sqliteTransaction<T>(db: Db, work: (tx: SqliteTx) => Promise<T>, outer?: SqliteTx): Promise<T> {
  const tx: SqliteTx = { kind: 'sqlite', db };
  if (outer) return savepoint(db, tx, work);
  return serially(db, async () => {
    db.exec('BEGIN IMMEDIATE');
    try {
      const result = await work(tx);
      db.exec('COMMIT');
      return result;
    } catch (error) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw error;
    }
  });
}

async function savepoint<T>(db: Db, tx: SqliteTx, work: (tx: SqliteTx) => Promise<T>): Promise<T> {
  db.exec('SAVEPOINT nested');
  try {
    const result = await work(tx);
    db.exec('RELEASE nested');
    return result;
  } catch (error) {
    db.exec('ROLLBACK TO nested');
    db.exec('RELEASE nested');
    throw error;
  }
}
