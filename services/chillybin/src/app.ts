import type { Express } from 'express';
import { createJsonApp, type ErrorLogger } from '@toasties/http';
import type { Health } from '@toasties/health';
import { v1Routes } from './routes/v1';
import type { Stock } from './stock';

export interface AppDependencies {
  readonly stock: Stock;
  readonly health: Health;
  readonly logger: ErrorLogger;
}

/** The chillybin HTTP API, built from its parts so tests can build as many as they like. */
export function createApp({ stock, health, logger }: AppDependencies): Express {
  return createJsonApp(
    (app) => {
      app.use(health.router);
      app.use(v1Routes(stock));
    },
    { logger },
  );
}

export { openDatabase, pingDatabase } from './db';
export { createMigrator, migrations } from './migrations';
export { createStock } from './stock';
export { DEFAULT_STOCK } from './default-stock';
