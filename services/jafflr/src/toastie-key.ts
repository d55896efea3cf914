import { createHash } from 'node:crypto';
import type { ToastieOrder } from './toastie-order';

/**
 * The chillybin's Idempotency-Key for a keyed toastie: derived from the customer's own key, so
 * that every attempt at the same toastie, on any jafflr worker, replica or release, sends the
 * chillybin the same key and gets the same order back. jafflr remembers nothing itself.
 *
 * The namespace keeps a toastie's key apart from a key the same customer sends to the
 * chillybin's /v2/pick directly; the customer is in the digest as well as in the chillybin's
 * own scope, so two customers' equal keys stay two keys everywhere. A digest, not the key
 * itself: any key up to 255 characters fits the chillybin's limit once derived.
 */
const NAMESPACE = 'jafflr/toastie/v1';

export function chillybinKeyFor(customer: string, idempotencyKey: string): string {
  const digest = createHash('sha256').update(JSON.stringify([NAMESPACE, customer, idempotencyKey])).digest('base64url');
  return `toastie-${digest}`;
}

/**
 * The toastie's own fingerprint, sent to the chillybin with the pick (its requestFingerprint):
 * the chillybin binds the key to it as well as to the items, so a retry under the same key
 * that changes only what the pick does not hold (the doneness) is refused, not replayed. A
 * digest of the order as parsed: `i` or `ingredients`, query string or JSON body, and a
 * doneness left out or given as the default are the same toastie.
 */
export function requestFingerprintFor({ customer, ingredients, doneness }: ToastieOrder): string {
  const digest = createHash('sha256').update(JSON.stringify([NAMESPACE, customer, ingredients, doneness])).digest('base64url');
  return `sha256:${digest}`;
}
