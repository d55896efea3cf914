import type { PoolClient } from 'pg';
import type { Db } from './db';

/**
 * An open transaction, handed from one table's module to another's: an order's picks are
 * made in the order's transaction, and an idempotent request's order in the key's. Each
 * backend knows only its own kind; the rest of chillybin passes it on unopened.
 */
export type Tx = SqliteTx | PostgresTx;

export interface SqliteTx {
  readonly kind: 'sqlite';
  readonly db: Db;
}

export interface PostgresTx {
  readonly kind: 'postgres';
  readonly client: PoolClient;
}

export function sqliteTx(tx: Tx | undefined): SqliteTx | undefined {
  if (tx && tx.kind !== 'sqlite') throw new Error('a PostgreSQL transaction was handed to the SQLite backend');
  return tx;
}

export function postgresTx(tx: Tx | undefined): PostgresTx | undefined {
  if (tx && tx.kind !== 'postgres') throw new Error('a SQLite transaction was handed to the PostgreSQL backend');
  return tx;
}
