/**
 * The part of a pino logger that the shared packages and the services' modules write to:
 * `logger.warn({ details }, 'message')`. It lives here, in a package with no dependencies,
 * so that a package can accept the service's logger without depending on pino (or on
 * @toasties/observability, which brings pino, prom-client and express with it).
 *
 * Each user names only the levels it writes at (`LogWriter<'warn' | 'error'>`), so a test
 * or a caller can hand it a logger with just those.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export type LogWriter<Level extends LogLevel = LogLevel> = {
  readonly [L in Level]: (details: object, message: string) => void;
};
