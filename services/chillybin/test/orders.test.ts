import { createMigrator, createOrders, createStock, DEFAULT_STOCK, openDatabase } from '../src/app';
import { OutOfStock } from '../src/orders';
import { orderCount } from './build';

async function fresh() {
  const db = openDatabase(':memory:');
  await createMigrator(db).up();
  return { db, stock: createStock(db), orders: createOrders(db, { now: () => new Date('2026-11-22T10:00:00Z') }) };
}

describe('placing an order', () => {
  test('takes every item and records the order with its items', async () => {
    const { stock, orders } = await fresh();
    const order = orders.place('gita', [{ ingredient: 'cheese', quantity: 2 }, { ingredient: 'bread', quantity: 2 }]);
    expect(order).toEqual({ id: 1, customer: 'gita', items: [{ ingredient: 'cheese', quantity: 2 }, { ingredient: 'bread', quantity: 2 }], createdAt: '2026-11-22T10:00:00.000Z' });
    expect(stock.levels()).toEqual({ ...DEFAULT_STOCK, cheese: 8, bread: 8 });
    expect(orders.get(order.id)).toEqual(order);
  });

  test.each([
    ['the first item', [{ ingredient: 'cheese', quantity: 11 }, { ingredient: 'bread', quantity: 2 }], 'cheese'],
    ['the last item, after others were taken', [{ ingredient: 'bread', quantity: 2 }, { ingredient: 'ham', quantity: 1 }, { ingredient: 'cheese', quantity: 11 }], 'cheese'],
  ])('when %s is short, throws OutOfStock naming it, and nothing is taken or recorded', async (_case, items, short) => {
    const { db, stock, orders } = await fresh();
    expect(() => orders.place('gita', items)).toThrow(new OutOfStock(short, 11, 10));
    expect(stock.levels()).toEqual(DEFAULT_STOCK);
    expect(orderCount(db)).toBe(0);
    expect(db.prepare('SELECT count(*) FROM order_items').pluck().get()).toBe(0);
  });

  test('an order that takes the last of something succeeds, and the next one is short', async () => {
    const { stock, orders } = await fresh();
    orders.place('gita', [{ ingredient: 'vegemite', quantity: 10 }]);
    expect(() => orders.place('gwyn', [{ ingredient: 'vegemite', quantity: 1 }])).toThrow(OutOfStock);
    expect(stock.levels().vegemite).toBe(0);
  });

  test('an unknown order id finds nothing', async () => {
    const { orders } = await fresh();
    expect(orders.get(42)).toBeUndefined();
  });
});
