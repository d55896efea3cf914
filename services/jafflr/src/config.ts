import { join } from 'node:path';
import * as z from 'zod';
import { bearerToken, decimal, serviceUrl, integer, loadConfigOrExit, milliseconds, releaseVersion, serviceSettings, withShutdownBudget } from '@toasties/config';
import { CHILLYBIN_CALL_BUDGET_MS } from '@toasties/contract';
import { withFlags } from '@toasties/flags';
import { FLAGS } from './flags';

const settings = withShutdownBudget(
  serviceSettings(7000, releaseVersion(join(__dirname, '..'))).extend({
    /** 127.0.0.1 rather than localhost: no IPv6-first surprises. */
    CHILLYBIN_URL: serviceUrl().default('http://127.0.0.1:7001'),
    /** Without a bound, a slow chillybin ran out of file descriptors and threads (not jafflr). */
    CHILLYBIN_MAX_CONNECTIONS: integer(1, 1024).default(64),
    CHILLYBIN_TIMEOUT_MS: milliseconds(1).default(CHILLYBIN_CALL_BUDGET_MS),
    COOK_TIME_SCALE: decimal(0, 10).default(1),
    RATE_LIMIT_PER_MINUTE: integer(1, 1_000_000).optional(),
    SERVICE_TOKEN: bearerToken().optional(),
  }),
);

export const configSchema = withFlags(FLAGS, settings);

export type Config = z.output<typeof configSchema>;

export const loadConfig = (env: NodeJS.ProcessEnv = process.env): Config => loadConfigOrExit(configSchema, env);

