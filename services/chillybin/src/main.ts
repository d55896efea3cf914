#!/usr/bin/env node
// chillybin: config → database → migrations → app → serve (in each worker). Wiring only.
import { processSettings, serverSettings } from '@toasties/config';
import { createFlags, flagOptions } from '@toasties/flags';
import { createClusterStatus, runService, serve } from '@toasties/graceful';
import { createHealth } from '@toasties/health';
import { answerProtocolErrorsAsJson, serveClusterRateLimits } from '@toasties/http';
import { createLogger, createMetrics, serveClusterQueries } from '@toasties/observability';
import { createApp } from './app';
import { loadConfig } from './config';
import { FLAGS } from './flags';
import { openDatabase, pingDatabase } from './db';
import { createIdempotency } from './idempotency';
import { migrate } from './migrations';
import { createOrders } from './orders';
import { createStock } from './stock';
import { createWrites, SERVICE_BUSY_TIMEOUT_MS } from './writes';

const config = loadConfig();
const logger = createLogger({ service: 'chillybin', version: config.VERSION, level: config.LOG_LEVEL, format: config.LOG_FORMAT });

runService({
  ...processSettings(config),
  logger,
  // Once, in the primary, before any worker opens the database.
  async beforeWorkers() {
    await migrate(config.DATABASE_PATH, logger);
    serveClusterQueries(); // /metrics, answered by any worker, covers them all
    serveClusterRateLimits(); // RATE_LIMIT_PER_MINUTE counts, shared by every worker
  },
  async worker() {
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
  },
}).catch((error: unknown) => {
  logger.fatal({ err: error }, 'chillybin failed to start');
  process.exit(1);
});
