import { Writable } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import express from 'express';
import request from 'supertest';
import { createLogger, requestLogging } from '../src';

// LOG_FORMAT=pretty is what a person reads under npm start: each entry one line, within
// 100 columns, even for the longest route and a UUID request id.
function prettyApp(service: string) {
  const text: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text.push(chunk.toString());
      done();
    },
  });
  const logger = createLogger({ service, version: 'a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2', level: 'info', format: 'pretty', destination });
  const app = express();
  app.use(requestLogging(logger));
  app.get('/v2/orders/:id', (_req, res) => void res.status(404).json({ error: 'order_not_found' }));
  return { app, logger, lines: () => stripVTControlCharacters(text.join('')).split('\n').filter(Boolean) };
}

describe('LOG_FORMAT=pretty', () => {
  test('a request is one line of at most 100 columns: service, method, path, status, time, id', async () => {
    const { app, lines } = prettyApp('chillybin');
    await request(app).get('/v2/orders/3f2b8c1e-5a7d-4e9f-8b6a-1c0d2e3f4a5b?customer=gita').set('X-Request-Id', '2ae802f6-8862-4746-a3a6-d00dcd27f987');

    expect(lines()).toHaveLength(1);
    const [line] = lines();
    expect(line).toMatch(/^\[\d\d:\d\d:\d\d\] WARN: chillybin GET \/v2\/orders\/3f2b8c1e-5a7d-4e9f-8b6a-1c0d2e3f4a5b 404 \d+ ms 2ae802f6$/);
    expect(line!.length).toBeLessThanOrEqual(100);
  });

  test('an id a caller chose is shown whole, so it can be followed', async () => {
    const { app, lines } = prettyApp('jafflr');
    await request(app).get('/v2/orders/1').set('X-Request-Id', 'demo-gita-1');
    expect(lines()[0]).toMatch(/jafflr GET \/v2\/orders\/1 404 \d+ ms demo-gita-1$/);
  });

  test('other entries keep their fields as key=value, on the same line', () => {
    const { logger, lines } = prettyApp('jafflr');
    logger.info({ port: 7000, url: 'http://127.0.0.1:7000' }, 'listening');
    expect(lines()).toEqual([expect.stringMatching(/^\[\d\d:\d\d:\d\d\] INFO: jafflr listening port=7000 url=http:\/\/127\.0\.0\.1:7000$/)]);
  });

  test('fields that would pass 100 columns give way to …, whole: a value is never cut, a named child logger included', () => {
    const { logger, lines } = prettyApp('chillybin');
    logger.child({ name: '0003-order-public-ids' }).info({ event: 'migrated', durationSeconds: 0.002, serving: Array.from({ length: 9 }, (_, i) => ({ pid: 4240 + i, version: 'demo-1' })) }, 'migration migrated');
    const [line] = lines();
    expect(line).toMatch(/INFO \(0003-order-public-ids\): chillybin migration migrated durationSeconds=0\.002 …$/);
    expect(line!.length).toBeLessThanOrEqual(100);
  });

  test.each([
    ['a number', { durationSeconds: 0.123456789 }],
    ['a url', { url: 'http://127.0.0.1:7000/a/rather/long/path/that/goes/on' }],
  ])('a field with %s too long for the room left is left out whole, not cut', (_what, fields) => {
    const { logger, lines } = prettyApp('chillybin');
    logger.info({ first: 'x'.repeat(40), ...fields }, 'm');
    const [line] = lines();
    expect(line).toMatch(/ first=x{40} …$/);
    expect(line!.length).toBeLessThanOrEqual(100);
  });

  test('a field whose value the message already says is not repeated', () => {
    const { logger, lines } = prettyApp('chillybin');
    logger.info({ event: 'migrated', durationSeconds: 0.066 }, 'migration migrated');
    expect(lines()[0]).toMatch(/INFO: chillybin migration migrated durationSeconds=0\.066$/);
  });

  test('an error shows its message in the line and, from level error up, its stack below', () => {
    const { logger, lines } = prettyApp('jafflr');
    logger.error({ err: new Error('the chillybin is on fire') }, 'unhandled error');
    expect(lines()[0]).toMatch(/ERROR: jafflr unhandled error err="the chillybin is on fire"$/);
    expect(lines()[1]).toBe('Error: the chillybin is on fire');
  });
});
