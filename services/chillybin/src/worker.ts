// One chillybin worker: database → migrations → app → serve. Loaded by main.ts only in a
// process that serves (a cluster worker, or the single process of WORKERS=0): the primary
// never needs express, the app or prom-client.
import { serverSettings } from '@toasties/config';
import { createFlags, flagOptions } from '@toasties/flags';
import { createClusterStatus, serve } from '@toasties/graceful';
import { createHealth } from '@toasties/health';
import { answerProtocolErrorsAsJson } from '@toasties/http';
import { createMetrics, type Logger } from '@toasties/observability';
import { createApp } from './app';
import type { Config } from './config';
import { FLAGS } from './flags';
import { openDatabase, pingDatabase } from './db';
import { createIdempotency } from './idempotency';
import { migrate } from './migrations';
import { createOrders } from './orders';
import { createStock } from './stock';
import { createWrites, SERVICE_BUSY_TIMEOUT_MS } from './writes';

export async function startWorker(config: Config, logger: Logger): Promise<void> {
  const db = openDatabase(config.DATABASE_PATH, { synchronous: config.SQLITE_SYNCHRONOUS, busyTimeoutMs: SERVICE_BUSY_TIMEOUT_MS, maxPageCount: config.SQLITE_MAX_PAGE_COUNT });
  await migrate(db, logger); // nothing to do on a file; builds the schema of a ':memory:' database
  const writes = createWrites(db, { lockWaitMs: config.SQLITE_LOCK_WAIT_MS, onWait: () => logger.warn('database busy: a write waits for the lock') });
  const clusterStatus = createClusterStatus(); // who serves, for /health
  const checks = { database: () => pingDatabase(db), writes: () => writes.check() };
  const health = createHealth({ service: 'chillybin', version: config.VERSION, checks, details: clusterStatus.details });
  const flags = createFlags(FLAGS, { ...flagOptions(config, FLAGS, 'chillybin'), logger });
  const idempotency = createIdempotency(db, { ttlMs: config.IDEMPOTENCY_KEY_TTL_SECONDS * 1000 });
  const metrics = createMetrics({ version: config.VERSION });
  const app = createApp({ stock: createStock(db), orders: createOrders(db), idempotency, writes, flags, health, logger, metrics, adminToken: config.ADMIN_TOKEN, rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE, serviceToken: config.SERVICE_TOKEN });
  const readiness = async () => (await health.readiness()).ready;
  metrics.trackReadiness(readiness);
  const running = await serve(app, {
    ...serverSettings(config),
    logger,
    readiness,
    clusterStatus,
    onShutdownStart: health.beginShutdown,
    cleanups: [() => flags.close(), () => db.close()],
  });
  // node's own answers (431, 400, 408, 417, CONNECT) in the same JSON shape as the app's
  answerProtocolErrorsAsJson(running.server);
}
