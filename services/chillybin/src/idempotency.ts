import { createHash } from 'node:crypto';
import { InvalidIdempotencyKey, parseIdempotencyKey as parseHeader } from '@toasties/contract';

/**
 * The Idempotency-Key header (draft-ietf-httpapi-idempotency-key-header): a client sends a
 * unique key with a POST; a retry with the same key gets the first outcome again and changes
 * nothing. What a key remembers and for how long: pick.ts and docs/idempotency.md.
 */

/**
 * The key from the header, read as jafflr reads it (@toasties/contract). A malformed one is
 * returned, not thrown: the use case weighs it against the pick's other refusals.
 */
export function parseIdempotencyKey(header: string | undefined): string | undefined | InvalidIdempotencyKey {
  try {
    return parseHeader(header);
  } catch (error) {
    if (error instanceof InvalidIdempotencyKey) return error;
    throw error;
  }
}

/** A stable digest of an already validated request (its keys always in the same order). */
export function fingerprintOf(request: unknown): string {
  return createHash('sha256').update(JSON.stringify(request)).digest('hex');
}
