// Types only, under a subpath of its own: a package accepts the service's logger and loads neither pino
// nor prom-client. Each user names only the levels it writes at, so a test can hand it just those.
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export type LogWriter<Level extends LogLevel = LogLevel> = {
  readonly [L in Level]: (details: object, message: string) => void;
};
