import type { Statement } from 'better-sqlite3';
import type { Db } from '../../db';

/**
 * A statement prepared on first use, then kept (`pluck`: rows are their first column). Not
 * at start: a statement needs its table, and a database on an older schema (a release rolled
 * back, the migrations' own tests) still serves what the tables it has hold.
 */
export function prepared(db: Db, sql: string, { pluck = false } = {}): () => Statement {
  let statement: Statement | undefined;
  return () => (statement ??= pluck ? db.prepare(sql).pluck() : db.prepare(sql));
}
