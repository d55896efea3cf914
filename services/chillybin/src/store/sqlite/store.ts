import { pingDatabase, type Db } from '../../db';
import type { Store, Tables } from '../store';
import { createWriteRetry, type RetryOptions } from '../write-retry';
import { fileIdentity } from './file-identity';
import { sqliteIdempotencyKeys } from './idempotency-keys';
import { lineOf } from './line';
import { sqliteOrders } from './orders';
import { sqliteStock } from './stock';
import { sqliteWriteProbe } from './write-probe';

export type SqliteStoreOptions = Partial<RetryOptions>;

/**
 * The store over one open, migrated SQLite connection. The tables are prepared once; every
 * transaction and read goes through the connection's line (line.ts), so `t` is only ever used
 * by the work holding the line. BEGIN IMMEDIATE takes the write lock up front: a locked
 * database fails there having changed nothing, and the write is tried again (write-retry.ts).
 */
export function createSqliteStore(db: Db, options: SqliteStoreOptions = {}): Store {
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

  return {
    backend: 'sqlite',
    transaction: (work) => retry.run(() => inTransaction(work)),
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
