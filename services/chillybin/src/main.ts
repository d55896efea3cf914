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
import { migrateDatabase, openBackend } from './backend';

const config = loadConfig();
const logger = createLogger({ service: 'chillybin', version: config.VERSION, level: config.LOG_LEVEL, format: config.LOG_FORMAT });

runService({
  ...processSettings(config),
  logger,
  // Once, in the primary, before any worker opens the database.
  async beforeWorkers() {
    await migrateDatabase(config, logger); // DATABASE_URL: PostgreSQL; else SQLite at DATABASE_PATH
    serveClusterQueries(); // /metrics, answered by any worker, covers them all
    serveClusterRateLimits(); // RATE_LIMIT_PER_MINUTE counts, shared by every worker
  },
  async worker() {
    const { stock, orders, idempotency, writes, ping, close } = await openBackend(config, logger);
    const clusterStatus = createClusterStatus(); // who serves, for /health
    const checks = { database: ping, writes: () => writes.check() };
    const health = createHealth({ service: 'chillybin', version: config.VERSION, checks, details: clusterStatus.details });
    const flags = createFlags(FLAGS, { ...flagOptions(config, FLAGS, 'chillybin'), logger });
    const metrics = createMetrics({ version: config.VERSION });
    const app = createApp({ stock, orders, idempotency, writes, flags, health, logger, metrics, adminToken: config.ADMIN_TOKEN, rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE, serviceToken: config.SERVICE_TOKEN });
    const readiness = async () => (await health.readiness()).ready;
    metrics.trackReadiness(readiness);
    const running = await serve(app, {
      ...serverSettings(config),
      logger,
      readiness,
      clusterStatus,
      onShutdownStart: health.beginShutdown,
      cleanups: [() => flags.close(), close],
    });
    // node's own answers (431, 400, 408, 417, CONNECT) in the same JSON shape as the app's
    answerProtocolErrorsAsJson(running.server);
  },
}).catch((error: unknown) => {
  logger.fatal({ err: error }, 'chillybin failed to start');
  process.exit(1);
});
