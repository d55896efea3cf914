import express from 'express';
import request from 'supertest';
import { createLogger, requestIdOf, requestLogging } from '../src';
import { captureLines } from './capture';

function appWithLogs() {
  const { lines, destination } = captureLines();
  const logger = createLogger({ service: 'jafflr', version: 'v1', level: 'info', format: 'json', destination });
  const app = express();
  app.use(requestLogging(logger));
  app.get('/refused', (_req, res) => void res.status(503).json({}));
  app.get('/later', async (_req, res) => {
    await new Promise((resolve) => setImmediate(resolve));
    res.json({ seenAs: requestIdOf(res) });
  });
  return { app, lines };
}

describe('request logging', () => {
  test('one line per request, with method, path, status, duration and id, and no query string', async () => {
    const { app, lines } = appWithLogs();
    const res = await request(app).get('/later?customer=gita');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      msg: 'GET /later 200',
      req: { id: res.headers['x-request-id'], method: 'GET', path: '/later' },
      res: { statusCode: 200 },
      responseTime: expect.any(Number),
      service: 'jafflr',
    });
    expect(JSON.stringify(lines)).not.toContain('gita');
  });

  test.each([
    ['/later', 30, 200],
    ['/nowhere', 40, 404],
    ['/refused', 50, 503],
  ])('GET %s: the same fields, in the same order, at level %i; a 5xx with an err', async (path, level, statusCode) => {
    const { app, lines } = appWithLogs();
    await request(app).get(path).set('X-Request-Id', 'id-1');
    expect(lines).toHaveLength(1);
    const line = lines[0] as Record<string, unknown>;
    const keys = ['level', 'time', 'service', 'version', 'pid', 'req', 'res', ...(statusCode >= 500 ? ['err'] : []), 'responseTime', 'msg'];
    expect(Object.keys(line)).toEqual(keys);
    expect(line).toMatchObject({ level, req: { id: 'id-1', method: 'GET', path }, res: { statusCode }, msg: `GET ${path} ${statusCode}` });
    if (statusCode >= 500) expect(line.err).toMatchObject({ type: 'Error', message: `failed with status code ${statusCode}` });
  });

  test.each([
    ['a caller\'s id is kept', 'abc-123', 'abc-123'],
    ['an id with spaces is replaced', 'abc 123', undefined],
    ['an overlong id is replaced', 'x'.repeat(65), undefined],
  ])('%s', async (_case, given, expected) => {
    const { app } = appWithLogs();
    const res = await request(app).get('/later').set('X-Request-Id', given);
    const id = res.headers['x-request-id'];
    if (expected) expect(id).toBe(expected);
    else expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body.seenAs).toBe(id); // what a handler passes on to the calls it makes
  });
});
