import { join } from 'node:path';
import { z } from 'zod';
import { bearerToken, decimal, serviceUrl, integer, loadConfigOrExit, milliseconds, releaseVersion, serviceSettings, withShutdownBudget } from '@toasties/config';
import { CHILLYBIN_CALL_BUDGET_MS } from '@toasties/contract';
import { withFlags } from '@toasties/flags';
import { FLAGS } from './flags';

const settings = withShutdownBudget(
  serviceSettings(7000, releaseVersion(join(__dirname, '..'))).extend({
    /** Where the chillybin listens. 127.0.0.1 rather than localhost: no IPv6-first surprises. */
    CHILLYBIN_URL: serviceUrl().default('http://127.0.0.1:7001'),
    /**
     * Most connections one worker keeps open to the chillybin; calls beyond them wait their
     * turn (within CHILLYBIN_TIMEOUT_MS). Unbounded, 500 toasties in flight to a slow chillybin
     * were 343–605 connections: its file descriptors and threads, not jafflr's, ran out.
     */
    CHILLYBIN_MAX_CONNECTIONS: integer(1, 1024).default(64),
    /** Longest wait for one chillybin call before answering 504 (the contract's budget, which chillybin's waits fit in). */
    CHILLYBIN_TIMEOUT_MS: milliseconds(1).default(CHILLYBIN_CALL_BUDGET_MS),
    /** Multiplies cooking times: 1 for the real thing, 0 for tests and benchmarks. */
    COOK_TIME_SCALE: decimal(0, 10).default(1),
    /** Unset: no limit (load tests measure the service). Set: toasties per client per minute, across workers, then 429. */
    RATE_LIMIT_PER_MINUTE: integer(1, 1_000_000).optional(),
    /** Sent to the chillybin as Authorization: Bearer <it>: the chillybin's SERVICE_TOKEN exempts jafflr from its limit. */
    SERVICE_TOKEN: bearerToken().optional(),
  }),
);

/** With jafflr's own flags (./flags.ts): FLAG_PICK_V2 and Unleash's variables. */
export const configSchema = withFlags(FLAGS, settings);

export type Config = z.output<typeof configSchema>;

export const loadConfig = (env: NodeJS.ProcessEnv = process.env): Config => loadConfigOrExit(configSchema, env);

