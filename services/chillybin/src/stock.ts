import type { Pool } from 'pg';
import { OutOfStock, UnknownIngredient } from '@toasties/contract';
import { serially, sqliteTransaction, type Db } from './db';
import { postgresTransaction, queryOn } from './postgres';
import { postgresTx, sqliteTx, type Tx } from './transaction';

export type StockLevels = Record<string, number>;

/**
 * The ingredients table, and the only module that reads or writes it: v1 picks, orders (which
 * take their items through `pick`), restock, metrics and the backup report all come here. The
 * interface is what chillybin needs of the table; `createStock` is its SQLite implementation
 * and `createPostgresStock` its PostgreSQL one (docs/contract.md, "Tables").
 */
export interface Stock {
  levels(): Promise<StockLevels>;
  /** Whether the chillybin holds this ingredient at all (even none of it). */
  has(name: string): Promise<boolean>;
  /**
   * Before several picks in one transaction: take these ingredients' rows in one stable
   * order (by name), so two orders never each hold a row the other is waiting for. SQLite
   * locks the whole database for a write transaction, so there it does nothing.
   */
  lock(names: readonly string[], tx: Tx): Promise<void>;
  /**
   * Take `quantity` of one ingredient, all or nothing: OutOfStock when there is not enough,
   * UnknownIngredient when the chillybin holds none at all. Inside a transaction (`tx`, an
   * order's), it is part of it: the order rolling back puts it back.
   */
  pick(name: string, quantity: number, tx?: Tx): Promise<void>;
  /** Set the given amounts (adding ingredients that are new); others are left alone. */
  restock(amounts: Readonly<StockLevels>): Promise<StockLevels>;
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

  const levels = (): StockLevels => {
    const rows = selectAll.all() as { name: string; quantity: number }[];
    return Object.fromEntries(rows.map((row) => [row.name, row.quantity]));
  };
  const pick = (name: string, quantity: number): void => {
    if (decrement.run({ name, quantity }).changes === 1) return;
    const left = quantityOf.get(name) as number | undefined;
    throw left === undefined ? new UnknownIngredient(name) : new OutOfStock(name, quantity, left);
  };

  return {
    // Through the connection's queue (db.ts): never in the middle of another request's transaction.
    levels: () => serially(db, levels),
    has: (name) => serially(db, () => quantityOf.get(name) !== undefined),
    lock: async () => undefined,
    // In a transaction the caller holds the queue already; alone, it is one statement.
    pick: (name, quantity, tx) => (sqliteTx(tx) ? Promise.resolve().then(() => pick(name, quantity)) : serially(db, () => pick(name, quantity))),
    restock: (amounts) =>
      sqliteTransaction(db, async () => {
        for (const [name, quantity] of Object.entries(amounts)) upsert.run({ name, quantity });
        return levels();
      }),
  };
}

/** Rows come back in the order ingredients were first added, as SQLite's rowid gives them. */
export function createPostgresStock(pool: Pool): Stock {
  const levels = async (tx?: Tx): Promise<StockLevels> => {
    const { rows } = await queryOn(pool, postgresTx(tx))<{ name: string; quantity: number }>('SELECT name, quantity FROM ingredients ORDER BY position');
    return Object.fromEntries(rows.map((row) => [row.name, row.quantity]));
  };
  const lock = async (names: readonly string[], tx: Tx): Promise<void> => {
    await queryOn(pool, postgresTx(tx))('SELECT name FROM ingredients WHERE name = ANY($1) ORDER BY name FOR UPDATE', [[...names]]);
  };

  return {
    levels: () => levels(),
    async has(name) {
      const { rowCount } = await pool.query('SELECT 1 FROM ingredients WHERE name = $1', [name]);
      return rowCount === 1;
    },
    lock,
    async pick(name, quantity, tx) {
      const query = queryOn(pool, postgresTx(tx));
      // The same conditional statement as SQLite's: under READ COMMITTED PostgreSQL re-checks
      // `quantity >= $2` on the row as the transaction before it left it.
      const { rowCount } = await query('UPDATE ingredients SET quantity = quantity - $2 WHERE name = $1 AND quantity >= $2', [name, quantity]);
      if (rowCount === 1) return;
      const { rows } = await query<{ quantity: number }>('SELECT quantity FROM ingredients WHERE name = $1', [name]);
      throw rows[0] === undefined ? new UnknownIngredient(name) : new OutOfStock(name, quantity, rows[0].quantity);
    },
    restock: (amounts) =>
      postgresTransaction(pool, async (tx) => {
        await lock(Object.keys(amounts), tx);
        for (const [name, quantity] of Object.entries(amounts)) {
          await tx.client.query('INSERT INTO ingredients (name, quantity) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET quantity = excluded.quantity', [name, quantity]);
        }
        return levels(tx);
      }),
  };
}
