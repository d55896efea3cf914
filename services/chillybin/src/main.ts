#!/usr/bin/env node
// chillybin: config → database → migrations → app → serve. Wiring only.
import { serverSettings } from '@toasties/config';
import { serve } from '@toasties/graceful';
import { createHealth } from '@toasties/health';
import { createLogger } from '@toasties/observability';
import { createApp } from './app';
import { loadConfig } from './config';
import { openDatabase, pingDatabase } from './db';
import { createMigrator } from './migrations';
import { createStock } from './stock';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ service: 'chillybin', version: config.VERSION, level: config.LOG_LEVEL });

  const db = openDatabase(config.DATABASE_PATH);
  await createMigrator(db, logger).up();

  const health = createHealth({ service: 'chillybin', version: config.VERSION, checks: { database: () => pingDatabase(db) } });
  const app = createApp({ stock: createStock(db), health, logger });

  await serve(app, {
    ...serverSettings(config),
    logger,
    onShutdownStart: health.beginShutdown,
    cleanups: [() => db.close()],
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`chillybin failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
