import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;

export type Synchronous = 'NORMAL' | 'FULL';

export interface DatabaseOptions {
  readonly synchronous: Synchronous;
  /**
   * How long one statement waits for another connection's lock. better-sqlite3 is
   * synchronous, so this wait blocks the whole process: the service keeps it short and
   * waits longer between attempts, with the event loop free (store/write-retry.ts). The CLIs
   * (migrate, backup) have nothing else to do and wait 5 s.
   */
  readonly busyTimeoutMs: number;
  /** PRAGMA max_page_count: a cap on the file's size (tests use it for a full disk). */
  readonly maxPageCount?: number | undefined;
}

/** `synchronous` has none: it is a setting (SQLITE_SYNCHRONOUS), given by the caller. */
export const defaults: Pick<DatabaseOptions, 'busyTimeoutMs'> = { busyTimeoutMs: 5000 };

/**
 * Open the database once per process, set up for a web service:
 * - WAL: readers never block the writer, and a crashed process loses nothing committed.
 * - synchronous: NORMAL (the configuration's default) survives a process crash; only an OS crash or
 *   power cut can lose the last transactions. FULL survives those too, at the cost of
 *   an fsync per commit (measured in docs/durability.md).
 * - busy_timeout: a second process (a worker, the migrate CLI) waits instead of failing.
 * - foreign_keys: SQLite leaves them off unless asked.
 */
export function openDatabase(path: string, options: Pick<DatabaseOptions, 'synchronous'> & Partial<DatabaseOptions>): Db {
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
