import { pingDatabase, type Db } from '../../db';
import { databaseFault } from '../../database-faults';
import { coalesceWhileInFlight, eachUndoneAlone } from '../coalesce';
import type { Store, Tables, TransactionOptions } from '../store';
import { createWriteRetry, type RetryOptions } from '../write-retry';
import { fileIdentity } from './file-identity';
import { sqliteIdempotencyKeys } from './idempotency-keys';
import { lineOf } from './line';
import { sqliteOrders } from './orders';
import { sqliteStock } from './stock';
import { sqliteWriteProbe } from './write-probe';

export interface SqliteStoreOptions extends RetryOptions {
  readonly maxBatch: number;
}

export const defaults: Pick<SqliteStoreOptions, 'maxBatch'> = { maxBatch: 64 };

type Work = (t: Tables) => Promise<unknown>;

/** SQLite locks the whole database for a write: every kind of shared write can go together. */
const SQLITE_KIND = 'any';

const thisTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** BEGIN IMMEDIATE takes the write lock up front: a locked database fails there having changed nothing. */
export function createSqliteStore(db: Db, options: Pick<SqliteStoreOptions, 'lockWaitMs'> & Partial<SqliteStoreOptions>): Store {
  const { maxBatch } = { ...defaults, ...options };
  const line = lineOf(db);
  const tables: Tables = { stock: sqliteStock(db), orders: sqliteOrders(db), keys: sqliteIdempotencyKeys(db) };
  const files = fileIdentity(db.name);

  const inTransaction = <T>(work: (t: Tables) => Promise<T>) =>
    line(async () => {
      files.check(); // never acknowledge a write into a file nobody will read
      db.exec('BEGIN IMMEDIATE');
      try {
        const result = await work(tables);
        db.exec('COMMIT');
        return result;
      } catch (error) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw error;
      }
    });
  const probe = () => inTransaction(async () => sqliteWriteProbe(db));
  const retry = createWriteRetry(probe, options);
  const savepoint = { mark: () => db.exec('SAVEPOINT write'), keep: () => db.exec('RELEASE write'), undo: () => db.exec('ROLLBACK TO write; RELEASE write') };
  const shared = coalesceWhileInFlight<Work, unknown>(
    async (batch) => {
      const settled = await inTransaction((t) => eachUndoneAlone(batch.map((pending) => pending.write), t, savepoint, (error) => databaseFault(error) !== undefined));
      settled.forEach((result, i) => (result.ok ? batch[i]!.resolve(result.value) : batch[i]!.reject(result.error)));
    },
    maxBatch,
    thisTurn,
  );

  return {
    backend: 'sqlite',
    transaction: <T>(work: (t: Tables) => Promise<T>, { shared: kind }: TransactionOptions = {}) => retry.run(() => (kind === undefined ? inTransaction(work) : (shared(SQLITE_KIND, work) as Promise<T>))),
    read: (work) => line(() => work(tables)),
    ping: () =>
      line(() => {
        files.check(); // the file at the path is the one this connection reads
        pingDatabase(db);
      }),
    check: () => retry.check(),
    async close() {
      if (db.open) db.close();
    },
  };
}
