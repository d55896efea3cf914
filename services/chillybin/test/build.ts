import { createFlags } from '@toasties/flags';
import { createHealth } from '@toasties/health';
import { createLogger, createMetrics } from '@toasties/observability';
import { freshDatabasePath, rowCount } from '@toasties/testkit';
import { createApp, createIdempotency, createMigrator, createOrders, createStock, createWrites, openDatabase, pingDatabase } from '../src/app';
import { FLAGS, type ChillybinFlags } from '../src/flags';
import type { IdempotencyOptions } from '../src/idempotency';

const quiet = createLogger({ service: 'chillybin', version: 'test', level: 'silent', format: 'json' });

export interface BuildOptions {
  readonly path?: string;
  /** The flags as the environment would set them; by default each flag's default. */
  readonly flags?: ChillybinFlags;
  readonly idempotency?: Partial<IdempotencyOptions>;
  /** ADMIN_TOKEN and RATE_LIMIT_PER_MINUTE, as main.ts passes them; unset by default. */
  readonly access?: { readonly adminToken?: string; readonly rateLimitPerMinute?: number; readonly serviceToken?: string };
}

/** A chillybin app over a fresh, migrated SQLite file, as main.ts would build it. */
export async function buildChillybin({ path = freshDatabasePath('chillybin'), flags = createFlags(FLAGS), idempotency, access }: BuildOptions = {}) {
  const db = openDatabase(path);
  await createMigrator(db).up();
  const stock = createStock(db);
  const orders = createOrders(db);
  const writes = createWrites(db);
  const health = createHealth({ service: 'chillybin', version: 'test', checks: { database: () => pingDatabase(db), writes: () => writes.check() } });
  const metrics = createMetrics({ version: 'test', defaultMetrics: false });
  const app = createApp({ stock, orders, idempotency: createIdempotency(db, idempotency), writes, flags, health, logger: quiet, metrics, ...access });
  return { app, db, stock, orders, health, path };
}

/** How many orders the database holds: "nothing changed" includes "no order recorded". */
export const orderCount = (db: ReturnType<typeof openDatabase>): number => rowCount(db, 'orders');
