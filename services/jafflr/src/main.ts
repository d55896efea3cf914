#!/usr/bin/env node
// jafflr: config → in each worker: chillybin client → app. Wiring only.
import { flagOptions, flagsInEffect } from '@toasties/flags';
import { runService } from '@toasties/graceful/run-service';
import { createLogger } from '@toasties/observability/logger';
import { loadConfig } from './config';
import { FLAGS } from './flags';

const config = loadConfig();
const logger = createLogger({ service: 'jafflr', version: config.VERSION, level: config.LOG_LEVEL, format: config.LOG_FORMAT });

runService({
  name: 'jafflr',
  config,
  logger,
  async beforeWorkers() {
    const { flags, message } = flagsInEffect(FLAGS, flagOptions(config, FLAGS, 'jafflr'));
    logger.info({ flags }, message); // once, which flags are in effect and why
  },
  // Required here, not imported: the primary loads only what it runs (docs/performance.md).
  worker: (runtime) => (require('./worker') as typeof import('./worker')).buildWorker(config, logger, runtime),
});
