import type { LogWriter } from '@toasties/observability/log-writer';
import { openDatabase, type Db, type Synchronous } from '../db';
import { ingredients } from './0001-ingredients';
import { orders } from './0002-orders';
import { orderPublicIds } from './0003-order-public-ids';
import { writeProbe } from './0004-write-probe';
import type { Migration } from './migration';
import { recordedMigrations, SqliteStorage } from './storage';
import { umzugLogger } from './umzug-logger';

/** Every migration, in order. Append only: a released migration is never edited. */
export const migrations: readonly Migration[] = [ingredients, orders, orderPublicIds, writeProbe];

/**
 * An umzug instance over this database. Each migration runs inside a transaction, so
 * one that fails leaves the schema as it was. umzug (~175 modules with its CLI's) is
 * required here, when a migrator is made: a start on an up-to-date database makes none.
 */
export function createMigrator(db: Db, logger?: LogWriter) {
  const { Umzug } = require('umzug') as typeof import('umzug');
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
 * Whether every migration of this release is recorded as executed (umzug's `up()` would
 * find none pending), read from the migrations table if there is one. Names recorded that
 * this release does not know (a newer release ran them) do not count, as for umzug.
 */
export function upToDate(db: Db): boolean {
  const executed = new Set(recordedMigrations(db));
  return migrations.every((migration) => executed.has(migration.name));
}

/**
 * Run every pending migration. Given a path, opens the database around it; a
 * ':memory:' database is skipped, as it lives only in the process that opens it.
 * Every start of every worker comes here (a worker of a new release applies its own
 * migrations on a reload), so the usual case — nothing pending — costs one SELECT, and
 * umzug is loaded only when there is something to run.
 */
export async function migrate(target: Db | { readonly path: string; readonly synchronous: Synchronous }, logger?: LogWriter): Promise<void> {
  if (!('path' in target)) {
    if (!upToDate(target)) await createMigrator(target, logger).up();
    return;
  }
  if (target.path === ':memory:') return;
  const db = openDatabase(target.path, { synchronous: target.synchronous });
  try {
    if (!upToDate(db)) await createMigrator(db, logger).up();
  } finally {
    db.close();
  }
}
