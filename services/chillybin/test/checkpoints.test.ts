import { randomUUID } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger } from '@toasties/observability';
import { freshDatabasePath, startService, stopAllProcesses, waitFor } from '@toasties/testkit';
import { openStore } from '../src/store/open';
import { BACKSTOP_PAGES } from '../src/store/sqlite/checkpointer';
import { settings } from './settings';
import { useCases } from './use-cases';

// WAL checkpoints run in a thread of their own (store/sqlite/checkpointer.ts): the writes
// below stay under SQLite's own automatic threshold (1,000 pages) and far under the request
// connection's backstop, so only that thread can have copied their pages into the database file.
const main = join(__dirname, '..', 'dist', 'main.js');
const quiet = createLogger({ service: 'chillybin', version: 'test', level: 'silent', format: 'json' });

test('the service store checkpoints outside its requests, and leaves no WAL once closed', async () => {
  const path = freshDatabasePath('checkpoints');
  const store = await openStore({ ...settings, DATABASE_PATH: path }, quiet);
  try {
    const sizeBefore = statSync(path).size;
    const orders = useCases(store);
    await orders.restock({ cheese: 10_000 });
    for (let i = 0; i < 50; i++) await orders.place('gita', [{ ingredient: 'cheese', quantity: 1 }]);
    expect(statSync(`${path}-wal`).size / 4096).toBeLessThan(Math.min(1000, BACKSTOP_PAGES));
    await waitFor(() => statSync(path).size > sizeBefore, { timeoutMs: 20_000, what: 'the orders checkpointed into the database file' });
  } finally {
    await store.close();
  }
  expect(existsSync(`${path}-wal`)).toBe(false);
});

afterAll(stopAllProcesses);

test('with workers, the primary checkpoints the file they share, and leaves no WAL once stopped', async () => {
  const path = freshDatabasePath('checkpoints');
  const service = await startService(main, { DATABASE_PATH: path, WORKERS: '2' });
  const sizeBefore = statSync(path).size;
  const post = (route: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${service.url}${route}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  expect((await post('/restock', { cheese: 10_000 })).status).toBe(200);
  for (let i = 0; i < 50; i++) {
    const answer = await post('/v2/pick', { customer: 'gita', items: [{ ingredient: 'cheese', quantity: 1 }] }, { 'idempotency-key': randomUUID() });
    expect(answer.status).toBe(201);
  }
  expect(statSync(`${path}-wal`).size / 4096).toBeLessThan(Math.min(1000, BACKSTOP_PAGES));
  await waitFor(() => statSync(path).size > sizeBefore, { timeoutMs: 20_000, what: 'the orders checkpointed into the database file' });
  await expect(service.stop('SIGTERM')).resolves.toEqual({ code: 0, signal: null });
  expect(existsSync(`${path}-wal`)).toBe(false);
});
