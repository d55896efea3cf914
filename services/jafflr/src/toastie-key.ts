import { createHash } from 'node:crypto';
import type { ToastieOrder } from './toastie-order';

/**
 * Derived from the customer's key so every attempt, on any worker, replica or release, sends the
 * same chillybin key (docs/idempotency.md); a digest, so any key up to 255 characters fits.
 */
const NAMESPACE = 'jafflr/toastie/v1';

export function chillybinKeyFor(customer: string, idempotencyKey: string): string {
  const digest = createHash('sha256').update(JSON.stringify([NAMESPACE, customer, idempotencyKey])).digest('base64url');
  return `toastie-${digest}`;
}

/** Binds the key to what the pick does not hold (the doneness), so changing only that is refused, not replayed. */
export function requestFingerprintFor({ customer, ingredients, doneness }: ToastieOrder): string {
  const digest = createHash('sha256').update(JSON.stringify([NAMESPACE, customer, ingredients, doneness])).digest('base64url');
  return `sha256:${digest}`;
}
