import type { Order } from '@toasties/contract';
import type { Final } from '../pick';
import type { OrdersTable, RecordedOutcome } from '../store/store';

/**
 * Outcomes recorded before migration 0003 name their order by row id. Remove after
 * NUMERIC_ORDER_IDS_REMOVE_AFTER, with OrdersTable.publicIdOf (test/compat.test.ts fails then).
 */
export { NUMERIC_ORDER_IDS_REMOVE_AFTER } from '@toasties/contract';

export async function withPublicId(orders: OrdersTable, outcome: RecordedOutcome): Promise<Final> {
  if (outcome.kind === 'short' || typeof outcome.order.id === 'string') return outcome as Final;
  const id = (await orders.publicIdOf(outcome.order.id)) ?? outcome.order.id;
  return { kind: 'placed', order: { ...outcome.order, id } as Order };
}
