import { stopAllProcesses } from '@toasties/testkit';
import { restock, startStack, stockOf, taken, type Stack } from './services';

// The foxtrot on real processes: jafflr with FLAG_PICK_V2=gita, so gita's toasties go
// through v2 (one atomic order) and everyone else's through the v1 picks.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ FLAG_PICK_V2: 'gita' });
});
beforeEach(() => restock(stack.chillybin));
afterAll(stopAllProcesses);

const toastie = (query: string, method = 'POST') => fetch(`${stack.jafflr.url}/toastie?${query}`, { method });

describe('step 2: pick.v2 switched on for gita only', () => {
  test('a toastie for gita goes through v2: one order, recorded at the chillybin, ingredients and bread taken', async () => {
    const before = await stockOf(stack.chillybin);
    const res = await toastie('i=cheese&i=vegemite&customer=gita');
    expect(res.status).toBe(200);
    const made = (await res.json()) as { api: string; orderId: string };
    // The order's public id: a random UUID, not a count (docs/idempotency.md, "Order ids").
    expect(made).toMatchObject({ api: 'v2', orderId: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/), toastie: { customer: 'gita' } });

    const order = await fetch(`${stack.chillybin.url}/v2/orders/${made.orderId}`);
    expect(order.status).toBe(200);
    expect(await order.json()).toMatchObject({
      order: { id: made.orderId, customer: 'gita', items: [{ ingredient: 'cheese', quantity: 1 }, { ingredient: 'vegemite', quantity: 1 }, { ingredient: 'bread', quantity: 2 }] },
    });
    expect(taken(before, await stockOf(stack.chillybin))).toEqual({ cheese: 1, vegemite: 1, bread: 2 });
  });

  test('a toastie for gwyn goes through v1, with no order', async () => {
    const before = await stockOf(stack.chillybin);
    const res = await toastie('i=cheese&customer=gwyn');
    expect(res.status).toBe(200);
    const made = (await res.json()) as Record<string, unknown>;
    expect(made).toMatchObject({ api: 'v1', toastie: { customer: 'gwyn' } });
    expect(made).not.toHaveProperty('orderId');
    expect(taken(before, await stockOf(stack.chillybin))).toEqual({ cheese: 1, bread: 2 });
  });

  test('the customer can come in a JSON body too', async () => {
    const res = await fetch(`${stack.jafflr.url}/toastie`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ i: ['cheese'], customer: 'gita' }) });
    expect(await res.json()).toMatchObject({ api: 'v2' });
  });

  test('out of stock on v2: 409 naming the ingredient, and nothing at all is taken', async () => {
    await restock(stack.chillybin, { ham: 0 });
    const before = await stockOf(stack.chillybin);
    const res = await toastie('i=cheese&i=ham&customer=gita');
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({ error: 'out_of_stock', message: expect.stringContaining('ham') });
    expect(await stockOf(stack.chillybin)).toEqual(before);
  });

  test('out of stock on v1, by contrast: the cheese picked before the ham is gone', async () => {
    await restock(stack.chillybin, { ham: 0 });
    const before = await stockOf(stack.chillybin);
    const res = await toastie('i=cheese&i=ham&customer=gwyn');
    expect(res.status).toBe(409);
    expect(taken(before, await stockOf(stack.chillybin))).toEqual({ cheese: 1 });
  });

  test('the deprecated GET /toastie and v1 /pick say so, and name their successors', async () => {
    const get = await toastie('i=cheese&customer=gwyn', 'GET');
    expect(get.status).toBe(200);
    expect(get.headers.get('deprecation')).toMatch(/^@\d+$/);
    expect(get.headers.get('sunset')).toMatch(/GMT$/);
    expect(get.headers.get('link')).toBe('</toastie>; rel="successor-version"');
    const pick = await fetch(`${stack.chillybin.url}/pick?name=cheese&quantity=1`, { method: 'POST' });
    expect(pick.headers.get('link')).toBe('</v2/pick>; rel="successor-version"');
  });
});

describe('step 3: pick.v2 on for everyone, then pick.v1 off at the chillybin', () => {
  test('v1 /pick answers 410 Gone JSON with the successor Link; toasties carry on through v2', async () => {
    const step3 = await startStack({ FLAG_PICK_V2: 'on' }, { FLAG_PICK_V1: 'off' });
    const before = await stockOf(step3.chillybin);

    const pick = await fetch(`${step3.chillybin.url}/pick?name=cheese&quantity=1`, { method: 'POST' });
    expect(pick.status).toBe(410);
    expect(await pick.json()).toEqual({ error: 'gone', message: expect.stringContaining('/v2/pick') });
    expect(pick.headers.get('link')).toBe('</v2/pick>; rel="successor-version"');

    const res = await fetch(`${step3.jafflr.url}/toastie?i=cheese&customer=gwyn`, { method: 'POST' });
    expect(await res.json()).toMatchObject({ api: 'v2' });
    expect(taken(before, await stockOf(step3.chillybin))).toEqual({ cheese: 1, bread: 2 });
  });

  test('switched in the wrong order (v1 off while jafflr still uses it): 503, not a false "out of stock"', async () => {
    const wrongOrder = await startStack({}, { FLAG_PICK_V1: 'off' });
    const res = await fetch(`${wrongOrder.jafflr.url}/toastie?i=cheese`, { method: 'POST' });
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ error: 'chillybin_unavailable', message: expect.stringContaining('pick.v2') });
  });
});
