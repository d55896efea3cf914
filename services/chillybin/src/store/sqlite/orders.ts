import type { Order, PickItem } from '@toasties/contract';
import type { Db } from '../../db';
import { prepared } from './prepared';
import type { OrdersTable } from '../store';

/** The orders and order_items tables on SQLite. */
export function sqliteOrders(db: Db): OrdersTable {
  const insertOrder = prepared(db, 'INSERT INTO orders (public_id, customer, created_at) VALUES (?, ?, ?)');
  const insertItem = prepared(db, 'INSERT INTO order_items (order_id, ingredient, quantity) VALUES (?, ?, ?)');
  const deleteItems = prepared(db, 'DELETE FROM order_items WHERE order_id IN (SELECT id FROM orders WHERE public_id = ?)');
  const deleteOrder = prepared(db, 'DELETE FROM orders WHERE public_id = ?');
  const selectOrder = prepared(db, 'SELECT id AS rowId, public_id AS id, customer, created_at AS createdAt FROM orders WHERE public_id = ?');
  const selectItems = prepared(db, 'SELECT ingredient, quantity FROM order_items WHERE order_id = ? ORDER BY rowid');
  const selectPublicId = prepared(db, 'SELECT public_id FROM orders WHERE id = ?', { pluck: true });

  return {
    async add({ id, customer, items, createdAt }) {
      const rowId = insertOrder().run(id, customer, createdAt).lastInsertRowid;
      for (const { ingredient, quantity } of items) insertItem().run(rowId, ingredient, quantity);
    },
    async remove(id) {
      deleteItems().run(id); // first: they reference the order
      deleteOrder().run(id);
    },
    async get(id) {
      const row = selectOrder().get(id) as (Omit<Order, 'items'> & { rowId: number }) | undefined;
      if (!row) return undefined;
      return { id: row.id, customer: row.customer, items: selectItems().all(row.rowId) as PickItem[], createdAt: row.createdAt };
    },
    async publicIdOf(rowId) {
      return (selectPublicId().get(rowId) as string | null | undefined) ?? undefined;
    },
  };
}
