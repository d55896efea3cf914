#!/usr/bin/env node
// chillybin: config → database → migrations → app → serve (in each worker). Wiring only.
//
// Start-up is module loading. The primary of a cluster needs config, a logger and the
// cluster code, so that is all it loads before forking: its migrations, and a worker's
// app (./worker), are required when they run (docs/performance.md). The paths into dist/
// skip the package indexes, which would load express and prom-client along.
import { processSettings } from '@toasties/config';
import { runService } from '@toasties/graceful/dist/run-service';
import { serveClusterRateLimits } from '@toasties/http/dist/rate-limit';
import { serveClusterQueries } from '@toasties/observability/dist/cluster-query';
import { createLogger } from '@toasties/observability/dist/logger';
import { loadConfig } from './config';

const config = loadConfig();
const logger = createLogger({ service: 'chillybin', version: config.VERSION, level: config.LOG_LEVEL, format: config.LOG_FORMAT });

runService({
  ...processSettings(config),
  logger,
  // Once, in the primary, before any worker opens the database.
  async beforeWorkers() {
    const { migrateDatabase } = require('./store/open') as typeof import('./store/open');
    await migrateDatabase(config, logger); // DATABASE_URL: PostgreSQL; else SQLite at DATABASE_PATH
    serveClusterQueries(); // /metrics, answered by any worker, covers them all
    serveClusterRateLimits(); // RATE_LIMIT_PER_MINUTE counts, shared by every worker
  },
  async worker() {
    const { startWorker } = require('./worker') as typeof import('./worker');
    await startWorker(config, logger);
  },
}).catch((error: unknown) => {
  logger.fatal({ err: error }, 'chillybin failed to start');
  process.exit(1);
});
