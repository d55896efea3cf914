import { randomUUID } from 'node:crypto';

/**
 * UUID v7 (docs/idempotency.md, "Order ids"). Not the uuid package's: its v7 counts up within a
 * millisecond, which would make the next id of that millisecond guessable.
 */
export function newOrderId(now: number = Date.now()): string {
  // v4's bits after its version digit are random but for the variant, which v7 shares.
  const time = now.toString(16).padStart(12, '0'); // unix_ts_ms, 48 bits
  return `${time.slice(0, 8)}-${time.slice(8)}-7${randomUUID().slice(15)}`;
}
