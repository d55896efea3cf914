import request from 'supertest';
import { DEFAULT_STOCK } from '../src/app';
import { ORDER_ID } from '../src/pick';
import { describeBackends } from './build';

describeBackends('chillybin API v2', (build) => {
  const toastie = { customer: 'gita', items: [{ ingredient: 'cheese', quantity: 1 }, { ingredient: 'bread', quantity: 2 }] };

  describe('POST /v2/pick', () => {
    test('takes every item, records the order and answers 201 with it and its Location', async () => {
      const { app, stock, orderCount } = await build();
      const res = await request(app).post('/v2/pick').send(toastie);
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ order: { id: expect.stringMatching(ORDER_ID), customer: 'gita', items: toastie.items, createdAt: expect.any(String) } });
      expect(res.headers.location).toBe(`/v2/orders/${res.body.order.id}`);
      expect(res.headers.deprecation).toBeUndefined();
      expect((await stock.levels())).toEqual({ ...DEFAULT_STOCK, cheese: 9, bread: 8 });
      expect((await orderCount())).toBe(1);
    });

    test('when one item is short: 409 out_of_stock naming it, and nothing is taken or recorded', async () => {
      const { app, stock, orderCount } = await build();
      await stock.restock({ ham: 0 });
      const before = (await stock.levels());
      const res = await request(app).post('/v2/pick').send({ customer: 'gita', items: [...toastie.items, { ingredient: 'ham', quantity: 1 }] });
      expect(res.status).toBe(409);
      expect(res.body).toEqual({ error: 'out_of_stock', message: 'not enough ham: 1 wanted, 0 left', ingredient: 'ham' });
      expect((await stock.levels())).toEqual(before);
      expect((await orderCount())).toBe(0);
    });

    test('when several items are short, the first of them as asked is named (not the first by name)', async () => {
      const { app } = await build();
      const res = await request(app).post('/v2/pick').send({ customer: 'gita', items: [{ ingredient: 'tomato', quantity: 20 }, { ingredient: 'cheese', quantity: 20 }] });
      expect(res.status).toBe(409);
      expect(res.body).toEqual({ error: 'out_of_stock', message: 'not enough tomato: 20 wanted, 10 left', ingredient: 'tomato' });
    });

    const item = (ingredient: unknown, quantity: unknown) => ({ ingredient, quantity });
    test.each<[string, string | undefined, number, string]>([
      ['malformed JSON', '{"customer": "gita", "items": [', 400, 'invalid_json'],
      ['no body at all', undefined, 400, 'invalid_pick'],
      ['null', 'null', 400, 'invalid_json'],
      ['a bare string', '"cheese"', 400, 'invalid_json'],
      ['an array', JSON.stringify([toastie]), 400, 'invalid_pick'],
      ['empty items', JSON.stringify({ customer: 'gita', items: [] }), 400, 'invalid_pick'],
      ['no items', JSON.stringify({ customer: 'gita' }), 400, 'invalid_pick'],
      ['items as an object', JSON.stringify({ customer: 'gita', items: { cheese: 1 } }), 400, 'invalid_pick'],
      ['a negative quantity', JSON.stringify({ customer: 'gita', items: [item('cheese', -1)] }), 400, 'invalid_pick'],
      ['a zero quantity', JSON.stringify({ customer: 'gita', items: [item('cheese', 0)] }), 400, 'invalid_pick'],
      ['a string quantity', JSON.stringify({ customer: 'gita', items: [item('cheese', '1')] }), 400, 'invalid_pick'],
      ['a fractional quantity', JSON.stringify({ customer: 'gita', items: [item('cheese', 1.5)] }), 400, 'invalid_pick'],
      ['a quantity over 1000', JSON.stringify({ customer: 'gita', items: [item('cheese', 1001)] }), 400, 'invalid_pick'],
      ['an infinite quantity', '{"customer": "gita", "items": [{"ingredient": "cheese", "quantity": 1e999}]}', 400, 'invalid_pick'],
      ['a null quantity', JSON.stringify({ customer: 'gita', items: [item('cheese', null)] }), 400, 'invalid_pick'],
      ['an object as the ingredient', JSON.stringify({ customer: 'gita', items: [item({ name: 'cheese' }, 1)] }), 400, 'invalid_pick'],
      ['an array as the ingredient', JSON.stringify({ customer: 'gita', items: [item(['cheese'], 1)] }), 400, 'invalid_pick'],
      ['an SQL-looking ingredient', JSON.stringify({ customer: 'gita', items: [item("cheese'; DROP TABLE orders;--", 1)] }), 400, 'invalid_pick'],
      ['an unknown ingredient', JSON.stringify({ customer: 'gita', items: [item('cheese', 1), item('caviar', 1)] }), 400, 'unknown_ingredient'],
      ['the same ingredient twice', JSON.stringify({ customer: 'gita', items: [item('cheese', 1), item('cheese', 1)] }), 400, 'invalid_pick'],
      ['21 items', JSON.stringify({ customer: 'gita', items: Array.from({ length: 21 }, (_, i) => item(`thing-${String.fromCharCode(97 + i)}`, 1)) }), 400, 'invalid_pick'],
      ['no customer', JSON.stringify({ items: [item('cheese', 1)] }), 400, 'invalid_pick'],
      ['an empty customer', JSON.stringify({ customer: '', items: [item('cheese', 1)] }), 400, 'invalid_pick'],
      ['a 65-character customer', JSON.stringify({ customer: 'g'.repeat(65), items: [item('cheese', 1)] }), 400, 'invalid_pick'],
      ['an object as the customer', JSON.stringify({ customer: { name: 'gita' }, items: [item('cheese', 1)] }), 400, 'invalid_pick'],
      ['an array as the customer', JSON.stringify({ customer: ['gita'], items: [item('cheese', 1)] }), 400, 'invalid_pick'],
      ['a null customer', JSON.stringify({ customer: null, items: [item('cheese', 1)] }), 400, 'invalid_pick'],
      ['an unknown top-level field', JSON.stringify({ ...toastie, priority: 'high' }), 400, 'invalid_pick'],
      ['an unknown field in an item (a typo)', JSON.stringify({ customer: 'gita', items: [{ ingredient: 'cheese', quantitiy: 1 }] }), 400, 'invalid_pick'],
      ['a null item', JSON.stringify({ customer: 'gita', items: [null] }), 400, 'invalid_pick'],
      ['an empty requestFingerprint', JSON.stringify({ ...toastie, requestFingerprint: '' }), 400, 'invalid_pick'],
      ['a 129-character requestFingerprint', JSON.stringify({ ...toastie, requestFingerprint: 'f'.repeat(129) }), 400, 'invalid_pick'],
      ['a requestFingerprint with a space', JSON.stringify({ ...toastie, requestFingerprint: 'sha256 abc' }), 400, 'invalid_pick'],
      ['a number as the requestFingerprint', JSON.stringify({ ...toastie, requestFingerprint: 42 }), 400, 'invalid_pick'],
    ])('%s: %i %s JSON, and nothing is taken or recorded', async (_case, body, status, code) => {
      const { app, stock, orderCount } = await build();
      const req = request(app).post('/v2/pick').set('content-type', 'application/json');
      const res = await (body === undefined ? req : req.send(body));
      expect(res.status).toBe(status);
      // An unknown ingredient is named, as out_of_stock names the short one.
      expect(res.body).toEqual({ error: code, message: expect.any(String), ...(code === 'unknown_ingredient' && { ingredient: 'caviar' }) });
      expect((await stock.levels())).toEqual(DEFAULT_STOCK);
      expect((await orderCount())).toBe(0);
    });

    test('a bad-body message names the field that is wrong', async () => {
      const { app } = await build();
      const res = await request(app).post('/v2/pick').send({ customer: 'gita', items: [{ ingredient: 'cheese', quantity: -1 }] });
      expect(res.body.message).toBe('items.0.quantity: quantity must be a whole number from 1 to 1000');
      const extra = await request(app).post('/v2/pick').send({ ...toastie, priority: 'high' });
      expect(extra.body.message).toBe('unknown field "priority"');
    });

    test('a form-encoded body is 415, and other verbs 405', async () => {
      const { app, stock } = await build();
      expect((await request(app).post('/v2/pick').type('form').send('customer=gita')).status).toBe(415);
      const res = await request(app).get('/v2/pick');
      expect(res.status).toBe(405);
      expect(res.headers.allow).toBe('POST');
      expect((await stock.levels())).toEqual(DEFAULT_STOCK);
    });
  });

  describe('POST /v2/pick with an Idempotency-Key', () => {
    test.each(['"toastie-42"', 'toastie-42'])('a retry with the same key (%s) and body gets the first answer and picks nothing more', async (header) => {
      const { app, stock, orderCount } = await build();
      const first = await request(app).post('/v2/pick').set('Idempotency-Key', '"toastie-42"').send(toastie);
      const retry = await request(app).post('/v2/pick').set('Idempotency-Key', header).send(toastie);
      expect(first.status).toBe(201);
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      expect(retry.status).toBe(201);
      expect(retry.body).toEqual(first.body);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(retry.headers.location).toBe(first.headers.location);
      expect((await stock.levels())).toEqual({ ...DEFAULT_STOCK, cheese: 9, bread: 8 });
      expect((await orderCount())).toBe(1);
    });

    test('a retry of an out-of-stock pick gets the same 409, even after a restock', async () => {
      const { app, stock, orderCount } = await build();
      await stock.restock({ cheese: 0 });
      const first = await request(app).post('/v2/pick').set('Idempotency-Key', 'k').send(toastie);
      await stock.restock({ cheese: 10 });
      const retry = await request(app).post('/v2/pick').set('Idempotency-Key', 'k').send(toastie);
      expect([first.status, retry.status]).toEqual([409, 409]);
      expect(retry.body).toEqual(first.body);
      expect((await stock.levels()).cheese).toBe(10);
      expect((await orderCount())).toBe(0);
    });

    test('the same key with another body is 422, and nothing more is picked', async () => {
      const { app, stock } = await build();
      await request(app).post('/v2/pick').set('Idempotency-Key', 'k').send(toastie);
      const res = await request(app).post('/v2/pick').set('Idempotency-Key', 'k').send({ ...toastie, items: [{ ingredient: 'cheese', quantity: 5 }] });
      expect(res.status).toBe(422);
      expect(res.body).toEqual({ error: 'idempotency_key_reused', message: expect.any(String) });
      expect((await stock.levels())).toEqual({ ...DEFAULT_STOCK, cheese: 9, bread: 8 });
    });

    test('the same body in another field order is the same request', async () => {
      const { app, orderCount } = await build();
      await request(app).post('/v2/pick').set('Idempotency-Key', 'k').send(toastie);
      const reordered = { items: toastie.items.map(({ quantity, ingredient }) => ({ quantity, ingredient })), customer: 'gita' };
      const res = await request(app).post('/v2/pick').set('Idempotency-Key', 'k').send(reordered);
      expect(res.status).toBe(201);
      expect(res.headers['idempotent-replayed']).toBe('true');
      expect((await orderCount())).toBe(1);
    });

    // A caller's own fingerprint of its request (jafflr's covers the doneness, which the pick
    // does not hold): the key is bound to it too. A key recorded without one (by an older
    // caller or release) is bound to the customer and items alone, as it was.
    test.each([
      ['the same requestFingerprint', 'sha256:a', 'sha256:a', 201],
      ['another requestFingerprint', 'sha256:a', 'sha256:b', 422],
      ['none, where the first had one', 'sha256:a', undefined, 422],
      ['one, where the first had none (a key recorded before the field)', undefined, 'sha256:a', 201],
    ])('a retry with %s: %i, and the stock is taken once', async (_case, first, retry, status) => {
      const { app, stock, orderCount } = await build();
      const send = (requestFingerprint?: string) => request(app).post('/v2/pick').set('Idempotency-Key', 'k').send({ ...toastie, ...(requestFingerprint && { requestFingerprint }) });
      const placed = await send(first);
      const again = await send(retry);
      expect(placed.status).toBe(201);
      expect(placed.body.order).not.toHaveProperty('requestFingerprint');
      if (status === 201) expect([again.status, again.headers['idempotent-replayed'], again.body]).toEqual([201, 'true', placed.body]);
      else expect([again.status, again.body]).toEqual([422, { error: 'idempotency_key_reused', message: expect.any(String) }]);
      expect((await stock.levels())).toEqual({ ...DEFAULT_STOCK, cheese: 9, bread: 8 });
      expect((await orderCount())).toBe(1);
    });

    test('a malformed key is 400, and nothing is picked', async () => {
      const { app, stock, orderCount } = await build();
      const res = await request(app).post('/v2/pick').set('Idempotency-Key', '"unterminated').send(toastie);
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid_idempotency_key');
      expect((await stock.levels())).toEqual(DEFAULT_STOCK);
      expect((await orderCount())).toBe(0);
    });

    test('an unknown ingredient is answered before a short item, a malformed or reused key; no key remembers it', async () => {
      const { app, stock, orderCount } = await build();
      const pick = (body: object, key?: string) => (key === undefined ? request(app).post('/v2/pick') : request(app).post('/v2/pick').set('Idempotency-Key', key)).send(body);
      const unknownAnswer = { error: 'unknown_ingredient', message: 'the chillybin has no caviar', ingredient: 'caviar' };
      await stock.restock({ ham: 0 });
      const shortThenUnknown = { customer: 'gita', items: [{ ingredient: 'ham', quantity: 1 }, { ingredient: 'caviar', quantity: 1 }] };
      expect((await pick(toastie, 'used')).status).toBe(201);
      for (const key of [undefined, 'fresh', '"unterminated', 'used']) {
        const res = await pick(shortThenUnknown, key);
        expect([key, res.status, res.body]).toEqual([key, 400, unknownAnswer]);
      }
      const caviar = { customer: 'gita', items: [{ ingredient: 'caviar', quantity: 1 }] };
      expect((await pick(caviar, 'caviar-1')).status).toBe(400);
      await stock.restock({ caviar: 5 });
      const later = await pick(caviar, 'caviar-1');
      expect([later.status, later.headers['idempotent-replayed']]).toEqual([201, undefined]);
      expect((await stock.levels())).toEqual({ ...DEFAULT_STOCK, cheese: 9, bread: 8, ham: 0, caviar: 4 });
      expect((await orderCount())).toBe(2);
    });
  });

  describe('GET /v2/orders/:id', () => {
    test('answers an order as it was placed', async () => {
      const { app } = await build();
      const placed = await request(app).post('/v2/pick').send(toastie);
      const res = await request(app).get(placed.headers.location!);
      expect(res.status).toBe(200);
      expect(res.body).toEqual(placed.body);
    });

    test('answers to its id in upper case too (UUIDs are case-insensitive)', async () => {
      const { app } = await build();
      const placed = await request(app).post('/v2/pick').send(toastie);
      const res = await request(app).get(`/v2/orders/${(placed.body.order.id as string).toUpperCase()}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual(placed.body);
    });

    // '1' is the order's row id: it names no order any more (docs/idempotency.md, "Order ids").
    test.each(['1', '2', '0', '-1', 'abc', '1.0', '99999999999999999999', '3f0c1b2a-9d8e-4c7b-a6f5-e4d3c2b1a098', '3f0c1b2a9d8e4c7ba6f5e4d3c2b1a098'])('an order that does not exist (%s) is 404 JSON', async (id) => {
      const { app } = await build();
      await request(app).post('/v2/pick').send(toastie);
      const res = await request(app).get(`/v2/orders/${id}`);
      expect(res.status).toBe(404);
      expect(res.body.error).toBe('order_not_found');
    });
  });
});
