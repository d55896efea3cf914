import { OutOfStock, UnknownIngredient } from '@toasties/contract';
import { createMigrator, DEFAULT_STOCK, openDatabase } from '../src/app';
import { sqliteUseCases } from './use-cases';
import { sqliteOptions } from './settings';

async function freshStock() {
  const db = openDatabase(':memory:', sqliteOptions);
  await createMigrator(db).up();
  return { db, stock: sqliteUseCases(db) };
}

describe('stock rules', () => {
  test('a fresh chillybin holds the default stock', async () => {
    const { stock } = await freshStock();
    expect(await stock.levels()).toEqual(DEFAULT_STOCK);
  });

  test.each([
    ['takes what is asked', 'cheese', 3, undefined, 7],
    ['can take the last of it', 'cheese', 10, undefined, 0],
    ['refuses to go below zero, taking nothing', 'cheese', 11, new OutOfStock('cheese', 11, 10), 10],
    ['knows what it does not hold', 'caviar', 1, new UnknownIngredient('caviar'), undefined],
  ])('a pick %s', async (_what, name, quantity, refusal, left) => {
    const { stock } = await freshStock();
    if (refusal) await expect(stock.pick(name, quantity)).rejects.toThrow(refusal);
    else await expect(stock.pick(name, quantity)).resolves.toBeUndefined();
    expect((await stock.levels())[name]).toBe(left);
  });

  test('a refused pick throws the domain error itself, as an order does, with what was wanted and left', async () => {
    const { stock } = await freshStock();
    const refusal = await stock.pick('cheese', 11).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(OutOfStock);
    expect(refusal).toMatchObject({ ingredient: 'cheese', wanted: 11, left: 10 });
    await expect(stock.pick('caviar', 1)).rejects.toThrow(UnknownIngredient);
  });

  test('the database itself refuses negative stock, whatever the code does', async () => {
    const { db } = await freshStock();
    expect(() => db.prepare("UPDATE ingredients SET quantity = -1 WHERE name = 'cheese'").run()).toThrow(/CHECK constraint/);
  });

  test('restock sets the given amounts, adds new ingredients and leaves the rest', async () => {
    const { stock } = await freshStock();
    await stock.pick('ham', 4);
    expect(await stock.restock({ cheese: 2, truffle: 1 })).toEqual({ ...DEFAULT_STOCK, ham: 6, cheese: 2, truffle: 1 });
  });
});
