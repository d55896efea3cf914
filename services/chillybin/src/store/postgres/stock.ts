import { OutOfStock, UnknownIngredient, type PickItem } from '@toasties/contract';
import type { StockLevels, StockTable } from '../store';
import { queryOn, type Prepared, type Queryable } from './pool';

const PG: Record<'levels' | 'lock' | 'known' | 'take' | 'takeOne' | 'quantityOf' | 'upsert', Prepared> = {
  levels: { name: 'stock-levels', text: 'SELECT name, quantity FROM ingredients ORDER BY position' },
  lock: { name: 'stock-lock', text: 'SELECT name FROM ingredients WHERE name = ANY($1) ORDER BY name FOR NO KEY UPDATE' },
  known: { name: 'stock-known', text: 'SELECT name FROM ingredients WHERE name = ANY($1)' },
  // `seen` (unlocked) refuses an order that cannot fit without locking anything; otherwise
  // `locked` is read whole before any row is taken, so every wait is in one order, by name.
  take: {
    name: 'stock-take',
    text: `WITH wanted AS (SELECT name, quantity FROM unnest($1::text[], $2::int[]) AS w (name, quantity)),
           seen AS (SELECT name, quantity FROM ingredients WHERE name = ANY($1)),
           fits AS (SELECT count(*) = cardinality($1::text[]) AS ok FROM wanted JOIN seen USING (name) WHERE seen.quantity >= wanted.quantity),
           locked AS MATERIALIZED (SELECT i.name, i.quantity FROM ingredients AS i, fits WHERE fits.ok AND i.name = ANY($1) ORDER BY i.name FOR NO KEY UPDATE OF i),
           enough AS (SELECT count(*) = cardinality($1::text[]) AS ok FROM wanted JOIN locked USING (name) WHERE locked.quantity >= wanted.quantity),
           taken AS (UPDATE ingredients AS i SET quantity = i.quantity - w.quantity FROM wanted AS w, enough WHERE enough.ok AND i.name = w.name RETURNING i.name)
           SELECT name, quantity, (SELECT count(*) FROM taken)::int AS taken FROM locked
           UNION ALL SELECT name, quantity, 0 FROM seen, fits WHERE NOT fits.ok`,
  },
  // A short item locks nothing, so a refusal never waits behind the writes that take the row.
  takeOne: { name: 'stock-take-one', text: 'UPDATE ingredients SET quantity = quantity - $2 WHERE name = $1 AND quantity >= $2' },
  quantityOf: { name: 'stock-quantity-of', text: 'SELECT quantity FROM ingredients WHERE name = $1' },
  upsert: { name: 'stock-upsert', text: 'INSERT INTO ingredients (name, quantity) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET quantity = excluded.quantity' },
};

/**
 * Rows are locked by name, so two writes never wait on each other in a circle. NO KEY UPDATE,
 * as an UPDATE of the quantity takes anyway: other orders' foreign-key KEY SHARE locks never wait.
 */
export function postgresStock(on: Queryable): StockTable {
  const query = queryOn(on);
  return {
    async levels() {
      const { rows } = await query<{ name: string; quantity: number }>(PG.levels);
      return Object.fromEntries(rows.map((row) => [row.name, row.quantity])) as StockLevels;
    },
    async unknown(names) {
      const { rows } = await query<{ name: string }>(PG.known, [[...names]]);
      const held = new Set(rows.map((row) => row.name));
      return names.find((name) => !held.has(name));
    },
    async take(items) {
      if (items.length === 1) {
        const [{ ingredient, quantity }] = items as [PickItem];
        if ((await query(PG.takeOne, [ingredient, quantity])).rowCount === 1) return undefined;
        const { rows } = await query<{ quantity: number }>(PG.quantityOf, [ingredient]);
        if (rows[0] === undefined) throw new UnknownIngredient(ingredient);
        return new OutOfStock(ingredient, quantity, rows[0].quantity);
      }
      const { rows } = await query<{ name: string; quantity: number; taken: number }>(PG.take, [items.map((item) => item.ingredient), items.map((item) => item.quantity)]);
      if (rows.length === items.length && rows[0]!.taken === items.length) return undefined;
      const held = new Map(rows.map((row) => [row.name, row.quantity]));
      const unknown = items.find((item) => !held.has(item.ingredient));
      if (unknown) throw new UnknownIngredient(unknown.ingredient);
      const short = items.find((item) => held.get(item.ingredient)! < item.quantity);
      if (short) return new OutOfStock(short.ingredient, short.quantity, held.get(short.ingredient)!);
      throw new Error(`stock-take took ${rows[0]?.taken ?? 0} of ${items.length} items, none short`);
    },
    async set(amounts) {
      await query(PG.lock, [Object.keys(amounts)]); // the rows writes take, in the same order
      for (const [name, quantity] of Object.entries(amounts)) await query(PG.upsert, [name, quantity]);
    },
  };
}

/**
 * `take` for several writes, in the order given: their sum in one statement when it is there
 * (each would then have been taken alone), else one by one, each with its own answer.
 */
export function takeInTurn(stock: StockTable) {
  return async (takes: readonly (readonly PickItem[])[]): Promise<(OutOfStock | undefined)[]> => {
    const sum = new Map<string, number>();
    for (const items of takes) for (const { ingredient, quantity } of items) sum.set(ingredient, (sum.get(ingredient) ?? 0) + quantity);
    const summed = [...sum].map(([ingredient, quantity]) => ({ ingredient, quantity }));
    // A shortage or an unknown ingredient changed nothing.
    const short = takes.length === 1 ? 'alone' : await stock.take(summed).catch((error: unknown) => {
      if (error instanceof UnknownIngredient) return 'unknown';
      throw error;
    });
    if (short === undefined) return takes.map(() => undefined);
    const answers: (OutOfStock | undefined)[] = [];
    for (const items of takes) answers.push(await stock.take(items));
    return answers;
  };
}
