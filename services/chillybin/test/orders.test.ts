import { createMigrator, DEFAULT_STOCK, openDatabase } from '../src/app';
import { sqliteUseCases } from './use-cases';
import { OutOfStock } from '@toasties/contract';
import { ORDER_ID } from '../src/pick';
import { orderCount } from './build';
import { sqliteOptions } from './settings';

async function fresh() {
  const db = openDatabase(':memory:', sqliteOptions);
  await createMigrator(db).up();
  return { db, stock: sqliteUseCases(db), orders: sqliteUseCases(db, { now: () => Date.parse('2026-11-22T10:00:00Z') }) };
}

describe('placing an order', () => {
  test('takes every item and records the order with its items', async () => {
    const { stock, orders } = await fresh();
    const order = await orders.place('gita', [{ ingredient: 'cheese', quantity: 2 }, { ingredient: 'bread', quantity: 2 }]);
    expect(order).toEqual({ id: expect.stringMatching(ORDER_ID), customer: 'gita', items: [{ ingredient: 'cheese', quantity: 2 }, { ingredient: 'bread', quantity: 2 }], createdAt: '2026-11-22T10:00:00.000Z' });
    expect(await stock.levels()).toEqual({ ...DEFAULT_STOCK, cheese: 8, bread: 8 });
    expect(await orders.get(order.id)).toEqual(order);
  });

  test.each([
    ['the first item', [{ ingredient: 'cheese', quantity: 11 }, { ingredient: 'bread', quantity: 2 }], 'cheese'],
    ['the last item, after others were taken', [{ ingredient: 'bread', quantity: 2 }, { ingredient: 'ham', quantity: 1 }, { ingredient: 'cheese', quantity: 11 }], 'cheese'],
  ])('when %s is short, throws OutOfStock naming it, and nothing is taken or recorded', async (_case, items, short) => {
    const { db, stock, orders } = await fresh();
    await expect(orders.place('gita', items)).rejects.toThrow(new OutOfStock(short, 11, 10));
    expect(await stock.levels()).toEqual(DEFAULT_STOCK);
    expect(orderCount(db)).toBe(0);
    expect(db.prepare('SELECT count(*) FROM order_items').pluck().get()).toBe(0);
  });

  test('an order that takes the last of something succeeds, and the next one is short', async () => {
    const { stock, orders } = await fresh();
    await orders.place('gita', [{ ingredient: 'vegemite', quantity: 10 }]);
    await expect(orders.place('gwyn', [{ ingredient: 'vegemite', quantity: 1 }])).rejects.toThrow(OutOfStock);
    expect((await stock.levels()).vegemite).toBe(0);
  });

  test('each order gets a new random public id, unrelated to the row it is in', async () => {
    const { db, orders } = await fresh();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await orders.place('gita', [{ ingredient: 'ham', quantity: 1 }])).id);
    expect(new Set(ids).size).toBe(5);
    for (const id of ids) expect(id).toMatch(ORDER_ID);
    expect(db.prepare('SELECT id FROM orders ORDER BY id').pluck().all()).toEqual([1, 2, 3, 4, 5]);
    expect(await Promise.all(ids.map((id) => orders.publicIdOf(ids.indexOf(id) + 1)))).toEqual(ids);
  });

  test('an unknown order id finds nothing, and neither does a row id', async () => {
    const { orders } = await fresh();
    await orders.place('gita', [{ ingredient: 'ham', quantity: 1 }]);
    expect(await orders.get('3f0c1b2a-9d8e-4c7b-a6f5-e4d3c2b1a098')).toBeUndefined();
    expect(await orders.get('1')).toBeUndefined();
  });
});
