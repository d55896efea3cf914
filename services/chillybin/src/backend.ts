import type { Pool } from 'pg';
import type { LogWriter } from '@toasties/observability/log-writer';
import type { Config } from './config';
import { openDatabase, pingDatabase, type Db } from './db';
import { createIdempotency, createPostgresIdempotency, type Idempotency, type IdempotencyOptions } from './idempotency';
import { migrate } from './migrations';
import { migratePostgres } from './migrations/postgres';
import { createOrders, createPostgresOrders, type Orders } from './orders';
import { createPool, createSideConnection, pingPostgres, type SideConnection } from './postgres';
import { createPostgresStock, createStock, type Stock } from './stock';
import { createPostgresWrites, createWrites, SERVICE_BUSY_TIMEOUT_MS, type Writes, type WritesOptions } from './writes';

/** chillybin's tables, through their interfaces, on one database: what the app is built from. */
export interface Backend {
  readonly name: 'sqlite' | 'postgres';
  readonly stock: Stock;
  readonly orders: Orders;
  readonly idempotency: Idempotency;
  readonly writes: Writes;
  /** For readiness: rejects while the database cannot answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

type BackendConfig = Pick<
  Config,
  | 'DATABASE_URL'
  | 'DATABASE_PATH'
  | 'DATABASE_POOL_SIZE'
  | 'DATABASE_STATEMENT_TIMEOUT_MS'
  | 'DATABASE_CONNECT_TIMEOUT_MS'
  | 'DATABASE_RETRY_WINDOW_MS'
  | 'SQLITE_SYNCHRONOUS'
  | 'SQLITE_LOCK_WAIT_MS'
  | 'SQLITE_MAX_PAGE_COUNT'
  | 'IDEMPOTENCY_KEY_TTL_SECONDS'
>;

/**
 * Migrate the database the configuration names, once per start (in the primary, before
 * any worker opens it). On PostgreSQL under an advisory lock, for replicas starting at once.
 */
export async function migrateDatabase(config: BackendConfig, logger: LogWriter): Promise<void> {
  if (config.DATABASE_URL) await migratePostgres(config.DATABASE_URL, logger);
  else await migrate(config.DATABASE_PATH, logger);
}

/** The backend DATABASE_URL selects: PostgreSQL when set, else SQLite at DATABASE_PATH. */
export async function openBackend(config: BackendConfig, logger: LogWriter): Promise<Backend> {
  const idempotencyOptions = { ttlMs: config.IDEMPOTENCY_KEY_TTL_SECONDS * 1000 };
  const onWait = () => logger.warn({}, 'database busy: a write waits for the lock');
  if (config.DATABASE_URL) {
    const options = {
      poolSize: config.DATABASE_POOL_SIZE,
      statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
      connectTimeoutMs: config.DATABASE_CONNECT_TIMEOUT_MS,
      onIdleError: (error: Error) => logger.warn({ err: error }, 'database connection lost: the pool opens another'),
    };
    // A new release's worker, started by a reload after a deploy, applies its own
    // migrations (the primary migrated for the release it started with), as on SQLite; it
    // does not start on a database it cannot check, rather than serve on an old schema.
    await migratePostgres(config.DATABASE_URL, logger);
    const pool = createPool(config.DATABASE_URL, options);
    const side = createSideConnection(config.DATABASE_URL, options); // readiness' own
    return postgresBackend(pool, side, { idempotency: idempotencyOptions, writes: { lockWaitMs: config.DATABASE_RETRY_WINDOW_MS, onWait } });
  }
  const db = openDatabase(config.DATABASE_PATH, { synchronous: config.SQLITE_SYNCHRONOUS, busyTimeoutMs: SERVICE_BUSY_TIMEOUT_MS, maxPageCount: config.SQLITE_MAX_PAGE_COUNT });
  await migrate(db, logger); // a new release's worker applies its own; builds the schema of a ':memory:' database
  return sqliteBackend(db, { idempotency: idempotencyOptions, writes: { lockWaitMs: config.SQLITE_LOCK_WAIT_MS, onWait } });
}

/** How the tables are set up, beyond the database they are on (defaults: each module's own). */
export interface TableOptions {
  readonly idempotency?: Partial<IdempotencyOptions>;
  readonly writes?: Partial<WritesOptions>;
}

/**
 * The tables over one open, migrated SQLite connection, wired as the app uses them (orders
 * pick through this stock, on the same connection). openBackend and the tests both build here.
 */
export function sqliteBackend(db: Db, { idempotency, writes }: TableOptions = {}): Backend {
  const stock = createStock(db);
  return {
    name: 'sqlite',
    stock,
    orders: createOrders(db, { stock }),
    idempotency: createIdempotency(db, idempotency),
    writes: createWrites(db, writes),
    ping: async () => pingDatabase(db),
    close: async () => {
      if (db.open) db.close();
    },
  };
}

/** The same over a migrated PostgreSQL database: the pool for the tables, `side` for readiness and the write probe. */
export function postgresBackend(pool: Pool, side: SideConnection, { idempotency, writes }: TableOptions = {}): Backend {
  const stock = createPostgresStock(pool);
  return {
    name: 'postgres',
    stock,
    orders: createPostgresOrders(pool, { stock }),
    idempotency: createPostgresIdempotency(pool, idempotency),
    writes: createPostgresWrites(side, writes),
    ping: () => pingPostgres(side),
    close: async () => {
      await Promise.all([pool.end(), side.end()]);
    },
  };
}
