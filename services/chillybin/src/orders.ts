import { randomUUID } from 'node:crypto';
import type { Order, PickItem } from '@toasties/contract';
import type { Db } from './db';
import { createStock, type Stock } from './stock';

/**
 * An order's public id, the one answers show and GET /v2/orders/:id takes: a random UUID v4
 * (122 random bits), lower case. Not the row id, which counts 1, 2, 3… and would let anyone
 * list every order by counting. See docs/idempotency.md, "Order ids".
 */
export const ORDER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * The orders and order_items tables (an order's items live and die with it), and the only
 * module that reads or writes them. The interface is what chillybin needs of them;
 * `createOrders` is the SQLite implementation. The stock an order takes is the stock
 * module's business: placing an order picks each item through it.
 */
export interface Orders {
  /** Take every item and record the order in one transaction: all of it, or nothing (OutOfStock). */
  place(customer: string, items: readonly PickItem[]): Order;
  /** The order with this public id (case as given: ids are lower case). */
  get(id: string): Order | undefined;
  /** The public id of the order in this row: for answers a release before 0003 stored. */
  publicIdOf(rowId: number): string | undefined;
}

export interface OrdersOptions {
  /** The clock that stamps createdAt (tests fix it). */
  readonly now: () => Date;
  /** Makes public ids (tests may fix them). */
  readonly newId: () => string;
}

export const defaults: OrdersOptions = {
  now: () => new Date(),
  newId: () => randomUUID(),
};

/** `stock` must work on the same connection, so its picks are part of the order's transaction; by default, one over `db`. */
export function createOrders(db: Db, options: Partial<OrdersOptions> & { readonly stock?: Stock } = {}): Orders {
  const { now, newId } = { ...defaults, ...options };
  const stock = options.stock ?? createStock(db);
  const insertOrder = db.prepare('INSERT INTO orders (public_id, customer, created_at) VALUES (?, ?, ?)');
  const insertItem = db.prepare('INSERT INTO order_items (order_id, ingredient, quantity) VALUES (?, ?, ?)');
  const selectOrder = db.prepare('SELECT id AS rowId, public_id AS id, customer, created_at AS createdAt FROM orders WHERE public_id = ?');
  const selectPublicId = db.prepare('SELECT public_id FROM orders WHERE id = ?').pluck();
  const selectItems = db.prepare('SELECT ingredient, quantity FROM order_items WHERE order_id = ? ORDER BY rowid');

  // Throwing inside a better-sqlite3 transaction rolls it back: an item short (OutOfStock from
  // the stock's pick) undoes the items already taken and the order row. Nested in another
  // transaction (an idempotent request's), it is a savepoint.
  const place = db.transaction((customer: string, items: readonly PickItem[]): Order => {
    const createdAt = now().toISOString();
    const id = newId();
    const rowId = insertOrder.run(id, customer, createdAt).lastInsertRowid;
    for (const { ingredient, quantity } of items) {
      stock.pick(ingredient, quantity);
      insertItem.run(rowId, ingredient, quantity);
    }
    return { id, customer, items: items.map(({ ingredient, quantity }) => ({ ingredient, quantity })), createdAt };
  });

  return {
    // IMMEDIATE takes the write lock up front, never upgrading a read to a write midway:
    // locked by another process, it fails at BEGIN having changed nothing, so the caller
    // can simply try again (writes.ts).
    place: (customer, items) => place.immediate(customer, items),
    get(id) {
      const row = selectOrder.get(id) as (Omit<Order, 'items'> & { rowId: number }) | undefined;
      if (!row) return undefined;
      return { id: row.id, customer: row.customer, items: selectItems.all(row.rowId) as PickItem[], createdAt: row.createdAt };
    },
    publicIdOf: (rowId) => (selectPublicId.get(rowId) as string | null | undefined) ?? undefined,
  };
}
