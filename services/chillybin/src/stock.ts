import { OutOfStock, UnknownIngredient } from '@toasties/contract';
import type { Db } from './db';

export type StockLevels = Record<string, number>;

/**
 * The ingredients table, and the only module that reads or writes it: v1 picks, orders (which
 * take their items through `pick`), restock, metrics and the backup report all come here. The
 * interface is what chillybin needs of the table; `createStock` is its SQLite implementation
 * (a second backend implements the same interface: docs/contract.md, "Tables").
 */
export interface Stock {
  levels(): StockLevels;
  /** Whether the chillybin holds this ingredient at all (even none of it). */
  has(name: string): boolean;
  /**
   * Take `quantity` of one ingredient, all or nothing: OutOfStock when there is not enough,
   * UnknownIngredient when the chillybin holds none at all. Inside a transaction (an
   * order's), it is part of it: the order rolling back puts it back.
   */
  pick(name: string, quantity: number): void;
  /** Set the given amounts (adding ingredients that are new); others are left alone. */
  restock(amounts: Readonly<StockLevels>): StockLevels;
}

export function createStock(db: Db): Stock {
  const selectAll = db.prepare('SELECT name, quantity FROM ingredients ORDER BY rowid');
  // One conditional statement: the check and the decrement cannot be separated by
  // another request, so two pickers can never both take the last cheese.
  const decrement = db.prepare('UPDATE ingredients SET quantity = quantity - @quantity WHERE name = @name AND quantity >= @quantity');
  const quantityOf = db.prepare('SELECT quantity FROM ingredients WHERE name = ?').pluck();
  const upsert = db.prepare(
    'INSERT INTO ingredients (name, quantity) VALUES (@name, @quantity) ON CONFLICT (name) DO UPDATE SET quantity = excluded.quantity',
  );
  const restockAll = db.transaction((amounts: Readonly<StockLevels>) => {
    for (const [name, quantity] of Object.entries(amounts)) upsert.run({ name, quantity });
  });

  function levels(): StockLevels {
    const rows = selectAll.all() as { name: string; quantity: number }[];
    return Object.fromEntries(rows.map((row) => [row.name, row.quantity]));
  }

  return {
    levels,
    has: (name) => quantityOf.get(name) !== undefined,
    pick(name, quantity) {
      if (decrement.run({ name, quantity }).changes === 1) return;
      const left = quantityOf.get(name) as number | undefined;
      throw left === undefined ? new UnknownIngredient(name) : new OutOfStock(name, quantity, left);
    },
    restock(amounts) {
      restockAll(amounts);
      return levels();
    },
  };
}
