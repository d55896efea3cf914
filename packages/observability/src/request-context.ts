import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** The header that carries one request's id from service to service. */
export const REQUEST_ID_HEADER = 'x-request-id';

/** An id a caller may choose, kept short and printable: it ends up in every log line. */
const ACCEPTABLE_ID = /^[\w.:-]{1,64}$/;

const storage = new AsyncLocalStorage<{ requestId: string }>();

/** The caller's X-Request-Id when it is acceptable, else a new one. */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers[REQUEST_ID_HEADER];
  return typeof given === 'string' && ACCEPTABLE_ID.test(given) ? given : randomUUID();
}

/** Runs `work` with `requestId` as the current request's id, for everything it awaits. */
export function withRequestId<T>(requestId: string, work: () => T): T {
  return storage.run({ requestId }, work);
}

/**
 * The id of the request being handled, wherever in its async call chain this is asked:
 * the chillybin client reads it to forward X-Request-Id without every function in
 * between passing it along.
 */
export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}
