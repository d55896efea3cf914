import type { Express } from 'express';
import type { Health } from '@toasties/health';
import { createJsonApp, writeRateLimit, type ErrorLogger } from '@toasties/http';
import type { Machine } from './machine';
import { toastieRoutes } from './routes/toastie';
import type { ToastieMaker } from './toastie-maker';

export interface AppDependencies {
  readonly maker: ToastieMaker;
  readonly machine: Machine;
  readonly health: Health;
  readonly logger: ErrorLogger;
  /** RATE_LIMIT_PER_MINUTE: limits /toastie per client when set. */
  readonly rateLimitPerMinute?: number | undefined;
}

/** The jafflr HTTP API, built from its parts so tests can build as many as they like. */
export function createApp({ maker, machine, health, logger, rateLimitPerMinute }: AppDependencies): Express {
  return createJsonApp(
    (app) => {
      app.use(health.router);
      app.use(toastieRoutes(maker, machine, writeRateLimit(rateLimitPerMinute)));
    },
    { logger },
  );
}

export { createChillybinClient } from './chillybin-client';
export { createMachine } from './machine';
export { createToastieMaker } from './toastie-maker';
