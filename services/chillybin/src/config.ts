import { z } from 'zod';
import { integer, loadConfigOrExit, serviceSettings, withShutdownBudget } from '@toasties/config';
import { flagSettings } from '@toasties/flags';

export const configSchema = withShutdownBudget(
  serviceSettings(7001).extend({
    /** A file path, or ':memory:' for a database that lives and dies with the process. */
    DATABASE_PATH: z.string().min(1).default('data/chillybin.db'),
    /** How long an Idempotency-Key is remembered (default 24 h, at most 30 days). */
    IDEMPOTENCY_KEY_TTL_SECONDS: integer(1, 30 * 24 * 60 * 60).default(24 * 60 * 60),
    ...flagSettings,
  }),
);

export type Config = z.output<typeof configSchema>;

export const loadConfig = (env: NodeJS.ProcessEnv = process.env): Config => loadConfigOrExit(configSchema, env);
