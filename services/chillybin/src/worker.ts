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
import { startKeySweeper } from './key-sweeper';
import { openStore } from './store/open';
import type { Config } from './config';
import { FLAGS } from './flags';

export async function startWorker(config: Config, logger: Logger): Promise<void> {
  const store = await openStore(config, logger); // DATABASE_URL: PostgreSQL; else SQLite
  const sweeper = startKeySweeper(store, { onError: (error) => logger.warn({ err: error }, 'expired idempotency keys: a sweep step failed; the next one tries again') });
  const clusterStatus = createClusterStatus(); // who serves, for /health
  const checks = { database: () => store.ping(), writes: () => store.check() };
  const health = createHealth({ service: 'chillybin', version: config.VERSION, checks, details: clusterStatus.details });
  const flags = createFlags(FLAGS, { ...flagOptions(config, FLAGS, 'chillybin'), logger });
  const metrics = createMetrics({ version: config.VERSION });
  const app = createApp({ store, picking: { keyTtlMs: config.IDEMPOTENCY_KEY_TTL_SECONDS * 1000 }, flags, health, logger, metrics, adminToken: config.ADMIN_TOKEN, rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE, serviceToken: config.SERVICE_TOKEN });
  const readiness = async () => (await health.readiness()).ready;
  metrics.trackReadiness(readiness);
  const running = await serve(app, {
    ...serverSettings(config),
    logger,
    readiness,
    clusterStatus,
    onShutdownStart: health.beginShutdown,
    cleanups: [() => flags.close(), () => sweeper.stop(), () => store.close()],
  });
  // node's own answers (431, 400, 408, 417, CONNECT) in the same JSON shape as the app's
  answerProtocolErrorsAsJson(running.server);
}
