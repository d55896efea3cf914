import { freshDatabasePath, reloadService, startService, stopAllProcesses, type RunningService } from '@toasties/testkit';
import { describeBackends, PATIENT_WAITS, type ChillybinDatabase } from './backends';
import { chillybinMain, jafflrMain, orderCount, restock, startStack, stockOf, taken, type Stack } from './services';

// A customer's Idempotency-Key on POST /toastie: jafflr derives the chillybin's key from it, so
// a retried toastie, on any jafflr process, replays the chillybin's order and takes nothing again.
// jafflr with FLAG_PICK_V2=gita: gita is on v2, gwyn on v1.
let stack: Stack;
const databasePath = freshDatabasePath('e2e-keyed');
beforeAll(async () => {
  stack = await startStack({ FLAG_PICK_V2: 'gita' }, { DATABASE_PATH: databasePath });
});
beforeEach(() => restock(stack.chillybin));
afterAll(stopAllProcesses);

let keys = 0;
const freshKey = () => `toastie-${process.pid}-${++keys}`;

interface Answer {
  readonly status: number;
  readonly replayed: string | null;
  readonly body: { api?: string; orderId?: string; error?: string };
}

async function keyedToastie(url: string, key: string, query = 'i=cheese&i=vegemite&customer=gita'): Promise<Answer> {
  const res = await fetch(`${url}/toastie?${query}`, { method: 'POST', headers: { 'Idempotency-Key': `"${key}"` } });
  return { status: res.status, replayed: res.headers.get('idempotent-replayed'), body: (await res.json()) as Answer['body'] };
}

/** What a request could change: the chillybin's stock and the orders it recorded, and the toasties jafflr made. */
const stateNow = async () => ({
  stock: await stockOf(stack.chillybin),
  orders: orderCount(databasePath),
  made: ((await (await fetch(`${stack.jafflr.url}/`)).json()) as { made: number }).made,
});

describe('POST /toastie with an Idempotency-Key', () => {
  test('sent twice: one order, the stock taken once, the second answer the first again with Idempotent-Replayed: true', async () => {
    const before = await stateNow();
    const key = freshKey();
    const first = await keyedToastie(stack.jafflr.url, key);
    const again = await keyedToastie(stack.jafflr.url, key);
    expect(first).toMatchObject({ status: 200, replayed: null, body: { api: 'v2', orderId: expect.any(String) } });
    expect(again).toEqual({ ...first, replayed: 'true' });
    const after = await stateNow();
    expect(taken(before.stock, after.stock)).toEqual({ cheese: 1, vegemite: 1, bread: 2 });
    expect(after.orders).toBe(before.orders + 1);
    expect(after.made).toBe(before.made + 1); // a replay is not another toastie
  });

  test('sent 20 times at once: every answer names the one order, the stock is taken once', async () => {
    const before = await stateNow();
    const key = freshKey();
    const answers = await Promise.all(Array.from({ length: 20 }, () => keyedToastie(stack.jafflr.url, key)));
    expect(answers.map((answer) => answer.status)).toEqual(Array<number>(20).fill(200));
    expect(new Set(answers.map((answer) => answer.body.orderId)).size).toBe(1);
    expect(answers.filter((answer) => answer.replayed === 'true')).toHaveLength(19);
    const after = await stateNow();
    expect(taken(before.stock, after.stock)).toEqual({ cheese: 1, vegemite: 1, bread: 2 });
    expect(after.orders).toBe(before.orders + 1);
  });

  test('retried after jafflr reloads (new workers), and at another jafflr replica: replayed, the stock taken once', async () => {
    const before = await stateNow();
    const key = freshKey();
    const first = await keyedToastie(stack.jafflr.url, key);
    await reloadService(stack.jafflr);
    const afterReload = await keyedToastie(stack.jafflr.url, key);
    const replica = await startService(jafflrMain, { CHILLYBIN_URL: stack.chillybin.url, COOK_TIME_SCALE: '0', FLAG_PICK_V2: 'gita' });
    const atReplica = await keyedToastie(replica.url, key);
    expect(first.status).toBe(200);
    expect(afterReload).toEqual({ ...first, replayed: 'true' });
    expect(atReplica).toEqual({ ...first, replayed: 'true' });
    const after = await stateNow();
    expect(taken(before.stock, after.stock)).toEqual({ cheese: 1, vegemite: 1, bread: 2 });
    expect(after.orders).toBe(before.orders + 1);
  });

  test('the same key with another toastie: 422 idempotency_key_reused, and nothing is taken', async () => {
    const key = freshKey();
    expect((await keyedToastie(stack.jafflr.url, key)).status).toBe(200);
    const before = await stateNow();
    const other = await keyedToastie(stack.jafflr.url, key, 'i=cheese&i=ham&customer=gita');
    expect(other).toEqual({ status: 422, replayed: null, body: { error: 'idempotency_key_reused', message: expect.stringContaining('different toastie') } });
    expect(await stateNow()).toEqual(before);
  });

  test('the same key from two customers: two toasties, each taken once', async () => {
    const before = await stateNow();
    const key = freshKey();
    const gita = await keyedToastie(stack.jafflr.url, key, 'i=cheese&customer=gita');
    const gwyn = await keyedToastie(stack.jafflr.url, key, 'i=cheese&customer=gwyn');
    expect([gita.status, gwyn.status, gita.replayed, gwyn.replayed]).toEqual([200, 200, null, null]);
    expect(gita.body.orderId).not.toBe(gwyn.body.orderId);
    const after = await stateNow();
    expect(taken(before.stock, after.stock)).toEqual({ cheese: 2, bread: 4 });
    expect(after.orders).toBe(before.orders + 2);
  });

  test('for a customer still on v1 (gwyn): the keyed toastie goes through v2, so its retry is replayed too', async () => {
    const before = await stateNow();
    const key = freshKey();
    const first = await keyedToastie(stack.jafflr.url, key, 'i=cheese&customer=gwyn');
    const again = await keyedToastie(stack.jafflr.url, key, 'i=cheese&customer=gwyn');
    expect(first).toMatchObject({ status: 200, body: { api: 'v2' } });
    expect(again).toEqual({ ...first, replayed: 'true' });
    expect(taken(before.stock, (await stateNow()).stock)).toEqual({ cheese: 1, bread: 2 });
  });

  test.each([
    ['blank', ''],
    ['with a space', 'two words'],
    ['longer than 255 characters', 'k'.repeat(256)],
  ])('a key %s: 400 invalid_idempotency_key, and nothing is taken', async (_case, header) => {
    const before = await stateNow();
    const res = await fetch(`${stack.jafflr.url}/toastie?i=cheese&customer=gita`, { method: 'POST', headers: { 'Idempotency-Key': header } });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'invalid_idempotency_key', message: expect.stringContaining('Idempotency-Key') });
    expect(await stateNow()).toEqual(before);
  });

  test('without the header, as before: each toastie is a toastie, a second one takes the stock again', async () => {
    const before = await stateNow();
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${stack.jafflr.url}/toastie?i=cheese&customer=gita`, { method: 'POST' });
      expect([res.status, res.headers.get('idempotent-replayed')]).toEqual([200, null]);
    }
    expect(taken(before.stock, (await stateNow()).stock)).toEqual({ cheese: 2, bread: 4 });
  });
});

// The chillybin's pick holds the customer and the items, not the doneness: jafflr sends its own
// fingerprint of the toastie with it, and the chillybin binds the key to that too.
describeBackends('a keyed toastie retried with only its doneness changed', (freshDatabase) => {
  let database: ChillybinDatabase;
  let chillybin: RunningService;
  let jafflr: RunningService;
  beforeAll(async () => {
    database = await freshDatabase('e2e-keyed-doneness');
    chillybin = await startService(chillybinMain, { ...database.env, ...PATIENT_WAITS });
    jafflr = await startService(jafflrMain, { CHILLYBIN_URL: chillybin.url, COOK_TIME_SCALE: '0', CHILLYBIN_TIMEOUT_MS: PATIENT_WAITS.CHILLYBIN_TIMEOUT_MS });
  });
  beforeEach(() => restock(chillybin));

  const state = async () => ({
    stock: await stockOf(chillybin),
    orders: Number((await database.rows<{ n: number | string }>('SELECT count(*) AS n FROM orders'))[0]!.n),
    made: ((await (await fetch(`${jafflr.url}/`)).json()) as { made: number }).made,
  });
  const send = async (key: string, toastie: object): Promise<Answer> => {
    const res = await fetch(`${jafflr.url}/toastie`, { method: 'POST', headers: { 'Idempotency-Key': `"${key}"`, 'content-type': 'application/json' }, body: JSON.stringify(toastie) });
    return { status: res.status, replayed: res.headers.get('idempotent-replayed'), body: (await res.json()) as Answer['body'] };
  };

  test('another doneness: 422 idempotency_key_reused; nothing taken, recorded or cooked', async () => {
    const key = freshKey();
    expect((await send(key, { i: ['cheese', 'ham'], doneness: 'light', customer: 'gita' })).status).toBe(200);
    const before = await state();
    const burnt = await send(key, { i: ['cheese', 'ham'], doneness: 'burnt', customer: 'gita' });
    expect(burnt).toEqual({ status: 422, replayed: null, body: { error: 'idempotency_key_reused', message: expect.stringContaining('different toastie') } });
    expect(await state()).toEqual(before);
  });

  test('the same toastie, asked another way (ingredients for i, the default doneness by name): replayed, the stock taken once', async () => {
    const before = await state();
    const key = freshKey();
    const first = await send(key, { i: ['cheese', 'ham'], customer: 'gita' });
    const again = await send(key, { ingredients: ['cheese', 'ham'], doneness: 'medium', customer: 'gita' });
    expect(first).toMatchObject({ status: 200, replayed: null, body: { api: 'v2', orderId: expect.any(String) } });
    expect(again).toEqual({ ...first, replayed: 'true' });
    const after = await state();
    expect(taken(before.stock, after.stock)).toEqual({ cheese: 1, ham: 1, bread: 2 });
    expect([after.orders, after.made]).toEqual([before.orders + 1, before.made + 1]);
  });
});
