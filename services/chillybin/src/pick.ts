import { OutOfStock, UnknownIngredient, type Order, type PickItem, type PickRequest } from '@toasties/contract';
import { withPublicId } from './compat/numeric-order-ids';
import { databaseFault } from './database-faults';
import { InvalidIdempotencyKey, KeyReused, OutcomeUnknown } from './domain-errors';
import { fingerprintOf, sameRequest } from './idempotency';
import { newOrderId } from './order-id';
import type { Store, Tables } from './store/store';

/** A key remembers final outcomes and only these. */
export type Final = { readonly kind: 'placed'; readonly order: Order } | { readonly kind: 'short'; readonly shortage: OutOfStock };

export type Outcome =
  | Final
  | { readonly kind: 'picked' } // v1: taken, no order
  | { readonly kind: 'replayed'; readonly outcome: Final } // a key's first outcome, again; nothing changed
  | { readonly kind: 'refused'; readonly reason: UnknownIngredient | InvalidIdempotencyKey | KeyReused } // nothing changed
  | { readonly kind: 'unknown'; readonly cause: OutcomeUnknown }; // it may have happened

/** UUID v7, or v4 for older orders; never the row id, which would let anyone count orders (docs/idempotency.md). */
export const ORDER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[47][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export interface Picking {
  readonly store: Store;
  readonly keyTtlMs: number;
  readonly now: () => number;
  readonly newId: () => string;
}

export const defaults: Pick<Picking, 'now' | 'newId'> = { now: () => Date.now(), newId: () => newOrderId() };

export function pickV1({ store }: Picking, item: PickItem): Promise<Outcome> {
  return settled(async () => {
    const short = await store.transaction((t) => t.stock.take([item]), { shared: item.ingredient });
    return short ? { kind: 'short', shortage: short } : { kind: 'picked' };
  });
}

/** With a key, at most once. */
export function orderV2(picking: Picking, pick: PickRequest, key: string | undefined | InvalidIdempotencyKey): Promise<Outcome> {
  const { store, keyTtlMs, now } = picking;
  const order = async (): Promise<Outcome> => {
    if (key instanceof InvalidIdempotencyKey) throw key;
    if (key === undefined) return store.transaction((t) => place(t, picking, pick), { shared: rowsOf(pick) });
    const keyed = { customer: pick.customer, key, fingerprint: fingerprintOf(pick) };
    return store.transaction(async (t) => {
      const at = now();
      const claim = await t.keys.claim(keyed, at, at + keyTtlMs);
      if (claim.kind === 'recorded') {
        if (!sameRequest(claim.fingerprint, pick)) throw new KeyReused();
        return { kind: 'replayed', outcome: await withPublicId(t.orders, claim.outcome) };
      }
      return place(t, picking, pick, (outcome) => t.keys.record(keyed, outcome));
    }, { shared: rowsOf(pick) });
  };
  // An unknown ingredient is answered before any other refusal, so it is looked up after a
  // failure, except when the database is unreachable or the outcome is unknown.
  return settled(order, async (error) => {
    if (error instanceof UnknownIngredient || error instanceof OutcomeUnknown || databaseFault(error) === 'unavailable') return undefined;
    const unknown = await store.read((t) => t.stock.unknown(pick.items.map((item) => item.ingredient)));
    return unknown === undefined ? undefined : new UnknownIngredient(unknown);
  });
}

/** Orders that lock the same rows, named in one order, may share a transaction. */
const rowsOf = ({ items }: PickRequest) => items.map((item) => item.ingredient).sort().join(' ');

/**
 * The stock is taken last: every write takes the same few rows and holds them until COMMIT
 * (docs/write-path.md). An unknown ingredient fails the order's foreign key before any stock is taken.
 */
async function place(t: Tables, { now, newId }: Picking, { customer, items }: PickRequest, remember?: (outcome: Final) => Promise<void>): Promise<Final> {
  const order: Order = { id: newId(), customer, items: items.map(({ ingredient, quantity }) => ({ ingredient, quantity })), createdAt: new Date(now()).toISOString() };
  const placed: Final = { kind: 'placed', order };
  await t.orders.add(order);
  await remember?.(placed);
  const short = await t.stock.take(items);
  if (!short) return placed;
  const refused: Final = { kind: 'short', shortage: short };
  await t.orders.remove(order.id);
  await remember?.(refused);
  return refused;
}

/** A database fault (nothing changed) is thrown on. */
async function settled(attempt: () => Promise<Outcome>, refusalFirst?: (error: unknown) => Promise<UnknownIngredient | undefined>): Promise<Outcome> {
  try {
    return await attempt();
  } catch (error) {
    const reason = (await refusalFirst?.(error)) ?? error;
    if (reason instanceof UnknownIngredient || reason instanceof InvalidIdempotencyKey || reason instanceof KeyReused) return { kind: 'refused', reason };
    if (reason instanceof OutcomeUnknown) return { kind: 'unknown', cause: reason };
    throw reason;
  }
}
