// One chillybin worker: database → app → serve. Loaded by main.ts only in a process that
// serves (a cluster worker, or the single process of WORKERS=0): the primary never needs
// express, the app, prom-client or a database driver's pool.
import { serverSettings } from '@toasties/config';
import { createFlags, flagOptions } from '@toasties/flags';
import { createClusterStatus, serve } from '@toasties/graceful';
import { createHealth } from '@toasties/health';
import { answerProtocolErrorsAsJson } from '@toasties/http';
import { createMetrics, type Logger } from '@toasties/observability';
import { createApp } from './app';
import { openBackend } from './backend';
import type { Config } from './config';
import { FLAGS } from './flags';

export async function startWorker(config: Config, logger: Logger): Promise<void> {
  const { stock, orders, idempotency, writes, ping, close } = await openBackend(config, logger); // DATABASE_URL: PostgreSQL; else SQLite
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
}
