/**
 * The log lines that other programs wait for: testkit (startService, reloadService), the
 * demo and scripts/release-rehearsal.sh (through scripts/lib/read-log.mjs) read them, and
 * @toasties/graceful writes them. Each is the `msg` of a JSON log line; a text changed here
 * changes writer and readers together.
 */
export const LOG_MESSAGES = {
  /** A server listens; the line carries `port` and `url` (with PORT=0, the port the kernel chose). */
  listening: 'listening',
} as const;

/**
 * The primary's lines around a replacement of workers. `what` is why it replaces them:
 * 'reload' (SIGHUP: every worker, one by one) or 'canary' (SIGUSR2: one worker).
 */
export const replacementStarted = (what: string) => `${what} started`;
/** Every worker asked for was replaced: the new release serves. */
export const replacementComplete = (what: string) => `${what} complete`;
/** A new worker did not become ready: the replacement stopped there, the old workers still serve. */
export const replacementStopped = (what: string) => `${what} stopped: the new worker did not become ready`;
