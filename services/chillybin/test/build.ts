import { createFlags } from '@toasties/flags';
import { createHealth } from '@toasties/health';
import { createLogger, createMetrics } from '@toasties/observability';
import { describeEachBackend, freshDatabasePath, rowCount, startPostgres, type Backend, type PostgresServer } from '@toasties/testkit';
import { createApp, createMigrator, createPool, createSideConnection, migratePostgres, openDatabase, postgresBackend, sqliteBackend } from '../src/app';
import { FLAGS, type ChillybinFlags } from '../src/flags';
import type { Idempotency, IdempotencyOptions } from '../src/idempotency';
import type { Orders } from '../src/orders';
import type { Stock } from '../src/stock';
import type { Writes } from '../src/writes';

const quiet = createLogger({ service: 'chillybin', version: 'test', level: 'silent', format: 'json' });

export interface BuildOptions {
  readonly path?: string;
  /** The flags as the environment would set them; by default each flag's default. */
  readonly flags?: ChillybinFlags;
  readonly idempotency?: Partial<IdempotencyOptions>;
  /** PostgreSQL: an existing database (another "replica" on the same one); by default a fresh copy of the migrated template. */
  readonly database?: string;
  /** PostgreSQL: the budget for retrying a deadlock or serialization failure (writes.ts). */
  readonly retryWindowMs?: number;
  /** PostgreSQL: connections in the app's pool (4 by default). */
  readonly poolSize?: number;
  /** PostgreSQL: how long a query waits for a connection of the pool (1 s by default). */
  readonly connectTimeoutMs?: number;
  /** ADMIN_TOKEN and RATE_LIMIT_PER_MINUTE, as main.ts passes them; unset by default. */
  readonly access?: { readonly adminToken?: string; readonly rateLimitPerMinute?: number; readonly serviceToken?: string };
}

/**
 * One PostgreSQL server per test file, started on first use, and a database migrated once
 * to copy for each app (CREATE DATABASE … TEMPLATE: a fresh, migrated database in a few ms).
 */
let server: Promise<{ postgres: PostgresServer; template: string }> | undefined;
const closers: (() => Promise<void>)[] = [];

export function postgresServer() {
  server ??= (async () => {
    const postgres = await startPostgres();
    const template = 'chillybin_migrated';
    await migratePostgres(await postgres.createDatabase(template));
    return { postgres, template };
  })();
  return server;
}

afterAll(async () => {
  await Promise.allSettled(closers.splice(0).map((close) => close()));
  if (server) await (await server).postgres.stop();
  server = undefined;
});

/** The parts of a backend a test builds an app from, and reads the database through. */
interface Parts {
  readonly stock: Stock;
  readonly orders: Orders;
  readonly idempotency: Idempotency;
  readonly writes: Writes;
  ping(): Promise<void>;
  orderCount(): Promise<number>;
  close(): Promise<void>;
}

async function postgresParts({ idempotency, database, retryWindowMs, poolSize = 4, connectTimeoutMs }: BuildOptions) {
  const { postgres, template } = await postgresServer();
  const url = database ?? (await postgres.createDatabase(undefined, template));
  const pool = createPool(url, { poolSize, ...(connectTimeoutMs === undefined ? {} : { connectTimeoutMs }) });
  const backend = postgresBackend(pool, createSideConnection(url), { idempotency, writes: retryWindowMs === undefined ? {} : { lockWaitMs: retryWindowMs } });
  let closed = false;
  const close = async () => {
    if (!closed) await backend.close();
    closed = true;
  };
  closers.push(close);
  return {
    ...backend,
    url,
    pool,
    orderCount: async () => Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM orders')).rows[0]!.n),
    close,
  };
}

async function sqliteParts(path: string, idempotency?: Partial<IdempotencyOptions>) {
  const db = openDatabase(path);
  await createMigrator(db).up();
  return { ...sqliteBackend(db, { idempotency }), db, path, orderCount: async () => rowCount(db, 'orders') };
}

/** The app main.ts would build over these parts. */
function assemble<P extends Parts>(parts: P, { flags = createFlags(FLAGS), access }: BuildOptions) {
  const { stock, orders, writes } = parts;
  const health = createHealth({ service: 'chillybin', version: 'test', checks: { database: parts.ping, writes: () => writes.check() } });
  const metrics = createMetrics({ version: 'test', defaultMetrics: false });
  const app = createApp({ stock, orders, idempotency: parts.idempotency, writes, flags, health, logger: quiet, metrics, ...access });
  return { ...parts, app, health };
}

/** A chillybin app over a fresh, migrated SQLite file, as main.ts would build it. */
export async function buildChillybin(options: BuildOptions = {}) {
  return assemble(await sqliteParts(options.path ?? freshDatabasePath('chillybin'), options.idempotency), options);
}

/** The same over a fresh, migrated PostgreSQL database (this test file's server). */
export async function buildOnPostgres(options: BuildOptions = {}) {
  return assemble(await postgresParts(options), options);
}

export type Built = Awaited<ReturnType<typeof assemble<Parts>>>;
export type Build = (options?: BuildOptions) => Promise<Built>;

/**
 * The same tests against each backend: SQLite, and PostgreSQL where the machine has it
 * (without it, one line says the PostgreSQL half was skipped; under CI it fails).
 */
export function describeBackends(name: string, body: (build: Build, backend: Backend) => void): void {
  describeEachBackend(name, (backend) => body(backend === 'sqlite' ? buildChillybin : buildOnPostgres, backend));
}

/** How many orders a SQLite database holds: "nothing changed" includes "no order recorded". */
export const orderCount = (db: ReturnType<typeof openDatabase>): number => rowCount(db, 'orders');
