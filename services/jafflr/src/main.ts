#!/usr/bin/env node
// jafflr: config → in each worker: chillybin client → app. Wiring only.
import { loadConfig } from './config';
import { runService } from '@toasties/graceful/run-service';
import { createLogger } from '@toasties/observability/logger';

const config = loadConfig();
const logger = createLogger({ service: 'jafflr', version: config.VERSION, level: config.LOG_LEVEL, format: config.LOG_FORMAT });

runService({
  name: 'jafflr',
  config,
  logger,
  // Required here, not imported: the primary loads only what it runs (docs/performance.md).
  worker: (runtime) => (require('./worker') as typeof import('./worker')).buildWorker(config, logger, runtime),
});
