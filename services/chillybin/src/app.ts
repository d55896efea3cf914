import type { Express } from 'express';
import { requestLogging, type Logger, type Metrics } from '@toasties/observability';
import type { ChillybinFlags } from './flags';
import { createJsonApp, presentsBearerToken, routeTable, writeRateLimit } from '@toasties/http';
import type { Health } from '@toasties/health';
import { errorAnswers } from './answers';
import { defaults as pickingDefaults, type Picking } from './pick';
import { v1Routes } from './routes/v1';
import { v2Routes } from './routes/v2';
import { createChillybinMetrics } from './metrics';
import type { Store } from './store/store';

export interface AppDependencies {
  readonly store: Store;
  readonly picking: Pick<Picking, 'keyTtlMs'> & Partial<Omit<Picking, 'store'>>;
  readonly flags: ChillybinFlags;
  readonly health: Health;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly adminToken?: string | undefined;
  readonly rateLimitPerMinute?: number | undefined;
  readonly serviceToken?: string | undefined;
}

export function createApp({ store, picking: options, flags, health, logger, metrics, adminToken, rateLimitPerMinute, serviceToken }: AppDependencies): Express {
  const picking: Picking = { ...pickingDefaults, ...options, store };
  const business = createChillybinMetrics(metrics.registry, () => store.read((t) => t.stock.levels()));
  // jafflr's picks are limited at jafflr's door: counted here as one client, they would stop
  // a toastie between two of its picks.
  const exempt = serviceToken ? presentsBearerToken(serviceToken) : undefined;
  const writeLimit = writeRateLimit(rateLimitPerMinute, { name: 'chillybin-picks', exempt, logger });
  return createJsonApp(
    (app) => {
      app.use(
        routeTable([
          ...health.routes,
          { method: 'GET', path: '/metrics', handlers: [metrics.endpoint] },
          ...v1Routes({ picking, flags, metrics: business, adminToken, writeLimit }),
          ...v2Routes({ picking, metrics: business, writeLimit }),
        ]),
      );
      app.use(errorAnswers(logger));
    },
    { logger, observe: [requestLogging(logger), metrics.httpMetrics] },
  );
}

export { openDatabase, pingDatabase } from './db';
export { createMigrator, migrations } from './migrations';
export { SERVICE_BUSY_TIMEOUT_MS } from './store/write-retry';
export { createSqliteStore } from './store/sqlite/store';
export { createPostgresStore } from './store/postgres/store';
export { askOnFreshConnection, createPool, createSideConnection, pingPostgres } from './store/postgres/pool';
export { migratePostgres, postgresMigrations, withMigrationLock } from './migrations/postgres';
export { openStore, migrateDatabase } from './store/open';
export type { Store, Tables } from './store/store';
export { pickV1, orderV2, type Outcome, type Picking } from './pick';
export { restock } from './restock';
export { DEFAULT_STOCK } from './default-stock';
