import { Umzug } from 'umzug';
import type { LogWriter } from '@toasties/contract';
import { openDatabase, type Db } from '../db';
import { ingredients } from './0001-ingredients';
import { orders } from './0002-orders';
import { orderPublicIds } from './0003-order-public-ids';
import { writeProbe } from './0004-write-probe';
import type { Migration } from './migration';
import { SqliteStorage } from './storage';
import { umzugLogger } from './umzug-logger';

/** Every migration, in order. Append only: a released migration is never edited. */
export const migrations: readonly Migration[] = [ingredients, orders, orderPublicIds, writeProbe];


/**
 * An umzug instance over this database. Each migration runs inside a transaction, so
 * one that fails leaves the schema as it was.
 */
export function createMigrator(db: Db, logger?: LogWriter) {
  return new Umzug({
    migrations: migrations.map((migration) => ({
      name: migration.name,
      up: async () => db.transaction(() => migration.up(db))(),
      down: async () => db.transaction(() => migration.down(db))(),
    })),
    storage: new SqliteStorage(db),
    logger: logger ? umzugLogger(logger) : undefined,
  });
}

/**
 * Run every pending migration. Given a path, opens the database around it; a
 * ':memory:' database is skipped, as it lives only in the process that opens it.
 */
export async function migrate(target: Db | string, logger?: LogWriter): Promise<void> {
  if (typeof target !== 'string') {
    await createMigrator(target, logger).up();
    return;
  }
  if (target === ':memory:') return;
  const db = openDatabase(target);
  try {
    await createMigrator(db, logger).up();
  } finally {
    db.close();
  }
}
