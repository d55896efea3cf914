import { createFaultProxy, freshDatabasePath, startService, stopAllProcesses, type Fault, type FaultProxy, type RunningService } from '@toasties/testkit';
import { chillybinMain, jafflrMain, orderCount, restock, stockOf, taken } from './services';

// A real TCP proxy between jafflr and chillybin injects each fault. gita's toasties go
// through v2 (FLAG_PICK_V2=gita: one keyed, retried, all-or-nothing order); everyone
// else's through v1 (one pick per ingredient, never retried).
// Generous for a loopback pick on a busy machine; only the delay cases wait it out.
const CHILLYBIN_TIMEOUT_MS = 3000;
// Held far longer than any test runs: an answer can then only come from jafflr's deadline,
// however slow the machine (no elapsed time is asserted).
const HELD_FOR_GOOD_MS = 10 * 60_000;

let chillybin: RunningService;
let jafflr: RunningService;
let proxy: FaultProxy;
let DATABASE_PATH: string;

beforeAll(async () => {
  DATABASE_PATH = freshDatabasePath('faults');
  chillybin = await startService(chillybinMain, { DATABASE_PATH });
  proxy = await createFaultProxy({ host: '127.0.0.1', port: chillybin.port });
  jafflr = await startService(jafflrMain, { CHILLYBIN_URL: proxy.url, CHILLYBIN_TIMEOUT_MS: String(CHILLYBIN_TIMEOUT_MS), COOK_TIME_SCALE: '0', FLAG_PICK_V2: 'gita' });
});
afterAll(async () => {
  await proxy.close();
  await stopAllProcesses();
});


/** One cheese toastie for `customer` with the proxy doing `fault`: the answer and what it took. */
async function toastieThrough(fault: Fault, customer: string) {
  await restock(chillybin);
  const before = { stock: await stockOf(chillybin), orders: orderCount(DATABASE_PATH), connections: proxy.connections };
  proxy.set(fault);
  const res = await fetch(`${jafflr.url}/toastie?i=cheese&customer=${customer}`, { method: 'POST' });
  const body = (await res.json()) as { error?: string };
  const connections = proxy.connections - before.connections;
  proxy.set({ mode: 'pass' }); // drops every socket: nothing held back can arrive later
  return { status: res.status, body, retryAfter: res.headers.get('retry-after'), connections, taken: taken(before.stock, await stockOf(chillybin)), newOrders: orderCount(DATABASE_PATH) - before.orders };
}

const ONE_TOASTIE = { cheese: 1, bread: 2 };

describe('faults between jafflr and chillybin', () => {
  test.each<[string, number, string, Fault]>([
    ['refused', 503, 'chillybin_unavailable', { mode: 'refuse' }],
    ['answered 503 by the proxy', 503, 'chillybin_unavailable', { mode: 'error', status: 503 }],
    ['answered 502 by the proxy', 503, 'chillybin_unavailable', { mode: 'error', status: 502 }],
    ['delayed past the timeout', 504, 'chillybin_timeout', { mode: 'delay', delayMs: HELD_FOR_GOOD_MS }],
  ])('v1, %s: %i %s, one attempt only, and nothing taken', async (_case, status, error, fault) => {
    const result = await toastieThrough(fault, 'gwyn');
    expect(result).toMatchObject({ status, body: { error, message: expect.any(String) }, taken: {}, newOrders: 0 });
    expect(result.connections).toBe(1);
  });

  test.each<[string, number, string, Fault]>([
    ['refused', 503, 'chillybin_unavailable', { mode: 'refuse' }],
    ['answered 503 by the proxy', 503, 'chillybin_unavailable', { mode: 'error', status: 503 }],
    ['delayed past the timeout', 504, 'chillybin_timeout', { mode: 'delay', delayMs: HELD_FOR_GOOD_MS }],
  ])('v2, %s: retried while the deadline allows, then %i %s, and nothing taken', async (_case, status, error, fault) => {
    const result = await toastieThrough(fault, 'gita');
    expect(result).toMatchObject({ status, body: { error, message: expect.any(String) }, taken: {}, newOrders: 0 });
    if (fault.mode !== 'delay') expect(result.connections).toBeGreaterThan(1); // a delay uses up the deadline in one attempt
  });

  test('a 503 tells the client when to try again', async () => {
    expect((await toastieThrough({ mode: 'refuse' }, 'gwyn')).retryAfter).toBe('1');
  });

  test('v1, reset mid-response: 503, and the cheese picked before the failure is gone with no toastie (what v1 loses)', async () => {
    const result = await toastieThrough({ mode: 'reset' }, 'gwyn');
    expect(result).toMatchObject({ status: 503, body: { error: 'chillybin_unavailable' }, connections: 1, newOrders: 0 });
    // The pick reached chillybin and was taken; its answer was lost, so jafflr stopped there:
    // no bread was picked and no toastie made, but the cheese is not coming back.
    expect(result.taken).toEqual({ cheese: 1 });
  });

  test('v2, reset mid-response on every attempt: 503, yet exactly one whole toastie taken and one order, never a part, never twice', async () => {
    const result = await toastieThrough({ mode: 'reset' }, 'gita');
    expect(result).toMatchObject({ status: 503, body: { error: 'chillybin_unavailable' }, newOrders: 1 });
    expect(result.connections).toBeGreaterThan(1); // the retries replayed the stored order
    expect(result.taken).toEqual(ONE_TOASTIE);
  });

  test('with the fault gone, both paths make toasties again', async () => {
    for (const customer of ['gita', 'gwyn']) {
      const result = await toastieThrough({ mode: 'pass' }, customer);
      expect(result).toMatchObject({ status: 200, taken: ONE_TOASTIE });
    }
  });
});
