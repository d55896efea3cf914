import { createHash } from 'node:crypto';
import { InvalidIdempotencyKey } from './domain-errors';

/**
 * The Idempotency-Key header (draft-ietf-httpapi-idempotency-key-header): a client sends a
 * unique key with a POST; a retry with the same key gets the first outcome again and changes
 * nothing. What a key remembers and for how long: pick.ts and docs/idempotency.md.
 */

/** How long a key is remembered by default; after that the same key is a new request. */
export const DEFAULT_KEY_TTL_MS = 24 * 60 * 60 * 1000;

const MAX_KEY_LENGTH = 255;
const BARE = /^[\x21\x23-\x7e]+$/; // visible ASCII, no spaces or quotes
const QUOTED = /^"((?:[\x20\x21\x23-\x5b\x5d-\x7e]|\\["\\])*)"$/; // an sf-string (RFC 8941 §3.3.3)

/**
 * The key from the header: the draft's form is a quoted structured-field string
 * (`"8e03978e-40d5-43e8-bc93-6894a57f9324"`); many clients send it bare, so both are taken.
 * No header: undefined (the key is optional). A malformed one: InvalidIdempotencyKey, returned
 * (not thrown), for the use case to weigh against the pick's other refusals.
 */
export function parseIdempotencyKey(header: string | undefined): string | undefined | InvalidIdempotencyKey {
  if (header === undefined) return undefined;
  const quoted = QUOTED.exec(header);
  const key = quoted ? quoted[1]!.replace(/\\(["\\])/g, '$1') : BARE.test(header) ? header : undefined;
  if (!key || key.length > MAX_KEY_LENGTH) return new InvalidIdempotencyKey(MAX_KEY_LENGTH);
  return key;
}

/** A stable digest of an already validated request (its keys always in the same order). */
export function fingerprintOf(request: unknown): string {
  return createHash('sha256').update(JSON.stringify(request)).digest('hex');
}
