import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export const REQUEST_ID_HEADER = 'x-request-id';

/** A caller's choice, kept short and printable: it ends up in every log line. */
const ACCEPTABLE_ID = /^[\w.:-]{1,64}$/;

/** The caller's id if it is acceptable, else a new one: chosen once per request, by requestLogging. */
export function chooseRequestId(req: IncomingMessage): string {
  const given = req.headers[REQUEST_ID_HEADER];
  return typeof given === 'string' && ACCEPTABLE_ID.test(given) ? given : randomUUID();
}

/**
 * The id requestLogging gave this request (its answer carries it), for a handler to pass to the
 * calls it makes, so the next service logs them under the same id. Passed along explicitly
 * rather than kept in an AsyncLocalStorage: that would hook every promise of every request.
 */
export function requestIdOf(res: ServerResponse): string | undefined {
  const id = res.getHeader(REQUEST_ID_HEADER);
  return typeof id === 'string' ? id : undefined;
}
