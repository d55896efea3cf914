// One chillybin worker: database → app. Required by main.ts only in a process that serves:
// the primary never needs express, prom-client or a database driver's pool.
import { createFlags, flagOptions } from '@toasties/flags';
import type { ServiceParts, WorkerRuntime } from '@toasties/graceful';
import type { Logger } from '@toasties/observability';
import { createApp } from './app';
import { openBackend } from './backend';
import type { Config } from './config';
import { FLAGS } from './flags';

export async function buildWorker(config: Config, logger: Logger, { metrics }: WorkerRuntime): Promise<ServiceParts> {
  const { stock, orders, idempotency, writes, ping, close } = await openBackend(config, logger); // DATABASE_URL: PostgreSQL; else SQLite
  const flags = createFlags(FLAGS, { ...flagOptions(config, FLAGS, 'chillybin'), logger });
  return {
    checks: { database: ping, writes: () => writes.check() },
    cleanups: [() => flags.close(), close],
    app: (health) => createApp({ stock, orders, idempotency, writes, flags, health, logger, metrics, adminToken: config.ADMIN_TOKEN, rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE, serviceToken: config.SERVICE_TOKEN }),
  };
}
