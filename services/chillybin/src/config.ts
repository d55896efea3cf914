import { join } from 'node:path';
import { z } from 'zod';
import { bearerToken, integer, loadConfigOrExit, releaseVersion, serviceSettings, withShutdownBudget } from '@toasties/config';
import { withFlags } from '@toasties/flags';
import { FLAGS } from './flags';
import { worstCaseWriteWaitMs, WRITE_BUDGET_MS } from './write-deadline';

/**
 * Every wait a write can make defaults to a share of the budget of a jafflr call
 * (@toasties/contract), so the defaults add up to no more than it (write-deadline.ts). On
 * PostgreSQL most of it goes to the statement (under load, writes queue on the stock's few
 * hot rows, and a lock wait cut short is a 503 however long the retry window) and to opening
 * a connection (a server forks a backend for each: slow on a busy machine).
 */
const share = (fraction: number) => Math.round(WRITE_BUDGET_MS * fraction);

const settings = withShutdownBudget(
  serviceSettings(7001, releaseVersion(join(__dirname, '..'))).extend({
    /**
     * Set (postgres://user:password@host:5432/db): chillybin keeps its stock in PostgreSQL,
     * and any number of replicas may share it (docs/scaling.md). Unset: SQLite at DATABASE_PATH.
     */
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, { error: 'must be a postgres:// or postgresql:// URL' })
      .optional(),
    /** PostgreSQL: connections per process (each worker and each replica has its own pool). */
    DATABASE_POOL_SIZE: integer(1, 1000).default(10),
    /**
     * PostgreSQL: the longest a statement may run or wait for a row lock (statement_timeout,
     * lock_timeout: the server cancels it, and the outcome is known), and a connection may
     * take to open or to come free in the pool.
     */
    DATABASE_STATEMENT_TIMEOUT_MS: integer(50, 60_000).default(share(0.5)),
    DATABASE_CONNECT_TIMEOUT_MS: integer(50, 60_000).default(share(0.25)),
    /**
     * PostgreSQL: how long a write is tried again after a deadlock, a serialization failure or
     * a lock wait past lock_timeout (each rolled it back whole) before answering 503
     * database_busy. lock_timeout fires before the server's deadlock_timeout (1 s) finds one.
     */
    DATABASE_RETRY_WINDOW_MS: integer(0, 60_000).default(share(0.05)),
    /**
     * PostgreSQL: how long a COMMIT whose answer was lost is asked about (on a fresh
     * connection) before the write is answered 503 outcome_unknown.
     */
    DATABASE_COMMIT_CHECK_MS: integer(0, 60_000).default(share(0.1)),
    /**
     * How long chillybin's callers wait for an answer: jafflr's setting of the same name, set
     * alike on both. Start-up refuses waits that could add up to more (write-deadline.ts).
     */
    CHILLYBIN_TIMEOUT_MS: integer(1, 600_000).default(WRITE_BUDGET_MS),
    /** A file path, or ':memory:' for a database that lives and dies with the process. */
    DATABASE_PATH: z.string().min(1).default('data/chillybin.db'),
    /** NORMAL survives a process crash; FULL also an OS crash or power cut (docs/durability.md). */
    SQLITE_SYNCHRONOUS: z.enum(['NORMAL', 'FULL'], { error: 'must be NORMAL or FULL' }).default('NORMAL'),
    /**
     * How long a write waits for SQLite's write lock while another process holds it, before
     * answering 503 database_busy. Waited in short steps between which the event loop runs.
     */
    SQLITE_LOCK_WAIT_MS: integer(0, 60_000).default(share(0.25)),
    /**
     * For tests: the most pages (4 KiB each) the service's connections may grow the database
     * to; below the current size means "no growth at all". A full disk, without filling one.
     */
    SQLITE_MAX_PAGE_COUNT: integer(1, 2_147_483_646).optional(),
    /** How long an Idempotency-Key is remembered (default 24 h, at most 30 days). */
    IDEMPOTENCY_KEY_TTL_SECONDS: integer(1, 30 * 24 * 60 * 60).default(24 * 60 * 60),
    /** Unset: POST /restock is open (the laptop demo). Set: it needs Authorization: Bearer <this>. */
    ADMIN_TOKEN: bearerToken().optional(),
    /** Unset: no limit (load tests measure the service). Set: picks per client per minute, across workers, then 429. */
    RATE_LIMIT_PER_MINUTE: integer(1, 1_000_000).optional(),
    /** Callers presenting it (jafflr: Authorization: Bearer <it>) are services, not counted by RATE_LIMIT_PER_MINUTE. */
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
    // Only over values that are each valid: a bad one has its own line, and only that line.
  }, { when: (payload) => payload.issues.length === 0 });

/** With chillybin's own flags (./flags.ts): FLAG_PICK_V1 and Unleash's variables. */
export const configSchema = withFlags(FLAGS, settings);

export type Config = z.output<typeof configSchema>;

export const loadConfig = (env: NodeJS.ProcessEnv = process.env): Config => loadConfigOrExit(configSchema, env);
