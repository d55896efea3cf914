import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { OutOfStock, UnknownIngredient, type Order, type PickItem } from '@toasties/contract';
import { serially, sqliteTransaction, type Db } from './db';
import { batchWhileInFlight } from './batches';
import { postgresTransaction, queryOn, type Prepared } from './postgres';
import { createPostgresStock, createStock, type Stock } from './stock';
import { postgresTx, sqliteTx, type PostgresTx, type Tx } from './transaction';
import { UnknownIngredientInOrder } from './domain-errors';

/**
 * An order's public id, the one answers show and GET /v2/orders/:id takes: a random UUID v4
 * (122 random bits), lower case. Not the row id, which counts 1, 2, 3… and would let anyone
 * list every order by counting. See docs/idempotency.md, "Order ids".
 */
export const ORDER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * The orders and order_items tables (an order's items live and die with it), and the only
 * module that reads or writes them. The interface is what chillybin needs of them;
 * `createOrders` is the SQLite implementation, `createPostgresOrders` the PostgreSQL one. The
 * stock an order takes is the stock module's business: placing an order picks each item
 * through it, handing it the order's transaction.
 */
export interface Orders {
  /**
   * Take every item and record the order in one transaction: all of it, or nothing
   * (OutOfStock, UnknownIngredient). Inside another transaction (`tx`, an idempotent
   * request's), it is part of it, and undone alone when an item is short; on PostgreSQL an
   * unknown item aborts that transaction, and is UnknownIngredientInOrder, for the caller to
   * name once its transaction has ended (routes/v2.ts).
   */
  place(customer: string, items: readonly PickItem[], tx?: Tx): Promise<Order>;
  /** The order with this public id (case as given: ids are lower case). */
  get(id: string): Promise<Order | undefined>;
  /** The public id of the order in this row: for answers a release before 0003 stored. */
  publicIdOf(rowId: number): Promise<string | undefined>;
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

/** What every backend answers with: the items as asked for, in their order. */
const orderOf = (id: string, customer: string, items: readonly PickItem[], createdAt: string): Order => ({
  id,
  customer,
  items: items.map(({ ingredient, quantity }) => ({ ingredient, quantity })),
  createdAt,
});

/** `stock` must work on the same connection, so its picks are part of the order's transaction; by default, one over `db`. */
export function createOrders(db: Db, options: Partial<OrdersOptions> & { readonly stock?: Stock } = {}): Orders {
  const { now, newId } = { ...defaults, ...options };
  const stock = options.stock ?? createStock(db);
  const insertOrder = db.prepare('INSERT INTO orders (public_id, customer, created_at) VALUES (?, ?, ?)');
  const insertItem = db.prepare('INSERT INTO order_items (order_id, ingredient, quantity) VALUES (?, ?, ?)');
  const selectOrder = db.prepare('SELECT id AS rowId, public_id AS id, customer, created_at AS createdAt FROM orders WHERE public_id = ?');
  const selectPublicId = db.prepare('SELECT public_id FROM orders WHERE id = ?').pluck();
  const selectItems = db.prepare('SELECT ingredient, quantity FROM order_items WHERE order_id = ? ORDER BY rowid');

  return {
    // Throwing inside the transaction rolls it back: an item short (OutOfStock from the
    // stock's pick) undoes the items already taken and the order row. BEGIN IMMEDIATE takes
    // the write lock up front (db.ts), so a locked database fails before anything changed.
    place: (customer, items, tx) =>
      sqliteTransaction(
        db,
        async (own) => {
          const createdAt = now().toISOString();
          const id = newId();
          await stock.take(items, own);
          const rowId = insertOrder.run(id, customer, createdAt).lastInsertRowid;
          for (const { ingredient, quantity } of items) insertItem.run(rowId, ingredient, quantity);
          return orderOf(id, customer, items, createdAt);
        },
        sqliteTx(tx),
      ),
    get: (id) =>
      serially(db, () => {
        const row = selectOrder.get(id) as (Omit<Order, 'items'> & { rowId: number }) | undefined;
        if (!row) return undefined;
        return { id: row.id, customer: row.customer, items: selectItems.all(row.rowId) as PickItem[], createdAt: row.createdAt };
      }),
    publicIdOf: (rowId) => serially(db, () => (selectPublicId.get(rowId) as string | null | undefined) ?? undefined),
  };
}

/** PostgreSQL's foreign_key_violation. */
const FOREIGN_KEY_VIOLATION = '23503';

/** createPostgresOrders's statements, prepared on each connection (postgres.ts). */
const PG: Record<'insert' | 'remove' | 'select' | 'items' | 'publicId', Prepared> = {
  // Orders, and their items (each naming its order by public id), in one statement.
  insert: {
    name: 'orders-insert',
    text: `WITH placed AS (INSERT INTO orders (public_id, customer, created_at) SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) RETURNING id, public_id)
           INSERT INTO order_items (order_id, position, ingredient, quantity)
           SELECT placed.id, item.position, item.ingredient, item.quantity
           FROM unnest($4::text[], $5::int[], $6::text[], $7::int[]) AS item (public_id, position, ingredient, quantity) JOIN placed USING (public_id)`,
  },
  // Items first: they reference the order (a foreign key checked when the statement ends).
  remove: {
    name: 'orders-remove',
    text: `WITH items AS (DELETE FROM order_items WHERE order_id IN (SELECT id FROM orders WHERE public_id = $1))
           DELETE FROM orders WHERE public_id = $1`,
  },
  select: { name: 'orders-select', text: 'SELECT id AS "rowId", public_id AS id, customer, created_at AS "createdAt" FROM orders WHERE public_id = $1' },
  items: { name: 'orders-items', text: 'SELECT ingredient, quantity FROM order_items WHERE order_id = $1 ORDER BY position' },
  publicId: { name: 'orders-public-id', text: 'SELECT public_id FROM orders WHERE id = $1' },
};

/**
 * The same on PostgreSQL. Several processes place orders at once here, each locking the
 * rows it takes: `stock.take` locks them by name, so two orders never wait on each other
 * in a circle, and names the item SQLite would name when one is short. Every order waits
 * for the same few stock rows, so they are taken last: the order and its items are written
 * first (one statement), and the stock's rows stay locked only from the take to COMMIT.
 *
 * Orders placed in a transaction of their own that arrive while one is in flight are placed
 * together (batches.ts): one transaction writes them all and takes the sum of their items,
 * and each is answered once it commits. When that sum is not there (or an ingredient is
 * unknown), each is placed alone, in the order they came, and gets the answer it would have
 * had alone. An idempotent request's order is part of its key's transaction: placed alone.
 */
export function createPostgresOrders(pool: Pool, options: Partial<OrdersOptions> & { readonly stock?: Stock } = {}): Orders {
  const { now, newId } = { ...defaults, ...options };
  const stock = options.stock ?? createPostgresStock(pool);

  /** Write these orders and take their items (the sum of them), in `own`: all of it or, when short, none. */
  const placeAll = async (orders: readonly Order[], own: PostgresTx): Promise<void> => {
    const items = orders.flatMap((order) => order.items.map((item, position) => ({ id: order.id, position, ...item })));
    try {
      await queryOn(pool, own)(PG.insert, [
        orders.map((order) => order.id),
        orders.map((order) => order.customer),
        orders.map((order) => order.createdAt),
        ...(['id', 'position', 'ingredient', 'quantity'] as const).map((field) => items.map((item) => item[field])),
      ]);
    } catch (error) {
      // An item's ingredient the stock does not hold (its foreign key); named after the transaction.
      throw (error as { code?: unknown }).code === FOREIGN_KEY_VIOLATION ? new UnknownIngredientInOrder() : error;
    }
    const sums = new Map<string, number>();
    for (const { ingredient, quantity } of items) sums.set(ingredient, (sums.get(ingredient) ?? 0) + quantity);
    await stock.take([...sums].map(([ingredient, quantity]) => ({ ingredient, quantity })), own); // all or none
  };
  const placeTogether = batchWhileInFlight<Order, Order>(async function place(batch) {
    try {
      await postgresTransaction(pool, (own) => placeAll(batch.map((pending) => pending.write), own));
      return batch.forEach((pending) => pending.resolve(pending.write));
    } catch (error) {
      const refused = error instanceof OutOfStock || error instanceof UnknownIngredient || error instanceof UnknownIngredientInOrder;
      if (!refused || batch.length === 1) return batch.forEach((pending) => pending.reject(error));
    }
    for (const pending of batch) await place([pending]);
  });

  return {
    async place(customer, items, tx) {
      const order = orderOf(newId(), customer, items, now().toISOString());
      const outer = postgresTx(tx);
      if (!outer) {
        // Its own transaction has ended when this rejects: the unknown item is named here.
        return placeTogether('orders', order).catch(async (error: unknown) => {
          if (!(error instanceof UnknownIngredientInOrder)) throw error;
          const unknown = await stock.unknown(items.map((item) => item.ingredient));
          throw unknown === undefined ? error : new UnknownIngredient(unknown);
        });
      }
      try {
        await placeAll([order], outer);
      } catch (error) {
        // The caller's transaction (an idempotent request's) keeps its key, to remember the
        // refusal: a short item undoes the order alone.
        if (error instanceof OutOfStock) await queryOn(pool, outer)(PG.remove, [order.id]);
        throw error;
      }
      return order;
    },
    async get(id) {
      const { rows } = await queryOn(pool, undefined)<{ rowId: string; id: string; customer: string; createdAt: string }>(PG.select, [id]);
      const row = rows[0];
      if (!row) return undefined;
      const items = await queryOn(pool, undefined)<PickItem>(PG.items, [row.rowId]);
      return { id: row.id, customer: row.customer, items: items.rows, createdAt: row.createdAt };
    },
    async publicIdOf(rowId) {
      const { rows } = await queryOn(pool, undefined)<{ public_id: string | null }>(PG.publicId, [rowId]);
      return rows[0]?.public_id ?? undefined;
    },
  };
}
