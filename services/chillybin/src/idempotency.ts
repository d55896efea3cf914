import { createHash } from 'node:crypto';
import { InvalidIdempotencyKey, parseIdempotencyKey as parseHeader, type PickRequest } from '@toasties/contract';


/** A malformed key is returned, not thrown: the use case weighs it against the pick's other refusals. */
export function parseIdempotencyKey(header: string | undefined): string | undefined | InvalidIdempotencyKey {
  try {
    return parseHeader(header);
  } catch (error) {
    if (error instanceof InvalidIdempotencyKey) return error;
    throw error;
  }
}

/** JSON of the validated pick, whose fields are always in the same order. */
export function fingerprintOf(pick: PickRequest): string {
  return createHash('sha256').update(JSON.stringify(pick)).digest('hex');
}

/**
 * A key recorded without a caller's fingerprint stays bound to the customer and items alone,
 * so a newer jafflr retrying what an older one sent gets that order replayed.
 */
export function sameRequest(recorded: string, pick: PickRequest): boolean {
  if (recorded === fingerprintOf(pick)) return true;
  const { requestFingerprint, ...bare } = pick;
  return requestFingerprint !== undefined && recorded === fingerprintOf(bare);
}
