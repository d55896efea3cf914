import { createMigrator, createStock, DEFAULT_STOCK, openDatabase } from '../src/app';

async function freshStock() {
  const db = openDatabase(':memory:');
  await createMigrator(db).up();
  return { db, stock: createStock(db) };
}

describe('stock rules', () => {
  test('a fresh chillybin holds the default stock', async () => {
    const { stock } = await freshStock();
    expect(stock.levels()).toEqual(DEFAULT_STOCK);
  });

  test.each([
    ['takes what is asked', 'cheese', 3, 'picked', 7],
    ['can take the last of it', 'cheese', 10, 'picked', 0],
    ['refuses to go below zero, taking nothing', 'cheese', 11, 'not_enough', 10],
    ['knows what it does not hold', 'caviar', 1, 'unknown', undefined],
  ])('a pick %s', async (_what, name, quantity, outcome, left) => {
    const { stock } = await freshStock();
    expect(stock.pick(name, quantity)).toBe(outcome);
    expect(stock.levels()[name]).toBe(left);
  });

  test('the database itself refuses negative stock, whatever the code does', async () => {
    const { db } = await freshStock();
    expect(() => db.prepare("UPDATE ingredients SET quantity = -1 WHERE name = 'cheese'").run()).toThrow(/CHECK constraint/);
  });

  test('restock sets the given amounts, adds new ingredients and leaves the rest', async () => {
    const { stock } = await freshStock();
    stock.pick('ham', 4);
    expect(stock.restock({ cheese: 2, truffle: 1 })).toEqual({ ...DEFAULT_STOCK, ham: 6, cheese: 2, truffle: 1 });
  });
});
