import type { ClientBase } from 'pg';
import type { LogWriter } from '@toasties/observability/log-writer';
import { PostgresStorage, recordedPostgresMigrations } from '../storage';
import { umzugLogger } from '../umzug-logger';
import { ingredients } from './0001-ingredients';
import { orders } from './0002-orders';
import { orderPublicIds } from './0003-order-public-ids';
import { writeProbe } from './0004-write-probe';
import type { PostgresMigration } from './migration';

/** Named as the SQLite ones. Append only. */
export const postgresMigrations: readonly PostgresMigration[] = [ingredients, orders, orderPublicIds, writeProbe];

/** "chillybin" in ASCII: replicas starting together wait on it, then find nothing left to do. */
export const MIGRATION_LOCK = 0x6368696c6c79;

async function inTransaction(client: ClientBase, work: () => Promise<void>): Promise<void> {
  await client.query('BEGIN');
  try {
    await work();
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}

/** Each migration and its record in one transaction; umzug is required lazily so SQLite never loads it. */
export async function createPostgresMigrator(client: ClientBase, logger?: LogWriter) {
  const { Umzug } = require('umzug') as typeof import('umzug');
  const storage = new PostgresStorage(client);
  await storage.create();
  return new Umzug({
    migrations: postgresMigrations.map((migration) => ({
      name: migration.name,
      up: () =>
        inTransaction(client, async () => {
          await migration.up(client);
          await storage.logMigration({ name: migration.name });
        }),
      down: () =>
        inTransaction(client, async () => {
          await migration.down(client);
          await storage.unlogMigration({ name: migration.name });
        }),
    })),
    storage,
    logger: logger ? umzugLogger(logger) : undefined,
  });
}

type Migrator = Awaited<ReturnType<typeof createPostgresMigrator>>;

/** No statement timeout: a migration, or the wait for another replica's, may take a while. */
async function withClient<T>(url: string, work: (client: ClientBase) => Promise<T>): Promise<T> {
  const { Client } = require('pg') as typeof import('pg');
  const client = new Client({ connectionString: url, application_name: 'chillybin-migrate', connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A session lock: a process that dies holding it lets go at once. */
async function underLock<T>(client: ClientBase, logger: LogWriter | undefined, work: (migrator: Migrator) => Promise<T>): Promise<T> {
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
  try {
    return await work(await createPostgresMigrator(client, logger));
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
  }
}

export async function withMigrationLock<T>(url: string, logger: LogWriter | undefined, work: (migrator: Migrator) => Promise<T>): Promise<T> {
  return withClient(url, (client) => underLock(client, logger, work));
}

/** Names a newer release ran do not count, as for umzug. */
export async function postgresUpToDate(client: Pick<ClientBase, 'query'>): Promise<boolean> {
  const executed = new Set(await recordedPostgresMigrations(client));
  return postgresMigrations.every((migration) => executed.has(migration.name));
}

/** Every start comes here, so the usual case (nothing pending) is one look without lock or umzug. */
export async function migratePostgres(url: string, logger?: LogWriter): Promise<void> {
  await withClient(url, async (client) => {
    if (await postgresUpToDate(client)) return;
    await underLock(client, logger, (migrator) => migrator.up());
  });
}
