import express from 'express';
import request from 'supertest';
import { createHealth, type Check } from '../src';

function appWith(checks: Record<string, Check>, checkTimeoutMs = 200) {
  const health = createHealth({ service: 'demo', version: '1.2.3', checks, checkTimeoutMs });
  const app = express();
  app.use(health.router);
  return { app, health };
}

const never: Check = () => new Promise(() => undefined);

describe('GET /health (liveness)', () => {
  test('answers 200 with service, version and uptime, whatever the checks say', async () => {
    const { app } = appWith({ broken: () => { throw new Error('down'); } });
    const res = await request(app).get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', service: 'demo', version: '1.2.3', uptimeSeconds: expect.any(Number) });
  });


  test('adds the details it is given', async () => {
    const health = createHealth({ service: 'demo', version: '1', details: () => ({ workers: [{ pid: 1, version: '1' }] }) });
    const app = express().use(health.router);
    expect((await request(app).get('/health')).body.workers).toEqual([{ pid: 1, version: '1' }]);
  });
});

describe('GET /health/ready (readiness)', () => {
  test('when every check passes, then 200 with each check listed', async () => {
    const { app } = appWith({ database: () => true, cache: async () => 'fine' });
    const res = await request(app).get('/health/ready');
    expect(res.status).toBe(200);
    expect(res.body.checks).toEqual({ database: { ok: true, ms: expect.any(Number) }, cache: { ok: true, ms: expect.any(Number) } });
  });

  test.each([
    ['throws', () => { throw new Error('no database'); }, 'no database'],
    ['rejects', () => Promise.reject(new Error('refused')), 'refused'],
    ['never answers', never, 'timed out after 200 ms'],
  ])('when a check %s, then 503 naming it and why', async (_how, check, why) => {
    const { app } = appWith({ good: () => true, bad: check });
    const res = await request(app).get('/health/ready');
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ error: 'not_ready', message: 'not ready: bad' });
    expect(res.body.checks.good.ok).toBe(true);
    expect(res.body.checks.bad).toEqual({ ok: false, ms: expect.any(Number), error: why });
  });

  test('once shutdown has begun, then 503 even though every check passes', async () => {
    const { app, health } = appWith({ database: () => true });
    expect((await request(app).get('/health/ready')).status).toBe(200);
    health.beginShutdown();
    const res = await request(app).get('/health/ready');
    expect(res.status).toBe(503);
    expect(res.body.checks.shutdown).toMatchObject({ ok: false, error: 'shutting down' });
    expect(health.shuttingDown).toBe(true);
    expect((await request(app).get('/health')).status).toBe(200);
  });
});
