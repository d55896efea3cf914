import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const REQUEST_ID_HEADER = 'x-request-id';

/** A caller's choice, kept short and printable: it ends up in every log line. */
const ACCEPTABLE_ID = /^[\w.:-]{1,64}$/;

const storage = new AsyncLocalStorage<{ requestId: string }>();

export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers[REQUEST_ID_HEADER];
  return typeof given === 'string' && ACCEPTABLE_ID.test(given) ? given : randomUUID();
}

export function withRequestId<T>(requestId: string, work: () => T): T {
  return storage.run({ requestId }, work);
}

/** Anywhere in the request's async call chain: the chillybin client forwards it without every function passing it along. */
export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}
