import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';
import { hasUserinfo } from './userinfo';

// Decimal digits only: Number() and zod's coerce also take `0x1F41`, `' 7005 '`, `1e2` and read a
// lone blank as 0, each more likely a mistake than a meaning.
const WHOLE = /^[0-9]+$/;
const FRACTIONAL = /^[0-9]+(\.[0-9]+)?$/;

function numberWritten(pattern: RegExp, error: string, min: number, max: number, whole: boolean) {
  const inRange = z.number().min(min, { error }).max(max, { error });
  return z
    .string()
    .regex(pattern, { error, abort: true })
    .transform(Number)
    .pipe(whole ? inRange.int({ error }) : inRange);
}

export function integer(min: number, max: number) {
  return numberWritten(WHOLE, `must be a whole number from ${min} to ${max}`, min, max, true);
}

export function decimal(min: number, max: number) {
  return numberWritten(FRACTIONAL, `must be a number from ${min} to ${max}`, min, max, false);
}

/** At most an hour, so a typo like 50000000 is refused at start-up. */
export function milliseconds(min = 0) {
  return integer(min, 3_600_000);
}

/** RFC 6750's token68: a blank, quote or non-ASCII letter could never be sent whole in the header. */
export function bearerToken() {
  return z.string().regex(/^[A-Za-z0-9._~+/-]{16,}=*$/, {
    error: 'must be 16 or more letters, digits or - . _ ~ + / (a bearer token holds no blanks; try: openssl rand -hex 24)',
  });
}

/** No user:password@: fetch refuses such a URL, and a credential in a URL shows wherever the URL does. */
export function serviceUrl() {
  return z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL', abort: true })
    .refine((url) => !hasUserinfo(url), { error: 'must not carry a user or password (user:password@): it would be shown wherever the URL is; use SERVICE_TOKEN' });
}

/** The deploy writes the commit into `<service>/VERSION`, so a worker forked after a deploy reports its own release. */
export function releaseVersion(serviceDir: string): string {
  try {
    return readFileSync(join(serviceDir, 'VERSION'), 'utf8').trim() || 'dev';
  } catch {
    return 'dev';
  }
}

/** Defaults make `npm start` work on a laptop: loopback only, no shutdown delay. */
export function serviceSettings(defaultPort: number, defaultVersion = 'dev') {
  return z.object({
    PORT: integer(0, 65535).default(defaultPort),
    HOST: z.string().min(1).default('127.0.0.1'),
    VERSION: z.string().min(1).max(64).regex(/^[\w.+-]+$/, { error: 'must be letters, digits, . _ + or -' }).default(defaultVersion),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { error: 'must be one of fatal, error, warn, info, debug, trace, silent' }).default('info'),
    /** Unset: pretty on a terminal, JSON lines otherwise. */
    LOG_FORMAT: z.enum(['json', 'pretty'], { error: 'must be json or pretty' }).optional(),
    SHUTDOWN_DELAY_MS: milliseconds().default(0),
    SHUTDOWN_TIMEOUT_MS: milliseconds().default(10_000),
    /** Behind one primary (node:cluster); 0 runs a single process. */
    WORKERS: integer(0, 64).default(1),
    WORKER_READY_TIMEOUT_MS: milliseconds(1).default(30_000),
    /** More is faster with idle cores, but the new workers' starts take CPU from the ones serving. */
    RELOAD_AT_ONCE: integer(1, 64).default(1),
    PID_FILE: z.string().min(1).optional(),
  });
}

export type ServiceSettings = z.output<ReturnType<typeof serviceSettings>>;

export function withShutdownBudget<S extends z.ZodType<{ SHUTDOWN_DELAY_MS: number; SHUTDOWN_TIMEOUT_MS: number }>>(schema: S) {
  return schema.refine((c) => c.SHUTDOWN_TIMEOUT_MS > c.SHUTDOWN_DELAY_MS, {
    path: ['SHUTDOWN_TIMEOUT_MS'],
    error: 'must be greater than SHUTDOWN_DELAY_MS, or draining never gets a chance',
  });
}

export function serverSettings(settings: ServiceSettings) {
  return {
    port: settings.PORT,
    host: settings.HOST,
    version: settings.VERSION,
    shutdownDelayMs: settings.SHUTDOWN_DELAY_MS,
    shutdownTimeoutMs: settings.SHUTDOWN_TIMEOUT_MS,
  };
}

export function processSettings(settings: ServiceSettings) {
  return {
    workers: settings.WORKERS,
    readyTimeoutMs: settings.WORKER_READY_TIMEOUT_MS,
    reloadAtOnce: settings.RELOAD_AT_ONCE,
    pidFile: settings.PID_FILE,
    shutdownTimeoutMs: settings.SHUTDOWN_TIMEOUT_MS,
  };
}
