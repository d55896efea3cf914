import { join } from 'node:path';
import * as z from 'zod';
import { bearerToken, integer, loadConfigOrExit, releaseVersion, serviceSettings, withShutdownBudget } from '@toasties/config';
import { withFlags } from '@toasties/flags';
import { FLAGS } from './flags';
import { worstCaseWriteWaitMs, WRITE_BUDGET_MS } from './write-deadline';

/**
 * Write waits default to shares of a jafflr call's budget so they add up to no more than it
 * (write-deadline.ts). Each setting is described in docs/configuration.md.
 */
const share = (fraction: number) => Math.round(WRITE_BUDGET_MS * fraction);

const settings = withShutdownBudget(
  serviceSettings(7001, releaseVersion(join(__dirname, '..'))).extend({
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, { error: 'must be a postgres:// or postgresql:// URL' })
      .optional(),
    DATABASE_POOL_SIZE: integer(1, 1000).default(10),
    DATABASE_STATEMENT_TIMEOUT_MS: integer(50, 60_000).default(share(0.5)),
    DATABASE_CONNECT_TIMEOUT_MS: integer(50, 60_000).default(share(0.25)),
    DATABASE_RETRY_WINDOW_MS: integer(0, 60_000).default(share(0.05)),
    DATABASE_COMMIT_CHECK_MS: integer(0, 60_000).default(share(0.1)),
    CHILLYBIN_TIMEOUT_MS: integer(1, 600_000).default(WRITE_BUDGET_MS),
    DATABASE_PATH: z.string().min(1).default('data/chillybin.db'),
    SQLITE_SYNCHRONOUS: z.enum(['NORMAL', 'FULL'], { error: 'must be NORMAL or FULL' }).default('NORMAL'),
    SQLITE_LOCK_WAIT_MS: integer(0, 60_000).default(share(0.25)),
    SQLITE_MAX_PAGE_COUNT: integer(1, 2_147_483_646).optional(),
    IDEMPOTENCY_KEY_TTL_SECONDS: integer(1, 30 * 24 * 60 * 60).default(24 * 60 * 60),
    ADMIN_TOKEN: bearerToken().optional(),
    RATE_LIMIT_PER_MINUTE: integer(1, 1_000_000).optional(),
    SERVICE_TOKEN: bearerToken().optional(),
  }),
)
  .refine((c) => c.DATABASE_URL !== undefined || c.DATABASE_PATH !== ':memory:' || c.WORKERS <= 1, {
    path: ['WORKERS'],
    error: "must be 0 or 1 with DATABASE_PATH=:memory: (each worker would have a stock of its own)",
  })
  .superRefine((c, context) => {
    const worst = worstCaseWriteWaitMs(c);
    if (worst <= c.CHILLYBIN_TIMEOUT_MS) return;
    const waits = c.DATABASE_URL ? 'DATABASE_RETRY_WINDOW_MS + DATABASE_CONNECT_TIMEOUT_MS + DATABASE_STATEMENT_TIMEOUT_MS + 200 ms for its answer + DATABASE_COMMIT_CHECK_MS' : 'SQLITE_LOCK_WAIT_MS (and the connection\'s own busy wait)';
    context.addIssue({
      code: 'custom',
      path: [c.DATABASE_URL ? 'DATABASE_RETRY_WINDOW_MS' : 'SQLITE_LOCK_WAIT_MS'],
      message: `a write could wait ${worst} ms (${waits}), past the ${c.CHILLYBIN_TIMEOUT_MS} ms its callers wait (CHILLYBIN_TIMEOUT_MS): lower these waits`,
    });
    // Only over values that are each valid: a bad one gets its own issue, and only that.
  }, { when: (payload) => payload.issues.length === 0 });

export const configSchema = withFlags(FLAGS, settings);

export type Config = z.output<typeof configSchema>;

export const loadConfig = (env: NodeJS.ProcessEnv = process.env): Config => loadConfigOrExit(configSchema, env);
