import request from 'supertest';
import { createFlags, parseRule } from '@toasties/flags';
import { DEFAULT_STOCK } from '../src/app';
import { FLAGS } from '../src/flags';
import { describeBackends } from './build';

describeBackends('chillybin API v1', (build) => {
  describe('GET /', () => {
    test('lists every ingredient with its quantity', async () => {
      const { app } = await build();
      const res = await request(app).get('/');
      expect(res.status).toBe(200);
      expect(res.body).toEqual(DEFAULT_STOCK);
    });
  });

  describe('GET|POST /pick (v1)', () => {
    test.each(['get', 'post'] as const)('%s with a name and quantity takes exactly that much and answers ok', async (verb) => {
      const { app, stock } = await build();
      const res = await request(app)[verb]('/pick?name=cheese&quantity=2');
      expect(res.status).toBe(200);
      expect(res.text).toBe('ok');
      expect((await stock.levels()).cheese).toBe(8);
    });

    test.each([
      ['not enough stock', '/pick?name=cheese&quantity=11', 410, 'out_of_stock'],
      ['an unknown ingredient', '/pick?name=caviar&quantity=1', 410, 'unknown_ingredient'],
      ['a missing quantity', '/pick?name=cheese', 400, 'missing_quantity'],
      ['a missing name', '/pick?quantity=1', 400, 'missing_name'],
      ['a negative quantity', '/pick?name=cheese&quantity=-1', 400, 'invalid_quantity'],
      ['a zero quantity', '/pick?name=cheese&quantity=0', 400, 'invalid_quantity'],
      ['a fractional quantity', '/pick?name=cheese&quantity=1.5', 400, 'invalid_quantity'],
      ['a huge quantity', '/pick?name=cheese&quantity=99999999999999999999', 400, 'invalid_quantity'],
      ['a quantity in exponent form', '/pick?name=cheese&quantity=1e3', 400, 'invalid_quantity'],
      ['a quantity with a plus sign', '/pick?name=cheese&quantity=%2B1', 400, 'invalid_quantity'],
      ['a quantity that is not a number', '/pick?name=cheese&quantity=lots', 400, 'invalid_quantity'],
      ['a quantity given twice', '/pick?name=cheese&quantity=1&quantity=1', 400, 'invalid_quantity'],
      ['a name given twice', '/pick?name=cheese&name=bread&quantity=1', 400, 'invalid_name'],
      ['an SQL-looking name', "/pick?name=cheese'%3B%20DROP%20TABLE%20ingredients%3B--&quantity=1", 400, 'invalid_name'],
      ['a smuggled second parameter', '/pick?name=vegemite%26quantity%3D-1000&quantity=1', 400, 'invalid_name'],
      ['an upper-case name', '/pick?name=CHEESE&quantity=1', 400, 'invalid_name'],
      ['an overlong name', `/pick?name=${'a'.repeat(33)}&quantity=1`, 400, 'invalid_name'],
    ])('%s answers %i %s and changes nothing', async (_case, path, status, code) => {
      const { app, stock } = await build();
      const res = await request(app).get(path);
      expect(res.status).toBe(status);
      expect(res.body).toEqual({ error: code, message: expect.any(String) });
      expect((await stock.levels())).toEqual(DEFAULT_STOCK);
    });

    test('other verbs answer 405', async () => {
      const { app } = await build();
      const res = await request(app).delete('/pick?name=cheese&quantity=1');
      expect(res.status).toBe(405);
      expect(res.headers.allow).toBe('GET, POST');
    });
  });

  describe('v1 /pick is deprecated (the foxtrot, step 2)', () => {
    test.each([
      ['a pick', '/pick?name=cheese&quantity=1', 200],
      ['a refused pick', '/pick?name=cheese&quantity=0', 400],
    ])('%s carries Deprecation, Sunset and a Link to /v2/pick', async (_case, path, status) => {
      const { app } = await build();
      const res = await request(app).post(path);
      expect(res.status).toBe(status);
      expect(res.headers.deprecation).toMatch(/^@\d+$/);
      expect(new Date(res.headers.sunset!).getTime()).toBeGreaterThan(Number(res.headers.deprecation!.slice(1)) * 1000);
      expect(res.headers.link).toBe('</v2/pick>; rel="successor-version"');
    });

    test('the other v1 endpoints are not deprecated', async () => {
      const { app } = await build();
      expect((await request(app).get('/')).headers.deprecation).toBeUndefined();
    });
  });

  describe('with FLAG_PICK_V1=off (the foxtrot, step 3)', () => {
    const v1Off = () => build({ flags: createFlags(FLAGS, { overrides: { 'pick.v1': parseRule('off')! } }) });

    test.each(['get', 'post'] as const)('%s /pick is 410 Gone JSON with the successor Link, and nothing is taken', async (verb) => {
      const { app, stock } = await v1Off();
      const res = await request(app)[verb]('/pick?name=cheese&quantity=1');
      expect(res.status).toBe(410);
      expect(res.body).toEqual({ error: 'gone', message: expect.stringContaining('/v2/pick') });
      expect(res.headers.link).toBe('</v2/pick>; rel="successor-version"');
      expect((await stock.levels())).toEqual(DEFAULT_STOCK);
    });

    test('v2 and the rest of v1 carry on', async () => {
      const { app } = await v1Off();
      expect((await request(app).post('/v2/pick').send({ customer: 'gita', items: [{ ingredient: 'cheese', quantity: 1 }] })).status).toBe(201);
      expect((await request(app).get('/')).body.cheese).toBe(9);
      expect((await request(app).post('/restock')).status).toBe(200);
    });
  });

  describe('POST /restock', () => {
    test('without a body, resets every default ingredient', async () => {
      const { app, stock } = await build();
      await stock.pick('cheese', 10);
      const res = await request(app).post('/restock');
      expect(res.status).toBe(200);
      expect(res.body).toEqual(DEFAULT_STOCK);
      expect((await stock.levels())).toEqual(DEFAULT_STOCK);
    });

    test('with amounts, sets just those', async () => {
      const { app, stock } = await build();
      const res = await request(app).post('/restock').send({ cheese: 50, truffle: 2 });
      expect(res.status).toBe(200);
      expect((await stock.levels())).toEqual({ ...DEFAULT_STOCK, cheese: 50, truffle: 2 });
    });

    test.each([
      ['a negative amount', { cheese: -5 }],
      ['a fractional amount', { cheese: 1.5 }],
      ['an amount as a string', { cheese: '5' }],
      ['a huge amount', { cheese: 1e12 }],
      ['a bad name', { 'Robert"); DROP TABLE': 1 }],
      ['an array', [1, 2]],
      ['a nested object', { cheese: { quantity: 1 } }],
      ['null', null],
    ])('with %s, answers 400 and changes nothing', async (_case, body) => {
      const { app, stock } = await build();
      await stock.pick('cheese', 1);
      const res = await request(app).post('/restock').set('content-type', 'application/json').send(JSON.stringify(body));
      expect(res.status).toBe(400);
      expect(res.body.error).toMatch(/^invalid_/);
      expect((await stock.levels())).toEqual({ ...DEFAULT_STOCK, cheese: 9 });
    });

    test.each(['get', 'put', 'delete', 'patch'] as const)('%s answers 405 JSON and changes nothing', async (verb) => {
      const { app, stock } = await build();
      await stock.pick('cheese', 1);
      const res = await request(app)[verb]('/restock');
      expect(res.status).toBe(405);
      expect(res.body.error).toBe('method_not_allowed');
      expect((await stock.levels()).cheese).toBe(9);
    });

    test('a form-encoded body is refused with 415, not taken as "reset everything"', async () => {
      const { app, stock } = await build();
      await stock.pick('cheese', 1);
      const res = await request(app).post('/restock').type('form').send('cheese=10');
      expect(res.status).toBe(415);
      expect((await stock.levels()).cheese).toBe(9);
    });
  });

  describe('health', () => {
    test('readiness checks the database', async () => {
      const { app, close } = await build();
      expect((await request(app).get('/health/ready')).status).toBe(200);
      await close();
      const res = await request(app).get('/health/ready');
      expect(res.status).toBe(503);
      expect(res.body.checks.database.ok).toBe(false);
    });
  });
});
