import request from 'supertest';
import type { ChillybinClient } from '../src/chillybin-client';
import { buildJafflr } from './build';

// A counting stand-in for the chillybin client, at the edge of this test: what matters is
// whether a limited request got as far as taking stock.
function appWithLimit(rateLimitPerMinute: number | undefined) {
  let picks = 0;
  const chillybin: ChillybinClient = {
    pick: async () => void (picks += 1),
    pickOrder: async () => ({ orderId: '0f8fad5b-d9cb-469f-a165-70867728950e', replayed: false }),
    health: async () => undefined,
    close: async () => undefined,
  };
  const { app, machine } = buildJafflr(chillybin, { rateLimitPerMinute });
  return { app, machine, picks: () => picks };
}

describe('RATE_LIMIT_PER_MINUTE on /toastie', () => {
  test('POST and GET share the limit; past it, 429 JSON with Retry-After, and nothing is picked or made', async () => {
    const { app, machine, picks } = appWithLimit(2);
    expect((await request(app).post('/toastie?i=cheese')).status).toBe(200);
    expect((await request(app).get('/toastie?i=cheese')).status).toBe(200);
    const picksBefore = picks();

    const res = await request(app).post('/toastie?i=cheese');
    expect(res.status).toBe(429);
    expect(res.body).toEqual({ error: 'rate_limited', message: expect.any(String) });
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(picks()).toBe(picksBefore);
    expect(machine.status().made).toBe(2);
  });

  test('the machine status and health are not limited', async () => {
    const { app } = appWithLimit(1);
    for (let i = 0; i < 3; i++) {
      expect((await request(app).get('/')).status).toBe(200);
      expect((await request(app).get('/health')).status).toBe(200);
    }
  });

  test('unset, there is no limit', async () => {
    const { app, machine } = appWithLimit(undefined);
    for (let i = 0; i < 10; i++) expect((await request(app).post('/toastie?i=cheese')).status).toBe(200);
    expect(machine.status().made).toBe(10);
  });
});
