import { randomUUID } from 'node:crypto';

/**
 * A new order's public id: a UUID v7 (RFC 9562), lower case. Its first 48 bits are the time in
 * milliseconds, so new ids sort after older ones and each insert lands on the index's last
 * page instead of a random one (fewer pages written per order); the other 74 bits are random,
 * so ids stay unguessable (pick.ts, ORDER_ID).
 *
 * Written here rather than taken from the uuid package: its v7 puts a 32-bit counter that
 * counts up within a millisecond where these have random bits (RFC 9562's optional monotonic
 * method), so an id would tell the next one of the same millisecond but for 42 bits.
 */
export function newOrderId(now: number = Date.now()): string {
  // A v4 UUID's bits after its version digit are random but for the variant, which v7 shares:
  // the time takes the place of its first 48 bits, and "7" that of its version.
  const time = now.toString(16).padStart(12, '0'); // unix_ts_ms, 48 bits
  return `${time.slice(0, 8)}-${time.slice(8)}-7${randomUUID().slice(15)}`;
}
