import type { Db } from './db';

export type StockLevels = Record<string, number>;

/** What a v1 pick can come to. */
export type PickOutcome = 'picked' | 'not_enough' | 'unknown';

export interface Stock {
  levels(): StockLevels;
  /** Whether the chillybin holds this ingredient at all (even none of it). */
  has(name: string): boolean;
  /** Take `quantity` of one ingredient, all or nothing. */
  pick(name: string, quantity: number): PickOutcome;
  /** Set the given amounts (adding ingredients that are new); others are left alone. */
  restock(amounts: Readonly<StockLevels>): StockLevels;
}

export function createStock(db: Db): Stock {
  const selectAll = db.prepare('SELECT name, quantity FROM ingredients ORDER BY rowid');
  // One conditional statement: the check and the decrement cannot be separated by
  // another request, so two pickers can never both take the last cheese.
  const decrement = db.prepare('UPDATE ingredients SET quantity = quantity - @quantity WHERE name = @name AND quantity >= @quantity');
  const exists = db.prepare('SELECT 1 FROM ingredients WHERE name = ?').pluck();
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
    has: (name) => exists.get(name) !== undefined,
    pick(name, quantity) {
      if (decrement.run({ name, quantity }).changes === 1) return 'picked';
      return exists.get(name) ? 'not_enough' : 'unknown';
    },
    restock(amounts) {
      restockAll(amounts);
      return levels();
    },
  };
}
