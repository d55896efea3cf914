import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;

export type Synchronous = 'NORMAL' | 'FULL';

export interface DatabaseOptions {
  readonly synchronous: Synchronous;
  /** Blocks the whole process (better-sqlite3 is synchronous): the service keeps it short (store/write-retry.ts). */
  readonly busyTimeoutMs: number;
  /** A cap on the file's size (tests use it for a full disk). */
  readonly maxPageCount?: number | undefined;
}

export const defaults: Pick<DatabaseOptions, 'busyTimeoutMs'> = { busyTimeoutMs: 5000 };

/** WAL so readers never block the writer; SQLite leaves foreign keys off unless asked. */
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

export function pingDatabase(db: Db): void {
  db.prepare('SELECT 1').get();
}
