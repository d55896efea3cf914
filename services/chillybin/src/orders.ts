import type { Db } from './db';

export interface OrderItem {
  readonly ingredient: string;
  readonly quantity: number;
}

export interface Order {
  readonly id: number;
  readonly customer: string;
  readonly items: readonly OrderItem[];
  readonly createdAt: string;
}

/** One item could not be taken; the whole order was rolled back. */
export class OutOfStock extends Error {
  constructor(
    readonly ingredient: string,
    readonly wanted: number,
    readonly left: number,
  ) {
    super(`not enough ${ingredient}: ${wanted} wanted, ${left} left`);
  }
}

export interface Orders {
  /** Take every item and record the order in one transaction: all of it, or nothing (OutOfStock). */
  place(customer: string, items: readonly OrderItem[]): Order;
  get(id: number): Order | undefined;
}

export interface OrdersOptions {
  /** The clock that stamps createdAt (tests fix it). */
  readonly now: () => Date;
}

export const defaults: OrdersOptions = {
  now: () => new Date(),
};

export function createOrders(db: Db, options: Partial<OrdersOptions> = {}): Orders {
  const { now } = { ...defaults, ...options };
  const insertOrder = db.prepare('INSERT INTO orders (customer, created_at) VALUES (?, ?)');
  const insertItem = db.prepare('INSERT INTO order_items (order_id, ingredient, quantity) VALUES (?, ?, ?)');
  // The same conditional decrement as v1: check and take in one statement.
  const decrement = db.prepare('UPDATE ingredients SET quantity = quantity - @quantity WHERE name = @name AND quantity >= @quantity');
  const left = db.prepare('SELECT quantity FROM ingredients WHERE name = ?').pluck();
  const selectOrder = db.prepare('SELECT id, customer, created_at AS createdAt FROM orders WHERE id = ?');
  const selectItems = db.prepare('SELECT ingredient, quantity FROM order_items WHERE order_id = ? ORDER BY rowid');

  // Throwing inside a better-sqlite3 transaction rolls it back: an item short undoes the
  // items already taken and the order row. Nested in another transaction, it is a savepoint.
  const place = db.transaction((customer: string, items: readonly OrderItem[]): Order => {
    const createdAt = now().toISOString();
    const id = Number(insertOrder.run(customer, createdAt).lastInsertRowid);
    for (const { ingredient, quantity } of items) {
      if (decrement.run({ name: ingredient, quantity }).changes !== 1) {
        throw new OutOfStock(ingredient, quantity, (left.get(ingredient) as number | undefined) ?? 0);
      }
      insertItem.run(id, ingredient, quantity);
    }
    return { id, customer, items: items.map(({ ingredient, quantity }) => ({ ingredient, quantity })), createdAt };
  });

  return {
    // IMMEDIATE takes the write lock up front: another process waits (busy_timeout) instead
    // of failing when a read would otherwise have to be upgraded to a write.
    place: (customer, items) => place.immediate(customer, items),
    get(id) {
      const row = selectOrder.get(id) as Omit<Order, 'items'> | undefined;
      if (!row) return undefined;
      return { id: row.id, customer: row.customer, items: selectItems.all(id) as OrderItem[], createdAt: row.createdAt };
    },
  };
}
