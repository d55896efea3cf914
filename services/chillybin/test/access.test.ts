import request from 'supertest';
import { DEFAULT_STOCK } from '../src/app';
import { describeBackends } from './build';

describeBackends('chillybin access', (build) => {
  const ADMIN_TOKEN = 'a-long-enough-admin-token';
  const toastie = { customer: 'gita', items: [{ ingredient: 'cheese', quantity: 1 }] };

  describe('POST /restock with ADMIN_TOKEN set', () => {
    test.each<[string, string | undefined]>([
      ['no Authorization header', undefined],
      ['a wrong token', 'Bearer not-the-admin-token-at-all'],
      ['the token under another scheme', `Basic ${ADMIN_TOKEN}`],
      ['the token without its last character', `Bearer ${ADMIN_TOKEN.slice(0, -1)}`],
    ])('with %s, is 401 JSON and the stock stays as it was', async (_case, authorization) => {
      const { app, stock } = await build({ access: { adminToken: ADMIN_TOKEN } });
      await stock.pick('cheese', 4);
      const call = request(app).post('/restock').send({ cheese: 1000 });
      const res = await (authorization ? call.set('Authorization', authorization) : call);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: 'unauthorized', message: expect.stringContaining('ADMIN_TOKEN') });
      expect(res.headers['www-authenticate']).toBe('Bearer');
      expect((await stock.levels()).cheese).toBe(6);
    });

    test('with the token, restocks', async () => {
      const { app, stock } = await build({ access: { adminToken: ADMIN_TOKEN } });
      await stock.pick('cheese', 4);
      const res = await request(app).post('/restock').set('Authorization', `Bearer ${ADMIN_TOKEN}`);
      expect(res.status).toBe(200);
      expect((await stock.levels())).toEqual(DEFAULT_STOCK);
    });

    test('the public routes need no token', async () => {
      const { app } = await build({ access: { adminToken: ADMIN_TOKEN } });
      expect((await request(app).get('/')).status).toBe(200);
      expect((await request(app).post('/pick?name=cheese&quantity=1')).status).toBe(200);
      expect((await request(app).post('/v2/pick').send(toastie)).status).toBe(201);
    });
  });

  describe('RATE_LIMIT_PER_MINUTE', () => {
    test('v1 and v2 picks share one limit per client; past it, 429 JSON with Retry-After and nothing taken', async () => {
      const { app, stock, orderCount } = await build({ access: { rateLimitPerMinute: 3 } });
      expect((await request(app).post('/pick?name=cheese&quantity=1')).status).toBe(200);
      expect((await request(app).get('/pick?name=cheese&quantity=1')).status).toBe(200);
      expect((await request(app).post('/v2/pick').send(toastie)).status).toBe(201);

      for (const res of [await request(app).post('/v2/pick').send(toastie), await request(app).post('/pick?name=cheese&quantity=1')]) {
        expect(res.status).toBe(429);
        expect(res.body).toEqual({ error: 'rate_limited', message: expect.any(String) });
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      }
      expect((await stock.levels()).cheese).toBe(7);
      expect((await orderCount())).toBe(1);
    });

    test('a caller presenting SERVICE_TOKEN (jafflr) is not counted; without it, or with a wrong one, a caller is', async () => {
      const serviceToken = 'the-service-token-0123456789';
      const { app, stock } = await build({ access: { rateLimitPerMinute: 1, serviceToken } });
      for (let i = 0; i < 4; i++) {
        expect((await request(app).post('/pick?name=cheese&quantity=1').set('Authorization', `Bearer ${serviceToken}`)).status).toBe(200);
      }
      expect((await request(app).post('/pick?name=cheese&quantity=1').set('Authorization', 'Bearer not-the-service-token-at-all')).status).toBe(200);
      expect((await request(app).post('/pick?name=cheese&quantity=1')).status).toBe(429);
      expect((await request(app).post('/v2/pick').set('Authorization', `Bearer ${serviceToken} extra`).send(toastie)).status).toBe(429);
      expect((await request(app).post('/v2/pick').set('Authorization', `Bearer ${serviceToken}`).send(toastie)).status).toBe(201);
      expect((await stock.levels()).cheese).toBe(4);
    });

    test('stock levels, orders and restock are not limited', async () => {
      const { app } = await build({ access: { rateLimitPerMinute: 1 } });
      for (let i = 0; i < 3; i++) {
        expect((await request(app).get('/')).status).toBe(200);
        expect((await request(app).post('/restock')).status).toBe(200);
        expect((await request(app).get('/v2/orders/1')).status).toBe(404);
      }
    });

    test('unset, there is no limit (load tests measure the service, not the limiter)', async () => {
      const { app } = await build();
      for (let i = 0; i < 20; i++) expect((await request(app).post('/pick?name=cheese&quantity=1')).status).not.toBe(429);
    });
  });

  describe('security headers', () => {
    test.each(['/', '/pick?name=cheese&quantity=1', '/nowhere'])("GET %s carries helmet's headers and no x-powered-by", async (path) => {
      const { app } = await build();
      const res = await request(app).get(path);
      expect(res.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'content-security-policy': expect.any(String) });
      expect(res.headers['x-powered-by']).toBeUndefined();
    });
  });
});
