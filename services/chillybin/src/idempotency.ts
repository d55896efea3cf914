import { createHash } from 'node:crypto';
import { InvalidIdempotencyKey, parseIdempotencyKey as parseHeader, type PickRequest } from '@toasties/contract';

/**
 * The Idempotency-Key header (draft-ietf-httpapi-idempotency-key-header): a client sends a
 * unique key with a POST; a retry with the same key gets the first outcome again and changes
 * nothing. What a key remembers and for how long: pick.ts and docs/idempotency.md.
 */

/** How long a key is remembered by default; after that the same key is a new request. */
export const DEFAULT_KEY_TTL_MS = 24 * 60 * 60 * 1000;

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

/**
 * What a key is bound to: a stable digest of the validated pick (its fields always in the same
 * order), the caller's own requestFingerprint included when it sent one.
 */
export function fingerprintOf(pick: PickRequest): string {
  return createHash('sha256').update(JSON.stringify(pick)).digest('hex');
}

/**
 * Whether a key's recorded fingerprint is this pick's. A key recorded without a caller's
 * fingerprint (by a release before the field existed, or from a caller that sends none) was
 * bound to the customer and the items alone, and still is: a caller that starts sending one,
 * such as a newer jafflr retrying what an older one sent, gets that order replayed. A key
 * recorded with one matches only the same one.
 */
export function sameRequest(recorded: string, pick: PickRequest): boolean {
  if (recorded === fingerprintOf(pick)) return true;
  const { requestFingerprint, ...bare } = pick;
  return requestFingerprint !== undefined && recorded === fingerprintOf(bare);
}
