import { renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { freshDatabasePath, startService, type RunningService } from '@toasties/testkit';

/**
 * A database file that is no longer the one at its path stops writes. With the WAL deleted,
 * SQLite keeps writing into the unlinked file: every write looks committed and is gone at the
 * next start. With the database renamed away, the connection writes into a file nobody will
 * open at DATABASE_PATH. Either way chillybin must stop acknowledging: readiness fails naming
 * the file, and writes answer 503 database_unavailable (true: the check comes before BEGIN).
 */
const main = join(__dirname, '..', 'dist', 'main.js');

describe('the database file replaced under a running chillybin', () => {
  let chillybin: RunningService | undefined;
  afterEach(async () => {
    await chillybin?.stop();
    chillybin = undefined;
  });

  test.each([
    ['its WAL is deleted', (path: string) => rmSync(`${path}-wal`), '-wal was deleted'],
    ['the database is renamed away', (path: string) => renameSync(path, `${path}.moved`), ' was deleted'],
  ])('when %s: readiness fails naming the file, and writes answer 503 database_unavailable', async (_case, replace, why) => {
    const path = freshDatabasePath('replaced');
    chillybin = await startService(main, { DATABASE_PATH: path });
    const pick = () => fetch(`${chillybin!.url}/pick?name=cheese&quantity=1`, { method: 'POST' });
    expect((await pick()).status).toBe(200);

    replace(path);

    const res = await pick();
    expect([res.status, ((await res.json()) as { error: string }).error]).toEqual([503, 'database_unavailable']);
    const order = await fetch(`${chillybin.url}/v2/pick`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ customer: 'gita', items: [{ ingredient: 'ham', quantity: 1 }] }) });
    expect(order.status).toBe(503);
    const ready = await fetch(`${chillybin.url}/health/ready`);
    const body = (await ready.json()) as { checks: Record<string, { ok: boolean; error?: string }> };
    expect(ready.status).toBe(503);
    expect(body.checks.database!.error).toContain(`${basename(path)}${why}`);
    expect(body.checks.database!.error).toContain(dirname(path));
  });
});
