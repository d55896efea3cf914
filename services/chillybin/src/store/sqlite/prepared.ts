import type { Statement } from 'better-sqlite3';
import type { Db } from '../../db';

/** Prepared on first use, not at start: a database on an older schema still serves the tables it has. */
export function prepared(db: Db, sql: string, { pluck = false } = {}): () => Statement {
  let statement: Statement | undefined;
  return () => (statement ??= pluck ? db.prepare(sql).pluck() : db.prepare(sql));
}
