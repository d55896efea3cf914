import cluster from 'node:cluster';
import { processSettings, type ServiceSettings } from '@toasties/config';
import type { LogWriter } from '@toasties/observability/log-writer';
import { serveClusterRateLimits } from '@toasties/http/rate-limit';
import { serveClusterQueries } from '@toasties/observability/cluster-query';
import { runProcesses } from './cluster';
import type { WorkerBuild } from './service-worker';

export type { ServiceParts, WorkerBuild, WorkerRuntime } from './service-worker';

export interface RunServiceOptions {
  readonly name: string;
  readonly config: ServiceSettings;
  readonly logger: LogWriter<'info' | 'warn' | 'error'>;
  /** Once, in the primary (or the single process), before any worker starts: migrations. */
  readonly beforeWorkers?: () => Promise<void>;
  /** In the primary, once its workers have exited on SIGTERM/SIGINT (never with WORKERS=0). */
  readonly afterWorkers?: () => Promise<void>;
  /** Require the service's app inside it, so that the primary never loads express or prom-client. */
  readonly worker: WorkerBuild;
}

/** A service is this one call and names none of the process model's parts. A failure to start is logged
 * as `<name> failed to start` and exits 1. This file loads only what the primary needs. */
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
        serveClusterQueries();
        serveClusterRateLimits();
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
