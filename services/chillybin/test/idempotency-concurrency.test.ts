import { join } from 'node:path';
import { freshDatabasePath, startService, stopAllProcesses, type RunningService } from '@toasties/testkit';
import { openDatabase } from '../src/db';
import { sqliteOptions } from './settings';

// Real chillybin processes over a real SQLite file: many retries of one keyed pick,
// all in flight at once, must take the stock once and record one order.
const main = join(__dirname, '..', 'dist', 'main.js');
afterAll(stopAllProcesses);

const toastie = { customer: 'gita', items: [{ ingredient: 'cheese', quantity: 1 }, { ingredient: 'bread', quantity: 2 }] };
const REQUESTS = 40;

function pick(service: RunningService, key: string) {
  return fetch(`${service.url}/v2/pick`, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': `"${key}"` }, body: JSON.stringify(toastie) });
}

async function answers(responses: Response[]) {
  return Promise.all(responses.map(async (res) => ({ status: res.status, replayed: res.headers.get('idempotent-replayed'), body: (await res.json()) as { order: { id: string } } })));
}

function stateOf(path: string) {
  const db = openDatabase(path, sqliteOptions);
  try {
    return {
      stock: db.prepare("SELECT name, quantity FROM ingredients WHERE name IN ('cheese', 'bread') ORDER BY name").all(),
      orders: db.prepare('SELECT count(*) FROM orders').pluck().get(),
      keys: db.prepare('SELECT count(*) FROM idempotency_keys').pluck().get(),
    };
  } finally {
    db.close();
  }
}

const pickedOnce = { stock: [{ name: 'bread', quantity: 8 }, { name: 'cheese', quantity: 9 }], orders: 1, keys: 1 };

describe(`${REQUESTS} concurrent requests with one Idempotency-Key`, () => {
  test('against one chillybin: exactly one pick; every answer is that order, all but one replayed', async () => {
    const DATABASE_PATH = freshDatabasePath('idempotency');
    const chillybin = await startService(main, { DATABASE_PATH });
    const results = await answers(await Promise.all(Array.from({ length: REQUESTS }, () => pick(chillybin, 'one-toastie'))));

    expect(results.map((r) => r.status)).toEqual(Array(REQUESTS).fill(201));
    expect(new Set(results.map((r) => r.body.order.id)).size).toBe(1);
    expect(results.filter((r) => r.replayed === null)).toHaveLength(1);
    expect(stateOf(DATABASE_PATH)).toEqual(pickedOnce);
    await chillybin.stop();
  });

  test('spread over two chillybin processes on one database file: still exactly one pick', async () => {
    const DATABASE_PATH = freshDatabasePath('idempotency');
    const first = await startService(main, { DATABASE_PATH });
    const second = await startService(main, { DATABASE_PATH });
    const results = await answers(await Promise.all(Array.from({ length: REQUESTS }, (_, i) => pick(i % 2 === 0 ? first : second, 'one-toastie'))));

    expect(results.map((r) => r.status)).toEqual(Array(REQUESTS).fill(201));
    expect(new Set(results.map((r) => r.body.order.id)).size).toBe(1);
    expect(results.filter((r) => r.replayed === null)).toHaveLength(1);
    expect(stateOf(DATABASE_PATH)).toEqual(pickedOnce);
    await Promise.all([first.stop(), second.stop()]);
  });
});
