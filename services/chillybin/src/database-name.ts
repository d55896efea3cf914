import { isAbsolute, normalize } from 'node:path';
import type { Config } from './config';

/** A URL's user and password are never part of it. */
export function databaseName({ DATABASE_URL, DATABASE_PATH }: Pick<Config, 'DATABASE_URL' | 'DATABASE_PATH'>): string {
  if (DATABASE_URL) {
    const url = new URL(DATABASE_URL);
    return `PostgreSQL ${url.host}${url.pathname}`;
  }
  if (DATABASE_PATH === ':memory:') return 'SQLite in memory (:memory:)';
  return `SQLite ${isAbsolute(DATABASE_PATH) ? DATABASE_PATH : `./${normalize(DATABASE_PATH)}`}`;
}
