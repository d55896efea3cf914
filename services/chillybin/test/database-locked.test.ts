import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { freshDatabasePath, startService, stopAllProcesses, waitFor, type RunningService } from '@toasties/testkit';

// Another process holds SQLite's write lock (a second connection here, in the test
// process, with BEGIN EXCLUSIVE). chillybin must keep its event loop free while a write
// waits for the lock, and answer 503 + Retry-After when the wait is over: never a 500.
// Nothing here measures time: what proves the event loop is free is the order of events.
const main = join(__dirname, '..', 'dist', 'main.js');
const DATABASE_PATH = freshDatabasePath('locked');
const toastie = { customer: 'gita', items: [{ ingredient: 'cheese', quantity: 1 }, { ingredient: 'bread', quantity: 2 }] };

afterAll(async () => {
  await stopAllProcesses();
  rmSync(dirname(DATABASE_PATH), { recursive: true, force: true });
});

const pickV1 = (service: RunningService) => fetch(`${service.url}/pick?name=cheese&quantity=1`, { method: 'POST' });
const pickV2 = (service: RunningService, key?: string) =>
  fetch(`${service.url}/v2/pick`, { method: 'POST', headers: { 'content-type': 'application/json', ...(key ? { 'idempotency-key': `"${key}"` } : {}) }, body: JSON.stringify(toastie) });
const stockOf = async (service: RunningService) => (await (await fetch(`${service.url}/`)).json()) as Record<string, number>;

/** BEGIN EXCLUSIVE from a connection of our own: the lock another process would hold. */
function holdWriteLock(): { release(): void } {
  const other = new Database(DATABASE_PATH);
  other.exec('BEGIN EXCLUSIVE');
  return {
    release() {
      if (!other.open) return;
      other.exec('COMMIT');
      other.close();
    },
  };
}

describe('a write while another process holds the database lock', () => {
  test('waits without blocking the event loop: liveness and reads answer meanwhile, and the write goes through once the lock is released', async () => {
    // A long lock wait, so the pick is still waiting whatever the machine's speed.
    const chillybin = await startService(main, { DATABASE_PATH, SQLITE_LOCK_WAIT_MS: '60000', CHILLYBIN_TIMEOUT_MS: '60020' });
    const events: string[] = [];
    const lock = holdWriteLock();
    try {
      const waitingForLock = chillybin.waitForNextLine(/database busy/, 30_000);
      const pick = pickV1(chillybin).then((res) => {
        events.push(`pick answered ${res.status}`);
        return res;
      });
      // The worker says it hit the lock and waits (or, before the fix, the pick fails first).
      await Promise.race([waitingForLock, pick]);
      expect(events).toEqual([]);

      const live = await fetch(`${chillybin.url}/health`);
      events.push(`liveness answered ${live.status}`);
      const levels = await stockOf(chillybin);
      events.push(`stock read: cheese ${levels.cheese}`);
      lock.release();
      events.push('lock released');
      const res = await pick;
      expect(await res.text()).toBe('ok');
      expect(events).toEqual(['liveness answered 200', 'stock read: cheese 10', 'lock released', 'pick answered 200']);
      expect((await stockOf(chillybin)).cheese).toBe(9);
    } finally {
      lock.release();
      await chillybin.stop();
    }
  });

  test('v1 and v2 picks answer 503 database_busy with Retry-After, nothing is taken, and picks work again once it is released', async () => {
    const chillybin = await startService(main, { DATABASE_PATH });
    const before = await stockOf(chillybin);
    const events: string[] = [];
    const lock = holdWriteLock();
    try {
      const [v1, v2, keyed] = await Promise.all([pickV1(chillybin), pickV2(chillybin), pickV2(chillybin, 'locked-1')]);
      for (const res of [v1, v2, keyed]) {
        expect(res.status).toBe(503);
        expect(res.headers.get('retry-after')).toMatch(/^[1-9][0-9]*$/);
        expect(await res.json()).toEqual({ error: 'database_busy', message: expect.stringMatching(/locked by another process/) });
      }
      events.push('picks answered 503');
      const live = await fetch(`${chillybin.url}/health`);
      events.push(`liveness answered ${live.status}`);
      // A worker that cannot write says so: readiness fails while the lock is held.
      const ready = await fetch(`${chillybin.url}/health/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ error: 'not_ready', checks: { writes: { ok: false } } });
      lock.release();
      events.push('lock released');
      expect(events).toEqual(['picks answered 503', 'liveness answered 200', 'lock released']);

      expect(await stockOf(chillybin)).toEqual(before);
      // Readiness comes back by itself: its probe write succeeds once the lock is gone.
      await waitFor(async () => (await fetch(`${chillybin.url}/health/ready`)).status === 200, { what: 'ready again', timeoutMs: 30_000 });
      expect((await pickV1(chillybin)).status).toBe(200);
      // The same key as the refused pick: it stored nothing, so it runs now.
      const retried = await pickV2(chillybin, 'locked-1');
      expect(retried.status).toBe(201);
      expect(retried.headers.get('idempotent-replayed')).toBeNull();
      expect(await stockOf(chillybin)).toMatchObject({ cheese: before.cheese! - 2, bread: before.bread! - 2 });
    } finally {
      lock.release();
      await chillybin.stop();
    }
  });
});
