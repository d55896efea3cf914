#!/usr/bin/env node
// chillybin: config → migrations (once) → in each worker: database → app. Wiring only.
import { loadConfig } from './config';
import { runService } from '@toasties/graceful/run-service';
import { createLogger } from '@toasties/observability/logger';

const config = loadConfig();
const logger = createLogger({ service: 'chillybin', version: config.VERSION, level: config.LOG_LEVEL, format: config.LOG_FORMAT });

runService({
  name: 'chillybin',
  config,
  logger,
  // Once, before any worker opens the database. Required here, not imported: the primary
  // loads only what it runs (docs/performance.md).
  async beforeWorkers() {
    const { migrateDatabase } = require('./backend') as typeof import('./backend');
    await migrateDatabase(config, logger); // DATABASE_URL: PostgreSQL; else SQLite at DATABASE_PATH
  },
  worker: (runtime) => (require('./worker') as typeof import('./worker')).buildWorker(config, logger, runtime),
});
