import type { Order } from '@toasties/contract';
import type { Final } from '../pick';
import type { OrdersTable, RecordedOutcome } from '../store/store';

/**
 * Compatibility: outcomes recorded before migration 0003 name their order by row id (a
 * number); replayed now, they name it by its public id, the only one GET /v2/orders/:id takes.
 *
 * Remove after NUMERIC_ORDER_IDS_REMOVE_AFTER (@toasties/contract, which says why that date),
 * with OrdersTable.publicIdOf and jafflr's numeric-id branch. test/compat.test.ts fails once
 * the date has passed.
 */
export { NUMERIC_ORDER_IDS_REMOVE_AFTER } from '@toasties/contract';

export async function withPublicId(orders: OrdersTable, outcome: RecordedOutcome): Promise<Final> {
  if (outcome.kind === 'short' || typeof outcome.order.id === 'string') return outcome as Final;
  const id = (await orders.publicIdOf(outcome.order.id)) ?? outcome.order.id;
  return { kind: 'placed', order: { ...outcome.order, id } as Order };
}
