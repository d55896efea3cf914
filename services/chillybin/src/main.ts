#!/usr/bin/env node
// chillybin: config → database → migrations → app → serve. Wiring only.
import { serverSettings } from '@toasties/config';
import { createFlags, flagOptions } from '@toasties/flags';
import { serve } from '@toasties/graceful';
import { createHealth } from '@toasties/health';
import { createLogger } from '@toasties/observability';
import { createApp } from './app';
import { loadConfig } from './config';
import { openDatabase, pingDatabase } from './db';
import { createIdempotency } from './idempotency';
import { createMigrator } from './migrations';
import { createOrders } from './orders';
import { createStock } from './stock';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ service: 'chillybin', version: config.VERSION, level: config.LOG_LEVEL });

  const db = openDatabase(config.DATABASE_PATH);
  await createMigrator(db, logger).up();

  const health = createHealth({ service: 'chillybin', version: config.VERSION, checks: { database: () => pingDatabase(db) } });
  const flags = createFlags({ ...flagOptions(config, 'chillybin'), logger });
  const idempotency = createIdempotency(db, { ttlMs: config.IDEMPOTENCY_KEY_TTL_SECONDS * 1000 });
  const app = createApp({ stock: createStock(db), orders: createOrders(db), idempotency, flags, health, logger });

  await serve(app, {
    ...serverSettings(config),
    logger,
    onShutdownStart: health.beginShutdown,
    cleanups: [() => flags.close(), () => db.close()],
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`chillybin failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
