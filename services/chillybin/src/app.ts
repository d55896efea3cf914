import type { Express } from 'express';
import { requestLogging, type Logger, type Metrics } from '@toasties/observability';
import type { Flags } from '@toasties/flags';
import { createJsonApp, writeRateLimit } from '@toasties/http';
import type { Health } from '@toasties/health';
import type { Idempotency } from './idempotency';
import type { Orders } from './orders';
import { v1Routes } from './routes/v1';
import { v2Routes } from './routes/v2';
import { createChillybinMetrics } from './metrics';
import type { Stock } from './stock';

export interface AppDependencies {
  readonly stock: Stock;
  readonly orders: Orders;
  readonly idempotency: Idempotency;
  readonly flags: Flags;
  readonly health: Health;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** ADMIN_TOKEN: guards POST /restock when set. */
  readonly adminToken?: string | undefined;
  /** RATE_LIMIT_PER_MINUTE: limits /pick and /v2/pick per client when set. */
  readonly rateLimitPerMinute?: number | undefined;
}

/** The chillybin HTTP API, built from its parts so tests can build as many as they like. */
export function createApp({ stock, orders, idempotency, flags, health, logger, metrics, adminToken, rateLimitPerMinute }: AppDependencies): Express {
  const business = createChillybinMetrics(metrics.registry, stock);
  const writeLimit = writeRateLimit(rateLimitPerMinute);
  return createJsonApp(
    (app) => {
      app.use(health.router);
      app.get('/metrics', metrics.endpoint);
      app.use(v1Routes(stock, flags, business, { adminToken, writeLimit }));
      app.use(v2Routes({ stock, orders, idempotency, metrics: business, writeLimit }));
    },
    { logger, observe: [requestLogging(logger), metrics.httpMetrics] },
  );
}

export { openDatabase, pingDatabase } from './db';
export { createMigrator, migrations } from './migrations';
export { createStock } from './stock';
export { createOrders } from './orders';
export { createIdempotency } from './idempotency';
export { DEFAULT_STOCK } from './default-stock';
