import type { LogWriter } from '@toasties/observability/log-writer';
import { openDatabase, type Db, type Synchronous } from '../db';
import { ingredients } from './0001-ingredients';
import { orders } from './0002-orders';
import { orderPublicIds } from './0003-order-public-ids';
import { writeProbe } from './0004-write-probe';
import type { Migration } from './migration';
import { recordedMigrations, SqliteStorage } from './storage';
import { umzugLogger } from './umzug-logger';

/** Append only: a released migration is never edited. */
export const migrations: readonly Migration[] = [ingredients, orders, orderPublicIds, writeProbe];

/** umzug is required lazily: a start on an up-to-date database makes no migrator. */
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

/** Names a newer release ran do not count, as for umzug. */
export function upToDate(db: Db): boolean {
  const executed = new Set(recordedMigrations(db));
  return migrations.every((migration) => executed.has(migration.name));
}

/** Every worker's start comes here, so nothing pending costs one SELECT; ':memory:' lives only in its own process. */
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
