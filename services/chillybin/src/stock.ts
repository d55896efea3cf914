import type { Pool } from 'pg';
import { OutOfStock, UnknownIngredient, type PickItem } from '@toasties/contract';
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
  /**
   * The first of these names (in the order given) the chillybin does not hold at all, not even
   * none of; undefined when it holds them all. Inside a transaction (`tx`), read in it.
   */
  unknown(names: readonly string[], tx?: Tx): Promise<string | undefined>;
  /**
   * Take `quantity` of one ingredient, all or nothing: OutOfStock when there is not enough,
   * UnknownIngredient when the chillybin holds none at all. Inside a transaction (`tx`), it
   * is part of it: the transaction rolling back puts it back.
   */
  pick(name: string, quantity: number, tx?: Tx): Promise<void>;
  /**
   * An order's items, in its transaction: every one or none, the refusal naming the first
   * item short in the order given (as picking them one by one would). On PostgreSQL the
   * rows are locked by name first, so two orders never each hold a row the other is
   * waiting for; SQLite locks the whole database for a write transaction.
   */
  take(items: readonly PickItem[], tx: Tx): Promise<void>;
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
  const firstUnknown = (names: readonly string[]) => names.find((name) => quantityOf.get(name) === undefined);
  const pick = (name: string, quantity: number): void => {
    if (decrement.run({ name, quantity }).changes === 1) return;
    const left = quantityOf.get(name) as number | undefined;
    throw left === undefined ? new UnknownIngredient(name) : new OutOfStock(name, quantity, left);
  };

  return {
    // Through the connection's queue (db.ts): never in the middle of another request's transaction.
    levels: () => serially(db, levels),
    unknown: (names, tx) => (sqliteTx(tx) ? Promise.resolve(firstUnknown(names)) : serially(db, () => firstUnknown(names))),
    // In a transaction the caller holds the queue already; alone, it is one statement.
    pick: (name, quantity, tx) => (sqliteTx(tx) ? Promise.resolve().then(() => pick(name, quantity)) : serially(db, () => pick(name, quantity))),
    async take(items, tx) {
      sqliteTx(tx);
      for (const { ingredient, quantity } of items) pick(ingredient, quantity);
    },
    restock: (amounts) =>
      sqliteTransaction(db, async () => {
        for (const [name, quantity] of Object.entries(amounts)) upsert.run({ name, quantity });
        return levels();
      }),
  };
}

/**
 * Rows come back in the order ingredients were first added, as SQLite's rowid gives them.
 * Round trips are what a hot row's lock is held for, so an order's items take two: lock
 * and read, then one UPDATE for all of them.
 */
export function createPostgresStock(pool: Pool): Stock {
  const levels = async (tx?: Tx): Promise<StockLevels> => {
    const { rows } = await queryOn(pool, postgresTx(tx))<{ name: string; quantity: number }>('SELECT name, quantity FROM ingredients ORDER BY position');
    return Object.fromEntries(rows.map((row) => [row.name, row.quantity]));
  };
  /** Lock these rows, in one stable order (by name), and read them as locked: no one else changes them until the transaction ends. */
  const lock = async (names: readonly string[], tx: Tx): Promise<Map<string, number>> => {
    const { rows } = await queryOn(pool, postgresTx(tx))<{ name: string; quantity: number }>('SELECT name, quantity FROM ingredients WHERE name = ANY($1) ORDER BY name FOR UPDATE', [[...names]]);
    return new Map(rows.map((row) => [row.name, row.quantity]));
  };

  return {
    levels: () => levels(),
    async unknown(names) {
      const { rows } = await pool.query<{ name: string }>('SELECT name FROM ingredients WHERE name = ANY($1)', [[...names]]);
      const held = new Set(rows.map((row) => row.name));
      return names.find((name) => !held.has(name));
    },
    async take(items, tx) {
      const held = await lock(items.map((item) => item.ingredient), tx);
      for (const { ingredient, quantity } of items) {
        const left = held.get(ingredient);
        if (left === undefined) throw new UnknownIngredient(ingredient);
        if (left < quantity) throw new OutOfStock(ingredient, quantity, left);
      }
      await queryOn(pool, postgresTx(tx))(
        'UPDATE ingredients AS i SET quantity = i.quantity - v.quantity FROM unnest($1::text[], $2::int[]) AS v (name, quantity) WHERE i.name = v.name',
        [items.map((item) => item.ingredient), items.map((item) => item.quantity)],
      );
    },
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
        await lock(Object.keys(amounts), tx); // the rows orders take, in the same order
        for (const [name, quantity] of Object.entries(amounts)) {
          await tx.client.query('INSERT INTO ingredients (name, quantity) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET quantity = excluded.quantity', [name, quantity]);
        }
        return levels(tx);
      }),
  };
}
