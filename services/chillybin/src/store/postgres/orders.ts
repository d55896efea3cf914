import type { Order, PickItem } from '@toasties/contract';
import type { OrdersTable } from '../store';
import { queryOn, type Prepared, type Queryable } from './pool';

const PG: Record<'insert' | 'remove' | 'select' | 'items' | 'publicId', Prepared> = {
  // One order or several, their items flattened beside their order's public id. An unknown
  // ingredient fails its item's foreign key (23503): the use case names it afterwards.
  insert: {
    name: 'orders-insert',
    text: `WITH placed AS (INSERT INTO orders (public_id, customer, created_at)
                           SELECT public_id, customer, created_at FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS o (public_id, customer, created_at, n) ORDER BY n
                           RETURNING id, public_id)
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

export function postgresOrders(on: Queryable): OrdersTable {
  const query = queryOn(on);
  const addAll = addOrders(on);
  return {
    async add(order) {
      await addAll([order]);
    },
    async remove(id) {
      await query(PG.remove, [id]);
    },
    async get(id) {
      const { rows } = await query<{ rowId: string; id: string; customer: string; createdAt: string }>(PG.select, [id]);
      const row = rows[0];
      if (!row) return undefined;
      const items = await query<PickItem>(PG.items, [row.rowId]);
      return { id: row.id, customer: row.customer, items: items.rows, createdAt: row.createdAt };
    },
    async publicIdOf(rowId) {
      const { rows } = await query<{ public_id: string | null }>(PG.publicId, [rowId]);
      return rows[0]?.public_id ?? undefined;
    },
  };
}

/** `add`, for several orders in one statement. */
export function addOrders(on: Queryable) {
  const query = queryOn(on);
  return async (orders: readonly Order[]): Promise<void> => {
    const items = orders.flatMap((order) => order.items.map((item, position) => ({ id: order.id, position, ...item })));
    await query(PG.insert, [
      orders.map((order) => order.id),
      orders.map((order) => order.customer),
      orders.map((order) => order.createdAt),
      items.map((item) => item.id),
      items.map((item) => item.position),
      items.map((item) => item.ingredient),
      items.map((item) => item.quantity),
    ]);
  };
}
