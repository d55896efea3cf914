import type { LogWriter } from '@toasties/observability/log-writer';
import type { Config } from '../config';
import { openDatabase } from '../db';
import { migrate } from '../migrations';
import { migratePostgres } from '../migrations/postgres';
import { askOnFreshConnection, createPool, createSideConnection } from './postgres/pool';
import { createPostgresStore } from './postgres/store';
import { checkpointOnlyAsBackstop, startCheckpointer, startThreadCheckpointer, type Checkpointer } from './sqlite/checkpointer';
import { createSqliteStore } from './sqlite/store';
import type { Store } from './store';
import { SERVICE_BUSY_TIMEOUT_MS } from './write-retry';

/** The one place that chooses a backend, and the only one that names both. */
export type StoreConfig = Pick<
  Config,
  | 'DATABASE_URL'
  | 'DATABASE_PATH'
  | 'DATABASE_POOL_SIZE'
  | 'DATABASE_STATEMENT_TIMEOUT_MS'
  | 'DATABASE_CONNECT_TIMEOUT_MS'
  | 'DATABASE_RETRY_WINDOW_MS'
  | 'DATABASE_COMMIT_CHECK_MS'
  | 'SQLITE_SYNCHRONOUS'
  | 'SQLITE_LOCK_WAIT_MS'
  | 'SQLITE_MAX_PAGE_COUNT'
>;

/** Once per start, in the primary, before any worker opens the database. */
export async function migrateDatabase(config: StoreConfig, logger: LogWriter): Promise<void> {
  if (config.DATABASE_URL) await migratePostgres(config.DATABASE_URL, logger);
  else await migrate({ path: config.DATABASE_PATH, synchronous: config.SQLITE_SYNCHRONOUS }, logger);
}

/**
 * Checkpoint the SQLite file once for every worker, from the primary: one thread per file
 * rather than one per worker (each is a V8 isolate, ~10 MB). Nothing on PostgreSQL or in
 * memory (each worker has its own database there).
 */
export function startPrimaryCheckpointer(config: StoreConfig): Checkpointer | undefined {
  if (config.DATABASE_URL || config.DATABASE_PATH === ':memory:') return undefined;
  return startCheckpointer(config.DATABASE_PATH);
}

export interface OpenOptions {
  /** Whether the primary checkpoints the file (startPrimaryCheckpointer) or this process does, from a thread. */
  readonly checkpoints: 'primary' | 'thread';
}

export async function openStore(config: StoreConfig, logger: LogWriter, { checkpoints }: OpenOptions = { checkpoints: 'thread' }): Promise<Store> {
  const onWait = () => logger.warn({}, 'database busy: a write waits for the lock');
  if (config.DATABASE_URL) {
    const url = config.DATABASE_URL;
    const options = {
      poolSize: config.DATABASE_POOL_SIZE,
      statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
      connectTimeoutMs: config.DATABASE_CONNECT_TIMEOUT_MS,
      onIdleError: (error: Error) => logger.warn({ err: error }, 'database connection lost: the pool opens another'),
    };
    // A new release's worker, started by a reload, applies its own migrations; it does not
    // serve on a schema it could not check.
    await migratePostgres(url, logger);
    return createPostgresStore(createPool(url, options), createSideConnection(url, options), {
      lockWaitMs: config.DATABASE_RETRY_WINDOW_MS,
      commitCheckMs: config.DATABASE_COMMIT_CHECK_MS,
      onWait,
      ask: (sql, values) => askOnFreshConnection(url, options, sql, values),
    });
  }
  const db = openDatabase(config.DATABASE_PATH, { synchronous: config.SQLITE_SYNCHRONOUS, busyTimeoutMs: SERVICE_BUSY_TIMEOUT_MS, maxPageCount: config.SQLITE_MAX_PAGE_COUNT });
  await migrate(db, logger); // a new release's worker applies its own; builds the schema of a ':memory:' database
  const store = createSqliteStore(db, { lockWaitMs: config.SQLITE_LOCK_WAIT_MS, onWait });
  if (checkpoints === 'primary') {
    checkpointOnlyAsBackstop(db);
    return store;
  }
  const checkpointer = startThreadCheckpointer(db);
  return {
    ...store,
    async close() {
      await checkpointer.stop(); // first: the request connection, closing last, checkpoints what is left
      await store.close();
    },
  };
}
