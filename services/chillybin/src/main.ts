#!/usr/bin/env node
import { flagOptions, flagsInEffect } from '@toasties/flags';
import { runService } from '@toasties/graceful/run-service';
import { createLogger } from '@toasties/observability/logger';
import { loadConfig } from './config';
import { FLAGS } from './flags';

const config = loadConfig();
const logger = createLogger({ service: 'chillybin', version: config.VERSION, level: config.LOG_LEVEL, format: config.LOG_FORMAT });
let checkpointer: import('./store/sqlite/checkpointer').Checkpointer | undefined;

runService({
  name: 'chillybin',
  config,
  logger,
  // Required, not imported: the primary loads only what it runs.
  async beforeWorkers() {
    const { flags, message } = flagsInEffect(FLAGS, flagOptions(config, FLAGS, 'chillybin'));
    logger.info({ flags }, message); // once, which flags are in effect and why
    const { migrateDatabase, startPrimaryCheckpointer } = require('./store/open') as typeof import('./store/open');
    const { databaseName } = require('./database-name') as typeof import('./database-name');
    logger.info({}, `database: ${databaseName(config)}`);
    await migrateDatabase(config, logger); // DATABASE_URL: PostgreSQL; else SQLite at DATABASE_PATH
    // With workers, their SQLite file is checkpointed here, once, rather than from a thread in each.
    if (config.WORKERS > 0) checkpointer = startPrimaryCheckpointer(config);
  },
  afterWorkers: async () => checkpointer?.stop(), // the last connection to close: it checkpoints what is left and removes the WAL
  worker: (runtime) => (require('./worker') as typeof import('./worker')).buildWorker(config, logger, runtime),
});
