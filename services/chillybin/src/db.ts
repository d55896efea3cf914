import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;

export type Synchronous = 'NORMAL' | 'FULL';

/**
 * Open the database once per process, set up for a web service:
 * - WAL: readers never block the writer, and a crashed process loses nothing committed.
 * - synchronous: NORMAL (the default) survives a process crash; only an OS crash or
 *   power cut can lose the last transactions. FULL survives those too, at the cost of
 *   an fsync per commit (measured in docs/durability.md).
 * - busy_timeout: a second process (a worker, the migrate CLI) waits instead of failing.
 * - foreign_keys: SQLite leaves them off unless asked.
 */
export function openDatabase(path: string, synchronous: Synchronous = 'NORMAL'): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  if (path !== ':memory:') db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous === 'FULL' ? 'FULL' : 'NORMAL'}`);
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  return db;
}

/** For readiness: throws if the database cannot answer a query. */
export function pingDatabase(db: Db): void {
  db.prepare('SELECT 1').get();
}
