import cluster from 'node:cluster';
import { processSettings, type ServiceSettings } from '@toasties/config';
import type { LogWriter } from '@toasties/observability/log-writer';
import { serveClusterRateLimits } from '@toasties/http/rate-limit';
import { serveClusterQueries } from '@toasties/observability/cluster-query';
import { runProcesses } from './cluster';
import type { WorkerBuild } from './service-worker';

export type { ServiceParts, WorkerBuild, WorkerRuntime } from './service-worker';

export interface RunServiceOptions {
  /** The service's name, as /health and the logs give it. */
  readonly name: string;
  /** The settings every service shares (@toasties/config's serviceSettings): port, workers, shutdown budget… */
  readonly config: ServiceSettings;
  readonly logger: LogWriter<'info' | 'warn' | 'error'>;
  /** Runs once, in the primary (or the single process), before any worker starts: migrations. */
  readonly beforeWorkers?: () => Promise<void>;
  /** Runs in the primary once its workers have exited on SIGTERM/SIGINT (never with WORKERS=0: there is no primary). */
  readonly afterWorkers?: () => Promise<void>;
  /**
   * Builds one worker's app, checks and cleanups; runs in each process that serves. Require
   * the service's app inside it, so that the primary never loads express or prom-client.
   */
  readonly worker: WorkerBuild;
}

/**
 * A service is this one call. It owns the process model (a primary holding the port, its
 * workers, SIGHUP reload, SIGTERM drain), health (GET /health with every worker serving,
 * GET /health/ready from the service's checks), the `up_ready` gauge, and the primary's side
 * of what the workers share (metrics over every worker, rate-limit counts). The service
 * names none of them: it gives its routes, its checks and what to close.
 *
 * A failure to start (migrations, the database, the address) is logged as
 * `<name> failed to start` and the process exits 1.
 *
 * Start-up is module loading: this file loads only what the primary needs; the worker's
 * side (service-worker.ts, with express, prom-client and the service's app) is required in
 * the processes that serve.
 */
export function runService({ name, config, logger, beforeWorkers, afterWorkers, worker }: RunServiceOptions): void {
  const settings = processSettings(config);
  runProcesses({
    ...settings,
    port: config.PORT,
    host: config.HOST,
    logger,
    afterWorkers,
    async beforeWorkers() {
      await beforeWorkers?.();
      if (settings.workers > 0 && cluster.isPrimary) {
        serveClusterQueries(); // /metrics (and any cluster query), answered by one worker, covers them all
        serveClusterRateLimits(); // RATE_LIMIT_PER_MINUTE counts, shared by every worker
      }
    },
    async worker() {
      const { startServiceWorker } = require('./service-worker') as typeof import('./service-worker');
      await startServiceWorker({ name, config, logger, worker });
    },
  }).catch((error: unknown) => {
    logger.error({ err: error }, `${name} failed to start`);
    process.exit(1);
  });
}
