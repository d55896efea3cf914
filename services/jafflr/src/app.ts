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
  readonly machines: ClusterQuery<MachineStatus>;
  readonly health: Health;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly business: JafflrMetrics;
  readonly rateLimitPerMinute?: number | undefined;
}

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
      app.use(errorAnswers);
    },
    { logger, observe: [requestLogging(logger), metrics.httpMetrics] },
  );
}

export { createChillybinClient } from './chillybin-client';
export { createMachine } from './machine';
export { createJafflrMetrics, uncounted } from './metrics';
export { createToastieMaker } from './toastie-maker';
