import type { Express } from 'express';
import { requestLogging, type Logger, type Metrics } from '@toasties/observability';
import type { ChillybinFlags } from './flags';
import { createJsonApp, presentsBearerToken, routeTable, writeRateLimit } from '@toasties/http';
import type { Health } from '@toasties/health';
import { errorAnswers } from './answers';
import type { Idempotency } from './idempotency';
import type { Orders } from './orders';
import { v1Routes } from './routes/v1';
import { v2Routes } from './routes/v2';
import { createChillybinMetrics } from './metrics';
import type { Stock } from './stock';
import type { Writes } from './writes';

export interface AppDependencies {
  readonly stock: Stock;
  readonly orders: Orders;
  readonly idempotency: Idempotency;
  /** How every write reaches the database: waiting for a lock without blocking (writes.ts). */
  readonly writes: Writes;
  readonly flags: ChillybinFlags;
  readonly health: Health;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** ADMIN_TOKEN: guards POST /restock when set. */
  readonly adminToken?: string | undefined;
  /** RATE_LIMIT_PER_MINUTE: limits /pick and /v2/pick per client when set. */
  readonly rateLimitPerMinute?: number | undefined;
  /** SERVICE_TOKEN: a caller presenting it as a bearer token (jafflr) is a service, exempt from the limit. */
  readonly serviceToken?: string | undefined;
}

/** The chillybin HTTP API, built from its parts so tests can build as many as they like. */
export function createApp({ stock, orders, idempotency, writes, flags, health, logger, metrics, adminToken, rateLimitPerMinute, serviceToken }: AppDependencies): Express {
  const business = createChillybinMetrics(metrics.registry, stock);
  // jafflr's picks are its customers' toasties, limited at jafflr's door: counted here as
  // one client they would stop a toastie between two of its picks.
  const exempt = serviceToken ? presentsBearerToken(serviceToken) : undefined;
  const writeLimit = writeRateLimit(rateLimitPerMinute, { name: 'chillybin-picks', exempt, logger });
  return createJsonApp(
    (app) => {
      app.use(
        routeTable([
          ...health.routes,
          { method: 'GET', path: '/metrics', handlers: [metrics.endpoint] },
          ...v1Routes({ stock, flags, metrics: business, writes, adminToken, writeLimit }),
          ...v2Routes({ stock, orders, idempotency, metrics: business, writes, writeLimit }),
        ]),
      );
      // Domain errors as their answers (answers.ts); a locked, full or failing database is a
      // 503/507 that says so, never a 500.
      app.use(errorAnswers(logger));
    },
    { logger, observe: [requestLogging(logger), metrics.httpMetrics] },
  );
}

export { openDatabase, pingDatabase } from './db';
export { createMigrator, migrations } from './migrations';
export { createStock, createPostgresStock } from './stock';
export { createOrders, createPostgresOrders } from './orders';
export { createIdempotency, createPostgresIdempotency } from './idempotency';
export { createWrites, createPostgresWrites, SERVICE_BUSY_TIMEOUT_MS } from './writes';
export { createPool, createSideConnection, pingPostgres, postgresTransaction } from './postgres';
export { migratePostgres, postgresMigrations, withMigrationLock } from './migrations/postgres';
export { openBackend, migrateDatabase, sqliteBackend, postgresBackend, type Backend } from './backend';
export { DEFAULT_STOCK } from './default-stock';
