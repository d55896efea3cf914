import { existsSync, statSync } from 'node:fs';
import { createLogger } from '@toasties/observability';
import { freshDatabasePath, waitFor } from '@toasties/testkit';
import { openStore } from '../src/store/open';
import { BACKSTOP_PAGES } from '../src/store/sqlite/checkpointer';
import { settings } from './settings';
import { useCases } from './use-cases';

// WAL checkpoints run in a thread of their own (store/sqlite/checkpointer.ts): the writes
// below stay under SQLite's own automatic threshold (1,000 pages) and far under the request
// connection's backstop, so only that thread can have copied their pages into the database file.
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
