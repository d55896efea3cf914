import { OutOfStock, UnknownIngredient } from '@toasties/contract';
import { orderV2, pickV1 } from '../src/app';
import { defaults } from '../src/pick';
import { describeBackends, postgresServer } from './build';

/**
 * Writes that may share a transaction (v1 picks, unkeyed orders) and arrive together are
 * taken together, on both backends, with the guarantees of taking them one by one in the order
 * they came: no oversell, no pick refused that the stock could cover, and one bad write fails
 * only itself.
 */
describeBackends('writes taken together', (build, backend) => {
  test('picks at the stock-out: each answered as it would be alone, in the order they came', async () => {
    const { store, stock } = await build();
    await stock.restock({ cheese: 10 });
    const picking = { ...defaults, store };
    const outcomes = await Promise.all([4, 2, 1, 5, 3].map((quantity) => pickV1(picking, { ingredient: 'cheese', quantity })));
    expect(outcomes).toEqual([{ kind: 'picked' }, { kind: 'picked' }, { kind: 'picked' }, { kind: 'short', shortage: new OutOfStock('cheese', 5, 3) }, { kind: 'picked' }]);
    expect((await stock.levels()).cheese).toBe(0);
  });

  test('a write that fails is undone alone: the others in its transaction commit', async () => {
    const { store, stock, orderCount } = await build();
    const picking = { ...defaults, store };
    const [unknown, failing, placed, picked] = await Promise.allSettled([
      orderV2(picking, { customer: 'gita', items: [{ ingredient: 'caviar', quantity: 1 }] }, undefined),
      store.transaction(async (t) => {
        await t.stock.take([{ ingredient: 'cheese', quantity: 5 }]);
        throw new Error('a bug after taking');
      }, { shared: 'cheese' }),
      orderV2(picking, { customer: 'gwyn', items: [{ ingredient: 'cheese', quantity: 1 }] }, undefined),
      pickV1(picking, { ingredient: 'cheese', quantity: 2 }),
    ]);
    expect(unknown).toEqual({ status: 'fulfilled', value: { kind: 'refused', reason: new UnknownIngredient('caviar') } });
    expect(failing).toEqual({ status: 'rejected', reason: new Error('a bug after taking') });
    expect(placed).toMatchObject({ status: 'fulfilled', value: { kind: 'placed' } });
    expect(picked).toEqual({ status: 'fulfilled', value: { kind: 'picked' } });
    expect((await stock.levels()).cheese).toBe(7); // the 5 of the failed write put back
    expect(await orderCount()).toBe(1);
  });

  test('a write of a batch of picks that fails after its take is undone alone', async () => {
    const { store, stock } = await build();
    await stock.restock({ cheese: 10 });
    const picking = { ...defaults, store };
    const pick = () => pickV1(picking, { ingredient: 'cheese', quantity: 1 });
    const failing = () =>
      store.transaction(async (t) => {
        await t.stock.take([{ ingredient: 'cheese', quantity: 5 }]);
        throw new Error('a bug after taking');
      }, { shared: 'cheese' });
    // The first goes alone; the others arrive while it is in flight and go together.
    const outcomes = await Promise.allSettled([pick(), failing(), pick(), pick()]);
    expect(outcomes).toEqual([
      { status: 'fulfilled', value: { kind: 'picked' } },
      { status: 'rejected', reason: new Error('a bug after taking') },
      { status: 'fulfilled', value: { kind: 'picked' } },
      { status: 'fulfilled', value: { kind: 'picked' } },
    ]);
    expect((await stock.levels()).cheese).toBe(7);
  });

  if (backend === 'postgres')
    test('picks that arrive together share commits (PostgreSQL counts them)', async () => {
      const built = await build();
      const { postgres } = await postgresServer();
      const database = (built as unknown as { url: string }).url.split('/').pop();
      const commits = async () => Number((await postgres.query<{ n: string }>('SELECT xact_commit AS n FROM pg_stat_database WHERE datname = current_database()', [], database))[0]!.n);
      await built.stock.restock({ cheese: 1000 });
      const before = await commits();
      await Promise.all(Array.from({ length: 20 }, () => pickV1({ ...defaults, store: built.store }, { ingredient: 'cheese', quantity: 1 })));
      expect((await built.stock.levels()).cheese).toBe(980);
      expect((await commits()) - before).toBeLessThan(20);
    });
});
