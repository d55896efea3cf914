import type { PrettyOptions } from 'pino-pretty';

/**
 * LOG_FORMAT=pretty, for a person at a terminal (npm start): one line per entry that fits
 * 100 columns, the service first so that two services can share a terminal, and a request
 * as `jafflr POST /toastie 200 1047 ms 2ae802f6`. JSON lines (LOG_FORMAT=json) keep every
 * field; this only chooses what a person reads.
 */

/** A request id as a person follows it: an id of 16 characters or fewer whole (one a caller chose), a UUID by its first 8. */
export function shortRequestId(id: unknown): string {
  const text = String(id ?? '');
  return text.length <= 16 ? text : text.slice(0, 8);
}

interface RequestEntry {
  readonly req: { readonly id?: unknown };
  readonly res: object;
  readonly responseTime?: unknown;
}

const isRequestEntry = (log: Record<string, unknown>): log is Record<string, unknown> & RequestEntry =>
  typeof log.req === 'object' && log.req !== null && typeof log.res === 'object' && log.res !== null;

export const prettyLine: PrettyOptions = {
  singleLine: true,
  translateTime: 'HH:MM:ss',
  // pid and version are in every JSON line; on a terminal they would push the message off screen.
  ignore: 'pid,hostname,service,version,req,res,responseTime',
  messageFormat: (log, messageKey) => {
    const message = `${String(log.service ?? '')} ${String(log[messageKey] ?? '')}`;
    if (!isRequestEntry(log)) return message;
    return `${message} ${String(log.responseTime ?? '?')} ms ${shortRequestId(log.req.id)}`;
  },
};
