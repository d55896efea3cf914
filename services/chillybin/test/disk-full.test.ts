import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { freshDatabasePath, startService, stopAllProcesses, waitFor } from '@toasties/testkit';

// A full disk, for real but harmless: SQLITE_MAX_PAGE_COUNT=1 makes chillybin's own
// connections refuse to grow the database file at all (SQLite keeps the cap at the current
// size), so a write that needs a new page fails with SQLITE_FULL, "database or disk is
// full": the same error, from the same place, as a disk with no space left. What filled
// the "disk" is ballast the test put in the file first; deleting it is the operator freeing
// space (its pages become free pages that the file can reuse without growing).
const main = join(__dirname, '..', 'dist', 'main.js');
const DATABASE_PATH = freshDatabasePath('full');
const MOST_PICKS = 500;

afterAll(async () => {
  await stopAllProcesses();
  rmSync(dirname(DATABASE_PATH), { recursive: true, force: true });
});

describe('a database that cannot grow (disk full)', () => {
  test('a write answers 507 storage_full and changes nothing; readiness fails until writes succeed again, then recovers by itself', async () => {
    const ballast = new Database(DATABASE_PATH);
    ballast.exec('CREATE TABLE ballast (filler BLOB NOT NULL)');
    const insert = ballast.prepare('INSERT INTO ballast (filler) VALUES (zeroblob(4000))');
    for (let i = 0; i < 20; i++) insert.run();
    ballast.close();
    const chillybin = await startService(main, { DATABASE_PATH, SQLITE_MAX_PAGE_COUNT: '1' });
    const restock = await fetch(`${chillybin.url}/restock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ cheese: 100_000 }) });
    expect(restock.status).toBe(200); // an update in place needs no new page

    // Keyed picks store their answers: the file's free space runs out within a few dozen.
    let picked = 0;
    let refused: Response | undefined;
    while (!refused && picked < MOST_PICKS) {
      const res = await fetch(`${chillybin.url}/v2/pick`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': `"fill-${picked}"` },
        body: JSON.stringify({ customer: 'gita', items: [{ ingredient: 'cheese', quantity: 1 }] }),
      });
      if (res.status === 201) picked++;
      else refused = res;
    }
    expect(refused?.status).toBe(507);
    expect(refused?.headers.get('retry-after')).toMatch(/^[1-9][0-9]*$/);
    expect(await refused?.json()).toEqual({ error: 'storage_full', message: expect.stringMatching(/database or disk is full/) });

    // Nothing half-done: the refused pick took no cheese and left no order.
    expect(((await (await fetch(`${chillybin.url}/`)).json()) as Record<string, number>).cheese).toBe(100_000 - picked);
    const look = new Database(DATABASE_PATH, { readonly: true });
    expect(look.prepare('SELECT count(*) FROM orders').pluck().get()).toBe(picked);
    look.close();

    expect((await fetch(`${chillybin.url}/health`)).status).toBe(200);
    const ready = await fetch(`${chillybin.url}/health/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ error: 'not_ready', checks: { writes: { ok: false, error: expect.stringMatching(/full/) } } });

    // The operator frees space.
    const operator = new Database(DATABASE_PATH);
    operator.exec('DELETE FROM ballast');
    operator.close();

    // No pick is needed to notice: readiness' own probe write succeeds again.
    await waitFor(async () => (await fetch(`${chillybin.url}/health/ready`)).status === 200, { what: 'ready again', timeoutMs: 30_000 });
    const again = await fetch(`${chillybin.url}/v2/pick`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ customer: 'gita', items: [{ ingredient: 'cheese', quantity: 1 }] }),
    });
    expect(again.status).toBe(201);
    await chillybin.stop();
  });
});
