import { OutOfStock, UnknownIngredient } from '@toasties/contract';
import { orderV2, pickV1 } from '../src/app';
import type { Pool } from 'pg';
import { waitFor } from '@toasties/testkit';
import { describeBackends, postgresServer } from './build';
import { pickingSettings } from './settings';

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
    const picking = { ...pickingSettings, store };
    const outcomes = await Promise.all([4, 2, 1, 5, 3].map((quantity) => pickV1(picking, { ingredient: 'cheese', quantity })));
    expect(outcomes).toEqual([{ kind: 'picked' }, { kind: 'picked' }, { kind: 'picked' }, { kind: 'short', shortage: new OutOfStock('cheese', 5, 3) }, { kind: 'picked' }]);
    expect((await stock.levels()).cheese).toBe(0);
  });

  test('a write that fails is undone alone: the others in its transaction commit', async () => {
    const { store, stock, orderCount } = await build();
    const picking = { ...pickingSettings, store };
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
    const picking = { ...pickingSettings, store };
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

  test('keyed orders at the stock-out: each answered as alone, its key recording what it came to', async () => {
    const { store, stock, orderCount } = await build();
    await stock.restock({ cheese: 10 });
    const picking = { ...pickingSettings, store };
    const order = (quantity: number, key: string) => orderV2(picking, { customer: 'gita', items: [{ ingredient: 'cheese', quantity }] }, key);
    const outcomes = await Promise.all([order(4, 'a'), order(2, 'b'), order(5, 'c'), order(4, 'd'), order(9, 'a')]);
    expect(outcomes.map((outcome) => outcome.kind)).toEqual(['placed', 'placed', 'short', 'placed', 'refused']);
    expect(outcomes[2]).toEqual({ kind: 'short', shortage: new OutOfStock('cheese', 5, 4) });
    expect(outcomes[4]).toMatchObject({ kind: 'refused', reason: { name: 'KeyReused' } });
    expect((await stock.levels()).cheese).toBe(0);
    expect(await orderCount()).toBe(3);
    // Each key replays what it recorded, in transactions that went together or alone.
    const again = await Promise.all([order(4, 'a'), order(2, 'b'), order(5, 'c'), order(4, 'd')]);
    expect(again).toEqual(outcomes.slice(0, 4).map((outcome) => ({ kind: 'replayed', outcome })));
  });

  test('a keyed order that fails is undone alone, its key with it; the same key twice is placed once', async () => {
    const { store, stock, orderCount } = await build();
    const picking = { ...pickingSettings, store };
    const order = (ingredient: string, key: string) => orderV2(picking, { customer: 'gwyn', items: [{ ingredient, quantity: 1 }] }, key);
    const [unknown, placed, repeated] = await Promise.all([order('caviar', 'k1'), order('cheese', 'k2'), order('cheese', 'k2')]);
    expect(unknown).toEqual({ kind: 'refused', reason: new UnknownIngredient('caviar') });
    expect(placed).toMatchObject({ kind: 'placed' });
    expect(repeated).toEqual({ kind: 'replayed', outcome: placed });
    expect(await orderCount()).toBe(1);
    expect((await stock.levels()).cheese).toBe(9);
    expect(await order('cheese', 'k1')).toMatchObject({ kind: 'placed' }); // k1 recorded nothing
  });

  test('writes of different shapes at the stock-out take the stock in the order they came', async () => {
    const { store, stock, orderCount } = await build();
    await stock.restock({ cheese: 5 });
    const picking = { ...pickingSettings, store };
    const cheese = (quantity: number) => ({ customer: 'gita', items: [{ ingredient: 'cheese', quantity }] });
    // The first goes alone; a keyed order (four calls before its take), an unkeyed one (one) and a pick (none) go together.
    const outcomes = await Promise.all([pickV1(picking, { ingredient: 'cheese', quantity: 1 }), orderV2(picking, cheese(3), 'first'), orderV2(picking, cheese(2), undefined), pickV1(picking, { ingredient: 'cheese', quantity: 1 })]);
    expect(outcomes.map((outcome) => outcome.kind)).toEqual(['picked', 'placed', 'short', 'picked']);
    expect(outcomes[2]).toEqual({ kind: 'short', shortage: new OutOfStock('cheese', 2, 1) });
    expect((await stock.levels()).cheese).toBe(0);
    expect(await orderCount()).toBe(1);
    expect(await orderV2(picking, cheese(3), 'first')).toEqual({ kind: 'replayed', outcome: outcomes[1] });
  });

  test('orders of an unknown ingredient that go together are each refused, keyed or not, and nothing is kept', async () => {
    const { store, orderCount } = await build();
    const picking = { ...pickingSettings, store };
    const caviar = { customer: 'gita', items: [{ ingredient: 'caviar', quantity: 1 }] };
    const outcomes = await Promise.all([orderV2(picking, caviar, 'c0'), orderV2(picking, caviar, 'c1'), orderV2(picking, caviar, undefined), orderV2(picking, caviar, 'c2')]);
    expect(outcomes).toEqual(outcomes.map(() => ({ kind: 'refused', reason: new UnknownIngredient('caviar') })));
    expect(await orderCount()).toBe(0);
    // No key recorded anything: each is free for an order that can be placed.
    const cheese = { customer: 'gita', items: [{ ingredient: 'cheese', quantity: 1 }] };
    expect((await Promise.all(['c0', 'c1', 'c2'].map((key) => orderV2(picking, cheese, key)))).map((outcome) => outcome.kind)).toEqual(['placed', 'placed', 'placed']);
  });

  test('an expired key met in a shared transaction is claimed anew', async () => {
    const { store, stock, orderCount } = await build();
    let now = Date.parse('2026-01-01T00:00:00Z');
    const picking = { ...pickingSettings, store, now: () => now };
    const order = (key: string) => orderV2(picking, { customer: 'gwyn', items: [{ ingredient: 'cheese', quantity: 1 }] }, key);
    const first = await order('old');
    now += pickingSettings.keyTtlMs;
    const outcomes = await Promise.all([order('x0'), order('x1'), order('old'), order('x2')]);
    expect(outcomes.map((outcome) => outcome.kind)).toEqual(['placed', 'placed', 'placed', 'placed']);
    expect(outcomes[2]).not.toEqual(first);
    expect(await orderCount()).toBe(5);
    expect((await stock.levels()).cheese).toBe(5);
  });

  if (backend === 'postgres')
    test('a key another transaction holds is not waited for while holding stock: the writes go one by one', async () => {
      const built = await build({ retryWindowMs: 60_000 }); // 'held' waits for the key however long the machine takes
      const { store, stock } = built;
      const pool = (built as unknown as { pool: Pool }).pool;
      await stock.restock({ cheese: 100 });
      const picking = { ...pickingSettings, store };
      const order = (key: string) => orderV2(picking, { customer: 'gita', items: [{ ingredient: 'cheese', quantity: 1 }] }, key);
      const holder = await pool.connect();
      try {
        // Another request's transaction holding key 'held' (as its claim does), not yet committed.
        await holder.query("BEGIN; SELECT pg_advisory_xact_lock(hashtext('gita'), hashtext('held'))");
        // x0 goes at once; x1, 'held' and x2 arrive while it is in flight and go together.
        const outcomes = Promise.all(['x0', 'x1', 'held', 'x2'].map(order));
        await waitFor(async () => (await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")).rows[0]!.n === 1, { timeoutMs: 10_000 });
        // While 'held' waits for its key, nobody holds the stock row: x1's take was committed, or rolled back.
        await expect(pool.query("SELECT 1 FROM ingredients WHERE name = 'cheese' FOR UPDATE NOWAIT")).resolves.toBeDefined();
        await holder.query('COMMIT');
        expect((await outcomes).map((outcome) => outcome.kind)).toEqual(['placed', 'placed', 'placed', 'placed']);
      } finally {
        holder.release();
      }
      expect((await stock.levels()).cheese).toBe(96);
    });

  if (backend === 'postgres')
    test('picks that arrive together share commits (PostgreSQL counts them)', async () => {
      const built = await build();
      const { postgres } = await postgresServer();
      const database = (built as unknown as { url: string }).url.split('/').pop();
      const commits = async () => Number((await postgres.query<{ n: string }>('SELECT xact_commit AS n FROM pg_stat_database WHERE datname = current_database()', [], database))[0]!.n);
      await built.stock.restock({ cheese: 1000 });
      const before = await commits();
      await Promise.all(Array.from({ length: 20 }, () => pickV1({ ...pickingSettings, store: built.store }, { ingredient: 'cheese', quantity: 1 })));
      expect((await built.stock.levels()).cheese).toBe(980);
      expect((await commits()) - before).toBeLessThan(20);
    });
});
