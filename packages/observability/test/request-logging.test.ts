import express from 'express';
import request from 'supertest';
import { createLogger, currentRequestId, requestLogging } from '../src';
import { captureLines } from './capture';

function appWithLogs() {
  const { lines, destination } = captureLines();
  const logger = createLogger({ service: 'jafflr', version: 'v1', level: 'info', format: 'json', destination });
  const app = express();
  app.use(requestLogging(logger));
  app.get('/later', async (_req, res) => {
    await new Promise((resolve) => setImmediate(resolve));
    res.json({ seenAs: currentRequestId() });
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
    ['a caller\'s id is kept', 'abc-123', 'abc-123'],
    ['an id with spaces is replaced', 'abc 123', undefined],
    ['an overlong id is replaced', 'x'.repeat(65), undefined],
  ])('%s', async (_case, given, expected) => {
    const { app } = appWithLogs();
    const res = await request(app).get('/later').set('X-Request-Id', given);
    const id = res.headers['x-request-id'];
    if (expected) expect(id).toBe(expected);
    else expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body.seenAs).toBe(id); // current for everything the request awaited
  });
});
