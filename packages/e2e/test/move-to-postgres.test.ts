import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describeWithTool, freshDatabasePath, startPostgres, startService, stopAllProcesses, POSTGRES_TOOL } from '@toasties/testkit';
import { chillybinMain, stockOf } from './services';

// docs/scaling.md, "Moving the data": a chillybin with stock and orders on SQLite, stopped,
// copied by scripts/sqlite-to-postgres.sh into a migrated PostgreSQL database, and started
// there: the same stock, the same orders under the same ids, and new orders after them.
const script = join(__dirname, '..', '..', '..', 'scripts', 'sqlite-to-postgres.sh');
const TOOLS = [POSTGRES_TOOL, { command: 'psql', install: 'apt-get install postgresql-client' }, { command: 'sqlite3', install: 'apt-get install sqlite3' }];

afterAll(stopAllProcesses);

describeWithTool(TOOLS, 'moving chillybin from SQLite to PostgreSQL', () => {
  test('the stock and every order arrive as they were, and chillybin carries on from there', async () => {
    const postgres = await startPostgres();
    try {
      const path = freshDatabasePath('move');
      let chillybin = await startService(chillybinMain, { DATABASE_PATH: path, WORKERS: '0' });
      const post = async (url: string, body: unknown) => (await fetch(`${chillybin.url}${url}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json() as Promise<{ order: { id: string } }>;
      await post('/restock', { truffle: 3, cheese: 7 });
      const orders = [
        await post('/v2/pick', { customer: 'gita', items: [{ ingredient: 'ham', quantity: 2 }, { ingredient: 'bread', quantity: 1 }] }),
        await post('/v2/pick', { customer: 'gwyn', items: [{ ingredient: 'truffle', quantity: 1 }] }),
      ];
      const stock = await stockOf(chillybin);
      await chillybin.stop();

      const DATABASE_URL = await postgres.createDatabase('moved');
      await (await startService(chillybinMain, { DATABASE_URL, WORKERS: '0' })).stop(); // migrates it
      expect(execFileSync(script, [path], { env: { ...process.env, DATABASE_URL }, encoding: 'utf8' })).toMatch(/copied 8 ingredients, 2 orders and 3 items/);

      chillybin = await startService(chillybinMain, { DATABASE_URL, WORKERS: '0' });
      expect(JSON.stringify(await stockOf(chillybin))).toBe(JSON.stringify(stock)); // the same order of ingredients too
      for (const placed of orders) expect(await (await fetch(`${chillybin.url}/v2/orders/${placed.order.id}`)).json()).toEqual(placed);
      const next = await fetch(`${chillybin.url}/v2/pick`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ customer: 'gita', items: [{ ingredient: 'cheese', quantity: 1 }] }) });
      expect(next.status).toBe(201);
      await chillybin.stop();
    } finally {
      await postgres.stop();
    }
  }, 120_000);
});
