import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { hasUserinfo } from './userinfo';

/**
 * Numbers are written in decimal digits and nothing else. A JavaScript conversion
 * (`Number()`, zod's coerce) also takes `0x1F41`, `' 7005 '`, `1.0`, `1e2` and reads a
 * lone blank as 0: each of those is more likely a mistake than a meaning, so each is
 * refused at start-up. Every numeric setting goes through one of the three below.
 */
const WHOLE = /^[0-9]+$/;
/** A decimal point only between digits: `0.5`, never `.5`, `5.` or `1,5`. */
const FRACTIONAL = /^[0-9]+(\.[0-9]+)?$/;

function numberWritten(pattern: RegExp, error: string, min: number, max: number, whole: boolean) {
  const inRange = z.number().min(min, { error }).max(max, { error });
  return z
    .string()
    .regex(pattern, { error, abort: true })
    .transform(Number)
    .pipe(whole ? inRange.int({ error }) : inRange);
}

/** A whole number from the environment, within bounds: decimal digits only. */
export function integer(min: number, max: number) {
  return numberWritten(WHOLE, `must be a whole number from ${min} to ${max}`, min, max, true);
}

/** A number that may have a fractional part (COOK_TIME_SCALE): digits, and a decimal point between them. */
export function decimal(min: number, max: number) {
  return numberWritten(FRACTIONAL, `must be a number from ${min} to ${max}`, min, max, false);
}

/** A duration in milliseconds, at most an hour: a typo like 50000000 is caught at start-up. */
export function milliseconds(min = 0) {
  return integer(min, 3_600_000);
}

/**
 * A credential sent as `Authorization: Bearer <it>` (ADMIN_TOKEN, SERVICE_TOKEN): RFC 6750's
 * token68, at least 16 characters. A blank, a quote or a non-ASCII letter could never be
 * sent whole in that header, so such a token would be accepted here and match no one.
 */
export function bearerToken() {
  return z.string().regex(/^[A-Za-z0-9._~+/-]{16,}=*$/, {
    error: 'must be 16 or more letters, digits or - . _ ~ + / (a bearer token holds no blanks; try: openssl rand -hex 24)',
  });
}

/**
 * An http(s) URL of a service this one calls. It may not carry a user or password: the
 * fetch client refuses such a URL (and its error would show it), and a credential in a URL
 * ends up wherever the URL is shown. Services authenticate with SERVICE_TOKEN instead.
 */
export function serviceUrl() {
  return z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL', abort: true })
    .refine((url) => !hasUserinfo(url), { error: 'must not carry a user or password (user:password@): it would be shown wherever the URL is; use SERVICE_TOKEN' });
}

/**
 * The version a release directory carries: the deploy writes the commit into
 * `<service>/VERSION`, so each worker forked after a deploy reports its own release.
 * None (a working copy): 'dev'.
 */
export function releaseVersion(serviceDir: string): string {
  try {
    return readFileSync(join(serviceDir, 'VERSION'), 'utf8').trim() || 'dev';
  } catch {
    return 'dev';
  }
}

/**
 * The variables every service reads (docs/configuration.md). Defaults make
 * `npm start` work on a laptop: listen on loopback only, no shutdown delay.
 * VERSION, when set, wins over the release's VERSION file.
 */
export function serviceSettings(defaultPort: number, defaultVersion = 'dev') {
  return z.object({
    PORT: integer(0, 65535).default(defaultPort),
    HOST: z.string().min(1).default('127.0.0.1'),
    VERSION: z.string().min(1).max(64).regex(/^[\w.+-]+$/, { error: 'must be letters, digits, . _ + or -' }).default(defaultVersion),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { error: 'must be one of fatal, error, warn, info, debug, trace, silent' }).default('info'),
    /** Unset: pretty on a terminal, JSON lines otherwise (what log shippers read). */
    LOG_FORMAT: z.enum(['json', 'pretty'], { error: 'must be json or pretty' }).optional(),
    SHUTDOWN_DELAY_MS: milliseconds().default(0),
    SHUTDOWN_TIMEOUT_MS: milliseconds().default(10_000),
    /** Worker processes behind one primary (node:cluster); 0 runs a single process. */
    WORKERS: integer(0, 64).default(1),
    /** How long a reload waits for a new worker to become ready before giving up on it. */
    WORKER_READY_TIMEOUT_MS: milliseconds(1).default(30_000),
    /**
     * How many workers a reload replaces at once. More is faster with idle cores, but the
     * new workers' starts then take CPU from the ones serving (docs/performance.md).
     */
    RELOAD_AT_ONCE: integer(1, 64).default(1),
    /** Where the primary writes its pid (for `kill -HUP`); none by default. */
    PID_FILE: z.string().min(1).optional(),
  });
}

export type ServiceSettings = z.output<ReturnType<typeof serviceSettings>>;

/**
 * Refuse an impossible shutdown budget up front (the habit of lightship): the delay
 * before draining must leave time to drain inside the hard timeout.
 */
export function withShutdownBudget<S extends z.ZodType<{ SHUTDOWN_DELAY_MS: number; SHUTDOWN_TIMEOUT_MS: number }>>(schema: S) {
  return schema.refine((c) => c.SHUTDOWN_TIMEOUT_MS > c.SHUTDOWN_DELAY_MS, {
    path: ['SHUTDOWN_TIMEOUT_MS'],
    error: 'must be greater than SHUTDOWN_DELAY_MS, or draining never gets a chance',
  });
}

/** How to listen and how to stop, in the terms of @toasties/graceful's serve(). */
export function serverSettings(settings: ServiceSettings) {
  return {
    port: settings.PORT,
    host: settings.HOST,
    version: settings.VERSION,
    shutdownDelayMs: settings.SHUTDOWN_DELAY_MS,
    shutdownTimeoutMs: settings.SHUTDOWN_TIMEOUT_MS,
  };
}

/** How many workers and how long to wait for them, in the terms of @toasties/graceful's runService(). */
export function processSettings(settings: ServiceSettings) {
  return {
    workers: settings.WORKERS,
    readyTimeoutMs: settings.WORKER_READY_TIMEOUT_MS,
    reloadAtOnce: settings.RELOAD_AT_ONCE,
    pidFile: settings.PID_FILE,
    shutdownTimeoutMs: settings.SHUTDOWN_TIMEOUT_MS,
  };
}
