import request from 'supertest';
import { Client } from 'pg';
import { describeWithPostgres, waitFor } from '@toasties/testkit';
import { askOnFreshConnection, createPool, createPostgresStore, createSideConnection, DEFAULT_STOCK, migratePostgres, openStore, withMigrationLock } from '../src/app';
import { sweepStep } from '../src/key-sweeper';
import { loadConfig } from '../src/config';
import { buildOnPostgres, postgresServer } from './build';
import { postgresStoreWaits } from './settings';

/**
 * What only PostgreSQL has to settle: several processes on one database (here, several
 * apps with pools of their own, as replicas would be), migrations that more than one
 * replica starts at once, and a server that goes away and comes back. The API itself is
 * the same on both backends (api-v1, api-v2, access: describeBackends).
 */
const toastie = (customer: string, items: [string, number][]) => ({ customer, items: items.map(([ingredient, quantity]) => ({ ingredient, quantity })) });

const quiet = { info() {}, warn() {}, error() {}, debug() {}, fatal() {}, trace() {} } as never;

describeWithPostgres('chillybin on PostgreSQL', () => {
  test('three replicas starting at once migrate exactly once: one migrates, the others wait on the advisory lock', async () => {
    const { postgres } = await postgresServer();
    const url = await postgres.createDatabase();
    const events: string[] = [];
    const logger = { info: (details: Record<string, unknown>) => void events.push(`${String(details.event)} ${String(details.name)}`), warn() {}, error() {}, debug() {}, fatal() {}, trace() {} };
    await Promise.all([1, 2, 3].map(() => migratePostgres(url, logger as never)));
    expect(events.filter((event) => event.startsWith('migrated '))).toEqual(['migrated 0001-ingredients', 'migrated 0002-orders', 'migrated 0003-order-public-ids', 'migrated 0004-write-probe']);
    const executed = await postgres.query<{ name: string }>('SELECT name FROM migrations ORDER BY name', [], url.split('/').pop());
    expect(executed.map((row) => row.name)).toEqual(['0001-ingredients', '0002-orders', '0003-order-public-ids', '0004-write-probe']);
  });

  test('a worker opening a database its release has not migrated (a reload after a deploy) applies its migrations first', async () => {
    const { postgres } = await postgresServer();
    const url = await postgres.createDatabase();
    await withMigrationLock(url, undefined, (migrator) => migrator.up({ to: '0002-orders' })); // the schema of an older release
    const store = await openStore(loadConfig({ DATABASE_URL: url, LOG_LEVEL: 'silent' }), quiet);
    try {
      const executed = await postgres.query<{ name: string }>('SELECT name FROM migrations ORDER BY name', [], url.split('/').pop());
      expect(executed.map((row) => row.name)).toEqual(['0001-ingredients', '0002-orders', '0003-order-public-ids', '0004-write-probe']);
      await expect(store.check()).resolves.toBeUndefined(); // 0004's table is there
    } finally {
      await store.close();
    }
  });

  test('every migration goes down exactly as it came up: up → down to nothing → up gives the same schema', async () => {
    const { postgres } = await postgresServer();
    const url = await postgres.createDatabase();
    const database = url.split('/').pop();
    const schema = () =>
      postgres.query("SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, column_name", [], database);
    await migratePostgres(url);
    const migrated = await schema();
    await withMigrationLock(url, undefined, (migrator) => migrator.down({ to: 0 }));
    expect((await schema()).map((column) => (column as { table_name: string }).table_name)).toEqual(['migrations', 'migrations']);
    await migratePostgres(url);
    expect(await schema()).toEqual(migrated);
  });

  test('a migration that fails leaves the schema as it was (each runs in a transaction)', async () => {
    const { postgres } = await postgresServer();
    const url = await postgres.createDatabase();
    const database = url.split('/').pop();
    // A hand-made table in 0002's way: it creates orders and order_items, then fails on this.
    await postgres.query('CREATE TABLE idempotency_keys (anything text)', [], database);
    await expect(migratePostgres(url)).rejects.toThrow(/0002-orders.*idempotency_keys.*already exists/s);
    const tables = await postgres.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename", [], database);
    expect(tables.map((row) => row.tablename)).toEqual(['idempotency_keys', 'ingredients', 'migrations']);
  });

  test('the same Idempotency-Key sent to two replicas at once: one order, and the same answer to both', async () => {
    const first = await buildOnPostgres();
    const second = await buildOnPostgres({ database: first.url });
    for (let round = 0; round < 10; round++) {
      const body = toastie('gita', [['cheese', 1]]);
      const [a, b] = await Promise.all([first.app, second.app].map((app) => request(app).post('/v2/pick').set('Idempotency-Key', `key-${round}`).send(body)));
      expect([a!.status, b!.status]).toEqual([201, 201]);
      expect(b!.body).toEqual(a!.body);
      expect([a!.headers['idempotent-replayed'], b!.headers['idempotent-replayed']].filter(Boolean)).toEqual(['true']);
    }
    expect(await first.orderCount()).toBe(10);
    expect((await first.stock.levels()).cheese).toBe(0);
  });

  test('picks and orders made at once (taken together) get the answers they would one by one: nothing oversold at the stock-out', async () => {
    const { stock, orders, orderCount } = await buildOnPostgres();
    const settled = async (writes: Promise<unknown>[]) => (await Promise.allSettled(writes)).map((outcome) => (outcome.status === 'fulfilled' ? 'ok' : (outcome.reason as Error).message));
    // The first goes alone; the two that wait for it want 3 together, more than the 1 left: one by one, as they came.
    await stock.restock({ cheese: 5 });
    expect(await settled([4, 2, 1].map((quantity) => stock.pick('cheese', quantity)))).toEqual(['ok', 'not enough cheese: 2 wanted, 1 left', 'ok']);
    await stock.restock({ cheese: 10 });
    const twelve = Array.from({ length: 12 }, () => 1);
    expect(await settled(twelve.map(() => stock.pick('cheese', 1)))).toEqual([...twelve.slice(2).map(() => 'ok'), 'not enough cheese: 1 wanted, 0 left', 'not enough cheese: 1 wanted, 0 left']);
    await expect(stock.pick('caviar', 1)).rejects.toThrow('the chillybin has no caviar');
    // Orders: the same, and only the orders answered are recorded.
    await stock.restock({ cheese: 5, bread: 10 });
    const placing = [4, 2, 1].map((quantity) => orders.place('gita', [{ ingredient: 'bread', quantity: 1 }, { ingredient: 'cheese', quantity }]));
    expect(await settled(placing)).toEqual(['ok', 'not enough cheese: 2 wanted, 1 left', 'ok']);
    expect(await settled([orders.place('gita', [{ ingredient: 'cheese', quantity: 1 }]), orders.place('gita', [{ ingredient: 'caviar', quantity: 1 }])])).toEqual(['not enough cheese: 1 wanted, 0 left', 'the chillybin has no caviar']);
    expect(await stock.levels()).toMatchObject({ cheese: 0, bread: 8 });
    expect(await orderCount()).toBe(2);
    const first = await placing[0]!;
    expect(await orders.get(first.id)).toEqual(first);
  });

  test('an expired key is a new request, and the expired keys of others are left to the sweeper', async () => {
    let clock = Date.now();
    const { app, pool, store, orderCount } = await buildOnPostgres({ picking: { keyTtlMs: 1000, now: () => clock } });
    const pick = (key: string, quantity: number) => request(app).post('/v2/pick').set('Idempotency-Key', key).send(toastie('gita', [['cheese', quantity]]));
    expect((await pick('k', 1)).status).toBe(201);
    expect((await pick('other', 1)).status).toBe(201);
    expect((await pick('k', 2)).status).toBe(422); // still remembered: another body is a misuse
    clock += 1000;
    const again = await pick('k', 2);
    expect([again.status, again.headers['idempotent-replayed']]).toEqual([201, undefined]);
    expect(await orderCount()).toBe(3);
    const keys = async () => (await pool.query<{ idempotency_key: string }>('SELECT idempotency_key FROM idempotency_keys ORDER BY 1')).rows.map((row) => row.idempotency_key);
    expect(await keys()).toEqual(['k', 'other']); // 'other' expired, but no request sweeps
    expect(await sweepStep(store, { batch: 10, now: () => clock })).toBe(1);
    expect(await keys()).toEqual(['k']);
  });

  test('orders taking the same ingredients in opposite orders, on two replicas at once, never deadlock: no 5xx, nothing oversold', async () => {
    const first = await buildOnPostgres();
    const second = await buildOnPostgres({ database: first.url });
    await first.stock.restock({ cheese: 1000, bread: 1000, ham: 1000, tomato: 1000 });
    const orders = Array.from({ length: 40 }, (_, i) =>
      i % 2 === 0 ? toastie('gita', [['cheese', 1], ['bread', 1], ['ham', 1], ['tomato', 1]]) : toastie('gwyn', [['tomato', 1], ['ham', 1], ['bread', 1], ['cheese', 1]]),
    );
    const answers = await Promise.all(orders.map((body, i) => request(i % 2 === 0 ? first.app : second.app).post('/v2/pick').send(body)));
    expect(answers.map((res) => res.status)).toEqual(orders.map(() => 201));
    expect(await first.stock.levels()).toEqual({ ...DEFAULT_STOCK, cheese: 960, bread: 960, ham: 960, tomato: 960 });
    expect(await first.orderCount()).toBe(40);
  });

  test('a deadlock that does happen is tried again within the retry window, never a 500', async () => {
    const { app, url, stock, pool } = await buildOnPostgres({ retryWindowMs: 10_000 });
    // Another session holds cheese and will want bread. The order takes its rows by name,
    // bread then cheese, so it holds bread and waits for cheese: a cycle, once the other
    // session asks for bread. That session waits longer before looking for deadlocks, so
    // the server rolls the order back (40P01), and chillybin tries it again.
    const other = new Client({ connectionString: url });
    await other.connect();
    try {
      await other.query("SET deadlock_timeout = '5s'");
      await other.query('BEGIN');
      await other.query("UPDATE ingredients SET quantity = quantity - 1 WHERE name = 'cheese'");
      const picked = request(app).post('/v2/pick').send(toastie('gita', [['cheese', 1], ['bread', 1]])).then((res) => res);
      await waitFor(async () => (await pool.query("SELECT 1 FROM pg_locks WHERE NOT granted AND locktype = 'transactionid'")).rowCount === 1, { what: 'the order to wait for cheese' });
      await other.query("UPDATE ingredients SET quantity = quantity - 1 WHERE name = 'bread'");
      await other.query('COMMIT');
      const res = await picked;
      expect(res.status).toBe(201);
    } finally {
      await other.end();
    }
    expect(await stock.levels()).toMatchObject({ cheese: 8, bread: 8 });
    const deadlocks = async () => Number((await pool.query<{ n: string }>('SELECT deadlocks AS n FROM pg_stat_database WHERE datname = current_database()')).rows[0]!.n);
    await waitFor(async () => (await deadlocks()) === 1, { what: 'the server to count the deadlock' });
  });

  test('while the server is down: readiness fails and requests get 503 database_unavailable, not 500s or hangs; it recovers by itself', async () => {
    const { postgres } = await postgresServer();
    const { app } = await buildOnPostgres();
    expect((await request(app).get('/health/ready')).status).toBe(200);
    await postgres.stop();
    try {
      const ready = await request(app).get('/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.body.checks.database.ok).toBe(false);
      for (const res of [await request(app).post('/v2/pick').send(toastie('gita', [['cheese', 1]])), await request(app).get('/pick?name=cheese&quantity=1'), await request(app).get('/')]) {
        expect(res.status).toBe(503);
        expect(res.body).toEqual({ error: 'database_unavailable', message: expect.any(String) });
        expect(res.headers['retry-after']).toBe('30');
      }
      // Metrics are still answered (the stock left out): an outage is when they are needed.
      const metrics = await request(app).get('/metrics');
      expect(metrics.status).toBe(200);
      expect(metrics.text).toMatch(/chillybin_picks_total\{api="v2",result="failed"\} 1/);
      expect(metrics.text).not.toMatch(/chillybin_stock_level\{/);
    } finally {
      await postgres.restart();
    }
    await waitFor(async () => (await request(app).get('/health/ready')).status === 200, { what: 'readiness to recover' });
    expect((await request(app).post('/v2/pick').send(toastie('gita', [['cheese', 1]]))).status).toBe(201);
  });

  test('every connection of the pool in use (a load spike): readiness stays ready, and a write is busy (503 database_busy, retried), not unavailable', async () => {
    const { app, pool } = await buildOnPostgres({ poolSize: 1, retryWindowMs: 0 });
    const held = await pool.connect(); // the pool's one connection, taken as a long request would
    try {
      const ready = await request(app).get('/health/ready');
      expect(ready.status).toBe(200);
      const res = await request(app).post('/v2/pick').send(toastie('gita', [['cheese', 1]]));
      expect(res.status).toBe(503);
      expect(res.body.error).toBe('database_busy');
      expect(res.headers['retry-after']).toBe('1');
    } finally {
      held.release();
    }
    expect((await request(app).post('/v2/pick').send(toastie('gita', [['cheese', 1]]))).status).toBe(201);
    expect((await request(app).get('/health/ready')).status).toBe(200);
  });

  // A transaction that asks the pool for a second connection while it holds one waits for a
  // connection every such transaction holds: with as many of them as the pool has, none gets
  // one (seen as 503 database_busy for most keyed orders at a stock-out, three replicas).
  test.each([
    ['a keyed order short of stock', { 'Idempotency-Key': 'short-1' }, [['cheese', 1000]], 409],
    ['a keyed order of an unknown ingredient', { 'Idempotency-Key': 'unknown-1' }, [['cheese', 1], ['caviar', 1]], 400],
    ['an order short of stock', {}, [['cheese', 1000]], 409],
    ['an order of an unknown ingredient', {}, [['cheese', 1], ['caviar', 1]], 400],
  ] as const)('%s, on a pool of one connection: answered in its own transaction, with no second connection', async (_case, headers, items, status) => {
    // A minute's wait for a second connection: asked for, it would outlast the request's deadline.
    const { app } = await buildOnPostgres({ poolSize: 1, retryWindowMs: 0, connectTimeoutMs: 60_000 });
    const res = await request(app).post('/v2/pick').set(headers).send(toastie('gita', items as unknown as [string, number][])).timeout(20_000);
    expect({ status: res.status, error: res.body.error }).toEqual({ status, error: status === 409 ? 'out_of_stock' : 'unknown_ingredient' });
  });

  test('a transaction that fails rolls back on its connection, which goes back to the pool usable', async () => {
    const { url } = await buildOnPostgres();
    const timeouts = { statementTimeoutMs: 1000, connectTimeoutMs: 60_000 };
    const pool = createPool(url, { poolSize: 1, ...timeouts });
    const store = createPostgresStore(pool, createSideConnection(url, timeouts), { ...postgresStoreWaits, ask: (sql, values) => askOnFreshConnection(url, timeouts, sql, values) });
    try {
      const failing = store.transaction(async (t) => {
        await t.stock.take([{ ingredient: 'cheese', quantity: 3 }]);
        throw new Error('the work failed after taking');
      });
      await expect(failing).rejects.toThrow('the work failed after taking');
      expect((await pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      expect((await store.read((t) => t.stock.levels())).cheese).toBe(DEFAULT_STOCK.cheese);
    } finally {
      await store.close();
    }
  });
});
