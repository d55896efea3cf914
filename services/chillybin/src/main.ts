#!/usr/bin/env node
// chillybin: config → database → migrations → app → serve (in each worker). Wiring only.
import { processSettings, serverSettings } from '@toasties/config';
import { clusterDetails, runService, serve } from '@toasties/graceful';
import { createHealth } from '@toasties/health';
import { createLogger } from '@toasties/observability';
import { createApp } from './app';
import { loadConfig } from './config';
import { openDatabase, pingDatabase } from './db';
import { migrate } from './migrations';
import { createStock } from './stock';

const config = loadConfig();
const logger = createLogger({ service: 'chillybin', version: config.VERSION, level: config.LOG_LEVEL });

runService({
  ...processSettings(config),
  logger,
  // Once, in the primary, before any worker opens the database.
  beforeWorkers: () => migrate(config.DATABASE_PATH, logger),
  async worker() {
    const db = openDatabase(config.DATABASE_PATH, config.SQLITE_SYNCHRONOUS);
    await migrate(db, logger); // nothing to do on a file; builds the schema of a ':memory:' database
    const health = createHealth({ service: 'chillybin', version: config.VERSION, checks: { database: () => pingDatabase(db) }, details: clusterDetails });
    await serve(createApp({ stock: createStock(db), health, logger }), {
      ...serverSettings(config),
      logger,
      readiness: async () => (await health.readiness()).ready,
      onShutdownStart: health.beginShutdown,
      cleanups: [() => db.close()],
    });
  },
}).catch((error: unknown) => {
  logger.fatal({ err: error }, 'chillybin failed to start');
  process.exit(1);
});
