import { randomUUID } from 'node:crypto';
import { OutOfStock, UnknownIngredient, type Order, type PickItem, type PickRequest } from '@toasties/contract';
import { withPublicId } from './compat/numeric-order-ids';
import { databaseFault } from './database-faults';
import { InvalidIdempotencyKey, KeyReused, OutcomeUnknown } from './domain-errors';
import { DEFAULT_KEY_TTL_MS, fingerprintOf, sameRequest } from './idempotency';
import type { Store, Tables } from './store/store';

/**
 * What a pick does, on one screen: the v1 pick and the v2 order, as plain functions over the
 * store, each returning what happened. The edge (routes/) turns the outcome into HTTP.
 */

/** A final outcome: what the stock made of the pick. A key remembers these and only these. */
export type Final = { readonly kind: 'placed'; readonly order: Order } | { readonly kind: 'short'; readonly shortage: OutOfStock };

export type Outcome =
  | Final
  | { readonly kind: 'picked' } // v1: taken, no order
  | { readonly kind: 'replayed'; readonly outcome: Final } // a key's first outcome, again; nothing changed
  | { readonly kind: 'refused'; readonly reason: UnknownIngredient | InvalidIdempotencyKey | KeyReused } // nothing changed
  | { readonly kind: 'unknown'; readonly cause: OutcomeUnknown }; // it may have happened

/**
 * An order's public id, the one answers show and GET /v2/orders/:id takes: a random UUID v4
 * (122 random bits), lower case. Not the row id, which counts 1, 2, 3… and would let anyone
 * list every order by counting. See docs/idempotency.md, "Order ids".
 */
export const ORDER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** What the use cases need besides the store (tests fix the clock and the ids). */
export interface Picking {
  readonly store: Store;
  readonly keyTtlMs: number;
  readonly now: () => number;
  readonly newId: () => string;
}

export const defaults: Omit<Picking, 'store'> = { keyTtlMs: DEFAULT_KEY_TTL_MS, now: () => Date.now(), newId: () => randomUUID() };

/** v1: take one ingredient. */
export function pickV1({ store }: Picking, item: PickItem): Promise<Outcome> {
  return settled(async () => {
    const short = await store.transaction((t) => t.stock.take([item]), { shared: item.ingredient });
    return short ? { kind: 'short', shortage: short } : { kind: 'picked' };
  });
}

/** v2: take every item and record the order, or nothing; with a key, at most once. */
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
    });
  };
  // An unknown ingredient is the answer before any other refusal (a bad or reused key, a busy
  // database). The transaction finds it when it gets that far; otherwise it is looked up here,
  // only then: not when the database is unreachable (the look-up would only wait for it
  // again), nor after an outcome it could not learn (a write that got to COMMIT had none).
  return settled(order, async (error) => {
    if (error instanceof UnknownIngredient || error instanceof OutcomeUnknown || databaseFault(error) === 'unavailable') return undefined;
    const unknown = await store.read((t) => t.stock.unknown(pick.items.map((item) => item.ingredient)));
    return unknown === undefined ? undefined : new UnknownIngredient(unknown);
  });
}

/** The rows an order locks, named in one order: orders that lock the same rows may share a transaction. */
const rowsOf = ({ items }: PickRequest) => items.map((item) => item.ingredient).sort().join(' ');

/**
 * The order: recorded, with what `remember` keeps of it (a key's outcome), then its items
 * taken (all or none), last. Every write takes the same few stock rows, and a transaction
 * holds what it took until COMMIT: taken last, they are held for one statement and the
 * COMMIT, whatever else the transaction writes. A short item undoes the order, and what is
 * remembered is the shortage instead. An unknown ingredient fails the order's own rows (its
 * foreign key) before any stock is taken; the caller names it once the transaction has ended.
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

/** Refusals and an unknown outcome as outcomes; a database fault (nothing changed) is thrown on. */
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
