// Required by main.ts only in a process that serves: the primary never loads express or a database driver.
import { createFlags, flagOptions } from '@toasties/flags';
import type { ServiceParts, WorkerRuntime } from '@toasties/graceful';
import type { Logger } from '@toasties/observability';
import { createApp } from './app';
import { startKeySweeper } from './key-sweeper';
import { openStore } from './store/open';
import type { Config } from './config';
import { FLAGS } from './flags';

export async function buildWorker(config: Config, logger: Logger, { metrics }: WorkerRuntime): Promise<ServiceParts> {
  // With workers, the primary checkpoints their SQLite file (main.ts); a single process its own.
  const store = await openStore(config, logger, { checkpoints: config.WORKERS > 0 ? 'primary' : 'thread' }); // DATABASE_URL: PostgreSQL; else SQLite
  const sweeper = startKeySweeper(store, { onError: (error) => logger.warn({ err: error }, 'expired idempotency keys: a sweep step failed; the next one tries again') });
  const flags = createFlags(FLAGS, { ...flagOptions(config, FLAGS, 'chillybin'), logger });
  return {
    checks: { database: () => store.ping(), writes: () => store.check() },
    cleanups: [() => flags.close(), () => sweeper.stop(), () => store.close()],
    app: (health) =>
      createApp({ store, picking: { keyTtlMs: config.IDEMPOTENCY_KEY_TTL_SECONDS * 1000 }, flags, health, logger, metrics, adminToken: config.ADMIN_TOKEN, rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE, serviceToken: config.SERVICE_TOKEN }),
  };
}
