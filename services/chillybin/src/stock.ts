import type { Pool } from 'pg';
import { OutOfStock, UnknownIngredient, type PickItem } from '@toasties/contract';
import { serially, sqliteTransaction, type Db } from './db';
import { batchWhileInFlight } from './batches';
import { postgresTransaction, queryOn, type Prepared } from './postgres';
import { postgresTx, sqliteTx, type Tx } from './transaction';

export type StockLevels = Record<string, number>;

/**
 * The ingredients table, and the only module that reads or writes it: v1 picks, orders (which
 * take their items through `take`), restock, metrics and the backup report all come here. The
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

/** createPostgresStock's statements, prepared on each connection (postgres.ts). */
const PG: Record<'levels' | 'lock' | 'known' | 'take' | 'pick' | 'quantityOf' | 'upsert', Prepared> = {
  levels: { name: 'stock-levels', text: 'SELECT name, quantity FROM ingredients ORDER BY position' },
  lock: { name: 'stock-lock', text: 'SELECT name, quantity FROM ingredients WHERE name = ANY($1) ORDER BY name FOR NO KEY UPDATE' },
  known: { name: 'stock-known', text: 'SELECT name FROM ingredients WHERE name = ANY($1)' },
  // `locked` is read whole (an aggregate over it) before any row is taken, so every wait is
  // in its one order, by name; `taken` is every item or, when one is short or unknown, none.
  take: {
    name: 'stock-take',
    text: `WITH locked AS MATERIALIZED (SELECT name, quantity FROM ingredients WHERE name = ANY($1) ORDER BY name FOR NO KEY UPDATE),
           wanted AS (SELECT name, quantity FROM unnest($1::text[], $2::int[]) AS w (name, quantity)),
           enough AS (SELECT count(*) = cardinality($1::text[]) AS ok FROM wanted JOIN locked USING (name) WHERE locked.quantity >= wanted.quantity),
           taken AS (UPDATE ingredients AS i SET quantity = i.quantity - w.quantity FROM wanted AS w, enough WHERE enough.ok AND i.name = w.name RETURNING i.name)
           SELECT name, quantity, (SELECT count(*) FROM taken)::int AS taken FROM locked`,
  },
  // The same conditional statement as SQLite's: under READ COMMITTED PostgreSQL re-checks
  // `quantity >= $2` on the row as the transaction before it left it.
  pick: { name: 'stock-pick', text: 'UPDATE ingredients SET quantity = quantity - $2 WHERE name = $1 AND quantity >= $2' },
  quantityOf: { name: 'stock-quantity-of', text: 'SELECT quantity FROM ingredients WHERE name = $1' },
  upsert: { name: 'stock-upsert', text: 'INSERT INTO ingredients (name, quantity) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET quantity = excluded.quantity' },
};

/**
 * Rows come back in the order ingredients were first added, as SQLite's rowid gives them.
 * Every order takes the same few rows, so an order's items are taken in one statement
 * (stock-take): the order's rows locked and read by name, then all of them taken or none.
 * Orders write their own rows before it, so these rows stay locked only from this statement
 * to COMMIT. The locks are NO KEY UPDATE, as an UPDATE of the quantity takes anyway: the
 * KEY SHARE locks other orders' items take through their foreign key never wait on them.
 */
export function createPostgresStock(pool: Pool): Stock {
  /** One conditional decrement: the pick taken, or the reason it cannot be. */
  const pickAlone = async (name: string, quantity: number, tx?: Tx): Promise<void> => {
    const query = queryOn(pool, postgresTx(tx));
    const { rowCount } = await query(PG.pick, [name, quantity]);
    if (rowCount === 1) return;
    const { rows } = await query<{ quantity: number }>(PG.quantityOf, [name]);
    throw rows[0] === undefined ? new UnknownIngredient(name) : new OutOfStock(name, quantity, rows[0].quantity);
  };

  /**
   * v1 picks of one ingredient, taken together (batches.ts): the picks that arrive while a
   * decrement of it is in flight go as one conditional decrement of their sum, one COMMIT,
   * each answered only once that commits, as if taken alone. When the sum is not there (the
   * stock running out), they are taken one by one in the order they came, so each gets the
   * answer it would have had alone. A failed statement fails each of them, as it would one.
   */
  const pickTogether = batchWhileInFlight<{ readonly name: string; readonly quantity: number }, void>(async (picks) => {
    const { name } = picks[0]!.write;
    const { rowCount } = await queryOn(pool, undefined)(PG.pick, [name, picks.reduce((sum, pick) => sum + pick.write.quantity, 0)]);
    if (rowCount === 1) return picks.forEach((pick) => pick.resolve());
    for (const pick of picks) await pickAlone(name, pick.write.quantity).then(pick.resolve, pick.reject);
  });

  const levels = async (tx?: Tx): Promise<StockLevels> => {
    const { rows } = await queryOn(pool, postgresTx(tx))<{ name: string; quantity: number }>(PG.levels);
    return Object.fromEntries(rows.map((row) => [row.name, row.quantity]));
  };
  /** Lock these rows, in the one order orders lock them in (by name): no one else changes them until the transaction ends. */
  const lock = async (names: readonly string[], tx: Tx): Promise<void> => {
    await queryOn(pool, postgresTx(tx))(PG.lock, [[...names]]);
  };

  return {
    levels: () => levels(),
    // In a transaction, on its connection: a second one from the pool while this one is held
    // (with the hot rows locked) could wait for a pool that every such transaction holds.
    async unknown(names, tx) {
      const { rows } = await queryOn(pool, postgresTx(tx))<{ name: string }>(PG.known, [[...names]]);
      const held = new Set(rows.map((row) => row.name));
      return names.find((name) => !held.has(name));
    },
    async take(items, tx) {
      const { rows } = await queryOn(pool, postgresTx(tx))<{ name: string; quantity: number; taken: number }>(PG.take, [
        items.map((item) => item.ingredient),
        items.map((item) => item.quantity),
      ]);
      if (rows.length > 0 && rows[0]!.taken === items.length) return;
      // None taken: the refusal names the first item short in the order asked, as locked.
      const held = new Map(rows.map((row) => [row.name, row.quantity]));
      for (const { ingredient, quantity } of items) {
        const left = held.get(ingredient);
        if (left === undefined) throw new UnknownIngredient(ingredient);
        if (left < quantity) throw new OutOfStock(ingredient, quantity, left);
      }
      throw new Error(`stock-take took ${rows[0]?.taken ?? 0} of ${items.length} items, none short`);
    },
    // In the caller's transaction, alone: it is part of that transaction's work.
    pick: (name, quantity, tx) => (tx ? pickAlone(name, quantity, tx) : pickTogether(name, { name, quantity })),
    restock: (amounts) =>
      postgresTransaction(pool, async (tx) => {
        await lock(Object.keys(amounts), tx); // the rows orders take, in the same order
        for (const [name, quantity] of Object.entries(amounts)) {
          await queryOn(pool, tx)(PG.upsert, [name, quantity]);
        }
        return levels(tx);
      }),
  };
}
