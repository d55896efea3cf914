/**
 * The part of a pino logger that the shared packages and the services' modules write to:
 * `logger.warn({ details }, 'message')`. Types only, under a subpath of its own
 * (`@toasties/observability/log-writer`): a package accepts the service's logger with it and
 * loads nothing, neither pino nor prom-client.
 *
 * Each user names only the levels it writes at (`LogWriter<'warn' | 'error'>`), so a test
 * or a caller can hand it a logger with just those.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export type LogWriter<Level extends LogLevel = LogLevel> = {
  readonly [L in Level]: (details: object, message: string) => void;
};
