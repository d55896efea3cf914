import { createFlags } from '@toasties/flags';
import { createHealth } from '@toasties/health';
import { createLogger, createMetrics } from '@toasties/observability';
import { describeEachBackend, freshDatabasePath, rowCount, startPostgres, type Backend, type PostgresServer } from '@toasties/testkit';
import { askOnFreshConnection, createApp, createMigrator, createPool, createPostgresStore, createSideConnection, createSqliteStore, migratePostgres, openDatabase, type Picking, type Store } from '../src/app';
import { FLAGS, type ChillybinFlags } from '../src/flags';
import { useCases } from './use-cases';
import { pickingSettings, postgresStoreWaits, sqliteOptions, sqliteStoreOptions } from './settings';

const quiet = createLogger({ service: 'chillybin', version: 'test', level: 'silent', format: 'json' });

export interface BuildOptions {
  readonly path?: string;
  /** The flags as the environment would set them; by default each flag's default. */
  readonly flags?: ChillybinFlags;
  /** The key TTL, the clock and ids the use cases use (the configuration's and pick.ts's defaults otherwise). */
  readonly picking?: Partial<Omit<Picking, 'store'>>;
  /** PostgreSQL: an existing database (another "replica" on the same one); by default a fresh copy of the migrated template. */
  readonly database?: string;
  /** PostgreSQL: the budget for retrying a deadlock or serialization failure (store/write-retry.ts). */
  readonly retryWindowMs?: number;
  /** PostgreSQL: connections in the app's pool (4 by default). */
  readonly poolSize?: number;
  /**
   * PostgreSQL: how long a query waits for a connection of the pool. 30 s by default: on a busy
   * machine opening one can take over a second; a test about that wait gives its own.
   */
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

/** The store a test builds an app from, and how it reads the database behind it. */
interface Parts {
  readonly store: Store;
  orderCount(): Promise<number>;
  close(): Promise<void>;
}

async function postgresParts({ database, retryWindowMs, poolSize = 4, connectTimeoutMs = 30_000 }: BuildOptions) {
  const { postgres, template } = await postgresServer();
  const url = database ?? (await postgres.createDatabase(undefined, template));
  const options = { poolSize, statementTimeoutMs: 1000, connectTimeoutMs };
  const pool = createPool(url, options);
  const store = createPostgresStore(pool, createSideConnection(url, options), {
    ...postgresStoreWaits,
    ...(retryWindowMs === undefined ? {} : { lockWaitMs: retryWindowMs }),
    ask: (sql, values) => askOnFreshConnection(url, options, sql, values),
  });
  let closed = false;
  const close = async () => {
    if (!closed) await store.close();
    closed = true;
  };
  closers.push(close);
  return { store, url, pool, orderCount: async () => Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM orders')).rows[0]!.n), close };
}

async function sqliteParts(path: string) {
  const db = openDatabase(path, sqliteOptions);
  await createMigrator(db).up();
  const store = createSqliteStore(db, sqliteStoreOptions);
  return { store, db, path, orderCount: async () => rowCount(db, 'orders'), close: () => store.close() };
}

/** The app main.ts would build over these parts; `stock` and `orders`: the use cases, to arrange and check state. */
function assemble<P extends Parts>(parts: P, { flags = createFlags(FLAGS), access, picking }: BuildOptions) {
  const { store } = parts;
  const health = createHealth({ service: 'chillybin', version: 'test', checks: { database: () => store.ping(), writes: () => store.check() } });
  const metrics = createMetrics({ version: 'test', defaultMetrics: false });
  const app = createApp({ store, picking: { ...pickingSettings, ...picking }, flags, health, logger: quiet, metrics, ...access });
  const uses = useCases(store, picking);
  return { ...parts, stock: uses, orders: uses, app, health };
}

/** A chillybin app over a fresh, migrated SQLite file, as main.ts would build it. */
export async function buildChillybin(options: BuildOptions = {}) {
  return assemble(await sqliteParts(options.path ?? freshDatabasePath('chillybin')), options);
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
