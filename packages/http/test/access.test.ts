import request from 'supertest';
import { createJsonApp, requireBearerToken, writeRateLimit } from '../src';

function appWith(token: string | undefined, perMinute?: number) {
  return createJsonApp((app) => {
    app.post('/admin', requireBearerToken(token), (_req, res) => {
      res.json({ ok: true });
    });
    app.post('/write', writeRateLimit(perMinute), (_req, res) => {
      res.json({ ok: true });
    });
  });
}

describe('requireBearerToken', () => {
  test('with no token configured, the route is open', async () => {
    expect((await request(appWith(undefined)).post('/admin')).status).toBe(200);
  });

  test.each([
    ['no Authorization header', undefined],
    ['a wrong token', 'Bearer wrong'],
    ['the right token with another scheme', 'Basic s3cret'],
    ['a prefix of the right token', 'Bearer s3c'],
    ['the right token with more after it', 'Bearer s3cret-and-more'],
    // The whole credential is compared, not its first word.
    ['the right token, a blank, and more', 'Bearer s3cret and-more'],
    ['the right token twice', 'Bearer s3cret s3cret'],
    ['the scheme alone', 'Bearer'],
    ['the scheme and a blank', 'Bearer '],
  ])('with a token configured, %s is 401 JSON', async (_case, authorization) => {
    const call = request(appWith('s3cret')).post('/admin');
    const res = await (authorization ? call.set('Authorization', authorization) : call);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'unauthorized', message: expect.any(String) });
    expect(res.headers['www-authenticate']).toBe('Bearer');
  });

  test('with a token configured, the right one passes', async () => {
    expect((await request(appWith('s3cret')).post('/admin').set('Authorization', 'Bearer s3cret')).status).toBe(200);
  });

  test('the scheme is case-insensitive (RFC 9110, 11.1): bearer and BEARER pass too', async () => {
    for (const scheme of ['bearer', 'BEARER']) {
      expect((await request(appWith('s3cret')).post('/admin').set('Authorization', `${scheme} s3cret`)).status).toBe(200);
    }
  });
});

describe('writeRateLimit', () => {
  test('past the limit: 429 JSON with Retry-After', async () => {
    const app = appWith(undefined, 2);
    expect((await request(app).post('/write')).status).toBe(200);
    expect((await request(app).post('/write')).status).toBe(200);
    const res = await request(app).post('/write');
    expect(res.status).toBe(429);
    expect(res.body).toEqual({ error: 'rate_limited', message: expect.any(String) });
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });

  test('off when no limit is set', async () => {
    const app = appWith(undefined, undefined);
    for (let i = 0; i < 5; i++) expect((await request(app).post('/write')).status).toBe(200);
  });
});

describe('security headers', () => {
  test("helmet's headers are on every answer, errors included", async () => {
    const res = await request(appWith(undefined)).get('/nope');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});
