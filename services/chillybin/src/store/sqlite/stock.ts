import { OutOfStock, UnknownIngredient } from '@toasties/contract';
import type { Db } from '../../db';
import { prepared } from './prepared';
import type { StockLevels, StockTable } from '../store';

/** BEGIN IMMEDIATE holds the write lock, so reading quantities then taking them cannot be interleaved. */
export function sqliteStock(db: Db): StockTable {
  const selectAll = prepared(db, 'SELECT name, quantity FROM ingredients ORDER BY rowid');
  const quantityOf = prepared(db, 'SELECT quantity FROM ingredients WHERE name = ?', { pluck: true });
  // Conditional all the same: the one line that must never let stock go below zero.
  const decrement = prepared(db, 'UPDATE ingredients SET quantity = quantity - @quantity WHERE name = @name AND quantity >= @quantity');
  const upsert = prepared(db, 'INSERT INTO ingredients (name, quantity) VALUES (@name, @quantity) ON CONFLICT (name) DO UPDATE SET quantity = excluded.quantity');

  const held = (names: readonly string[]) => names.map((name) => quantityOf().get(name) as number | undefined);

  return {
    async levels() {
      const rows = selectAll().all() as { name: string; quantity: number }[];
      return Object.fromEntries(rows.map((row) => [row.name, row.quantity])) as StockLevels;
    },
    async unknown(names) {
      const quantities = held(names);
      return names.find((_, i) => quantities[i] === undefined);
    },
    async take(items) {
      const quantities = held(items.map((item) => item.ingredient));
      const unknown = items.findIndex((_, i) => quantities[i] === undefined);
      if (unknown >= 0) throw new UnknownIngredient(items[unknown]!.ingredient);
      const short = items.findIndex((item, i) => quantities[i]! < item.quantity);
      if (short >= 0) return new OutOfStock(items[short]!.ingredient, items[short]!.quantity, quantities[short]!);
      for (const { ingredient: name, quantity } of items) {
        if (decrement().run({ name, quantity }).changes !== 1) throw new Error(`${name} changed inside a write transaction`);
      }
      return undefined;
    },
    async set(amounts) {
      for (const [name, quantity] of Object.entries(amounts)) upsert().run({ name, quantity });
    },
  };
}
