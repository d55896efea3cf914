import type { Order } from '@toasties/contract';
import type { Final } from '../pick';
import type { OrdersTable, RecordedOutcome } from '../store/store';

/**
 * Compatibility: outcomes recorded before migration 0003 name their order by row id (a
 * number); replayed now, they name it by its public id, the only one GET /v2/orders/:id takes.
 *
 * Remove after REMOVE_AFTER, with jafflr's numeric-id branch (its chillybin client): 0003 went
 * out on 2026-11-30, and no key outlives the longest IDEMPOTENCY_KEY_TTL_SECONDS (30 days), so
 * by then no such record can be replayed. test/compat.test.ts fails once the date has passed.
 */
export const NUMERIC_ORDER_IDS = {
  introducedBy: 'migration 0003-order-public-ids, released 2026-11-30',
  removeAfter: new Date('2027-01-01T00:00:00Z'),
} as const;

export async function withPublicId(orders: OrdersTable, outcome: RecordedOutcome): Promise<Final> {
  if (outcome.kind === 'short' || typeof outcome.order.id === 'string') return outcome as Final;
  const id = (await orders.publicIdOf(outcome.order.id)) ?? outcome.order.id;
  return { kind: 'placed', order: { ...outcome.order, id } as Order };
}
