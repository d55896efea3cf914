#!/usr/bin/env node
// jafflr: config → chillybin client → app → serve (in each worker). Wiring only.
//
// Start-up is module loading. The primary of a cluster needs config, a logger and the
// cluster code, so that is all it loads before forking; a worker's app (./worker) is
// required where it runs (docs/performance.md). The paths into dist/ skip the package
// indexes, which would load express and prom-client along.
import { processSettings } from '@toasties/config';
import { runService } from '@toasties/graceful/dist/run-service';
import { serveClusterRateLimits } from '@toasties/http/dist/rate-limit';
import { serveClusterQueries } from '@toasties/observability/dist/cluster-query';
import { createLogger } from '@toasties/observability/dist/logger';
import { flagOptions, flagsInEffect } from '@toasties/flags';
import { loadConfig } from './config';
import { FLAGS } from './flags';

const config = loadConfig();
const logger = createLogger({ service: 'jafflr', version: config.VERSION, level: config.LOG_LEVEL, format: config.LOG_FORMAT });

runService({
  ...processSettings(config),
  logger,
  async beforeWorkers() {
    const { flags, message } = flagsInEffect(FLAGS, flagOptions(config, FLAGS, 'jafflr'));
    logger.info({ flags }, message); // once, which flags are in effect and why
    serveClusterQueries(); // /metrics and GET /, answered by any worker, cover them all
    serveClusterRateLimits(); // RATE_LIMIT_PER_MINUTE counts, shared by every worker
  },
  async worker() {
    const { startWorker } = require('./worker') as typeof import('./worker');
    await startWorker(config, logger);
  },
}).catch((error: unknown) => {
  logger.fatal({ err: error }, 'jafflr failed to start');
  process.exit(1);
});
