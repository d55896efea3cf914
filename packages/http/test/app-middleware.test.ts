import request from 'supertest';
import type { RequestHandler } from 'express';
import { createJsonApp, HttpError } from '../src';

// The app-level middleware (observe, then the edge's checks) runs in order before the routes;
// what one of them throws or rejects with is answered as an error, and the rest do not run.
const ran: string[] = [];
const first: RequestHandler = (req, _res, next) => {
  ran.push('first');
  if (req.headers['x-fail'] === 'throw') throw new HttpError('gone', 'thrown');
  if (req.headers['x-fail'] === 'reject') return Promise.reject(new HttpError('gone', 'rejected'));
  next();
};
const second: RequestHandler = (_req, _res, next) => {
  ran.push('second');
  next();
};
const app = createJsonApp(
  (app) => {
    app.get('/ok', (_req, res) => {
      res.json({ ran });
    });
  },
  { logger: { error: () => undefined }, observe: [first, second] },
);

describe('the app-level middleware', () => {
  beforeEach(() => {
    ran.length = 0;
  });

  test('runs in order, then the routes', async () => {
    const res = await request(app).get('/ok');
    expect([res.status, res.body]).toEqual([200, { ran: ['first', 'second'] }]);
  });

  test.each(['throw', 'reject'])('a middleware that fails (%s) is answered with its error, and the ones after it do not run', async (how) => {
    const res = await request(app).get('/ok').set('x-fail', how);
    expect([res.status, res.body.error, res.body.message]).toEqual([410, 'gone', how === 'throw' ? 'thrown' : 'rejected']);
    expect(ran).toEqual(['first']);
  });
});
