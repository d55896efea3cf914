// Lines other programs wait for (testkit, scripts/lib/read-log.mjs): writer and readers change together.
export const LOG_MESSAGES = {
  listening: 'listening',
} as const;

/** `what`: 'reload' (SIGHUP, every worker) or 'canary' (SIGUSR2, one worker). */
export const replacementStarted = (what: string) => `${what} started`;
export const replacementComplete = (what: string) => `${what} complete`;
export const replacementStopped = (what: string) => `${what} stopped: the new worker did not become ready`;
