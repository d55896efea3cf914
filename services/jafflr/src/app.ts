import type { Express } from 'express';
import type { Health } from '@toasties/health';
import { createJsonApp, routeTable, writeRateLimit } from '@toasties/http';
import { requestLogging, type ClusterQuery, type Logger, type Metrics } from '@toasties/observability';
import { errorAnswers } from './answers';
import type { MachineStatus } from './machine';
import type { JafflrMetrics } from './metrics';
import { toastieRoutes } from './routes/toastie';
import type { ToastieMaker } from './toastie-maker';

export interface AppDependencies {
  readonly maker: ToastieMaker;
  /** Every worker's machine (runService's everyWorker), for GET /. */
  readonly machines: ClusterQuery<MachineStatus>;
  readonly health: Health;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** jafflr's own counters, on `metrics.registry` (see metrics.ts). */
  readonly business: JafflrMetrics;
  /** RATE_LIMIT_PER_MINUTE: limits /toastie per client when set. */
  readonly rateLimitPerMinute?: number | undefined;
}

/** The jafflr HTTP API, built from its parts so tests can build as many as they like. */
export function createApp({ maker, machines, health, logger, metrics, business, rateLimitPerMinute }: AppDependencies): Express {
  return createJsonApp(
    (app) => {
      app.use(
        routeTable([
          ...health.routes,
          { method: 'GET', path: '/metrics', handlers: [metrics.endpoint] },
          ...toastieRoutes({ maker, machines, metrics: business, writeLimit: writeRateLimit(rateLimitPerMinute, { name: 'jafflr-toasties', logger }) }),
        ]),
      );
      // The toastie's rules and the chillybin's failures as their answers (answers.ts).
      app.use(errorAnswers);
    },
    { logger, observe: [requestLogging(logger), metrics.httpMetrics] },
  );
}

export { createChillybinClient } from './chillybin-client';
export { createMachine } from './machine';
export { createJafflrMetrics, uncounted } from './metrics';
export { createToastieMaker } from './toastie-maker';
