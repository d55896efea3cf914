import { randomFillSync } from 'node:crypto';

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
  const bytes = randomFillSync(Buffer.alloc(16), 6); // bytes 6–15 random
  bytes.writeUIntBE(now, 0, 6); // unix_ts_ms, 48 bits
  bytes[6] = (bytes[6]! & 0x0f) | 0x70; // version 7
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // variant 10
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
