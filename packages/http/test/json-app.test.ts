import request from 'supertest';
import { createJsonApp, HttpError, requireJsonBody, routeTable } from '../src';

const logged: unknown[] = [];
const app = createJsonApp(
  (app) => {
    app.use(routeTable([{ method: 'POST', path: '/echo', handlers: [requireJsonBody, (req, res) => void res.json({ got: req.body as unknown })] }]));
    app.get('/gone', () => {
      throw new HttpError('gone', 'this was removed');
    });
    app.get('/short', () => {
      throw new HttpError('out_of_stock', 'not enough ham', { details: { ingredient: 'ham' }, headers: { 'Retry-After': '30' } });
    });
    app.get('/legacy', () => {
      throw new HttpError('out_of_stock', 'not enough ham', { status: 410 });
    });
    app.get('/boom', () => {
      throw new Error('secret internals at /srv/app.js:42');
    });
  },
  { logger: { error: (details) => logged.push(details) }, bodyLimit: 1024 },
);

describe('createJsonApp', () => {
  test.each([
    ['unknown route', 404, 'not_found', () => request(app).get('/nope')],
    ['invalid JSON', 400, 'invalid_json', () => request(app).post('/echo').set('content-type', 'application/json').send('{"a":')],
    ['body over the limit', 413, 'payload_too_large', () => request(app).post('/echo').send({ big: 'x'.repeat(2000) })],
    ['unsupported charset', 415, 'unsupported_charset', () => request(app).post('/echo').set('content-type', 'application/json; charset=klingon').send('{}')],
    ['a body that is not JSON', 415, 'unsupported_media_type', () => request(app).post('/echo').type('form').send('a=1')],
    ['wrong verb', 405, 'method_not_allowed', () => request(app).get('/echo')],
    ['an HttpError, with its code\'s status from the catalogue', 410, 'gone', () => request(app).get('/gone')],
    ['an unexpected error', 500, 'internal_error', () => request(app).get('/boom')],
  ])('%s answers %i JSON with code %s', async (_name, status, code, call) => {
    const res = await call();
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual({ error: code, message: expect.any(String) });
    expect(res.text).toMatch(/}\n$/); // curl's answer ends its line: the prompt starts on the next
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  test('an HttpError\'s details follow error and message in the body, and its headers are sent', async () => {
    const res = await request(app).get('/short');
    expect([res.status, res.text, res.headers['retry-after']]).toEqual([409, '{"error":"out_of_stock","message":"not enough ham","ingredient":"ham"}\n', '30']);
  });

  test('a status fixed before the catalogue (v1 /pick\'s 410s) can still be given', async () => {
    const res = await request(app).get('/legacy');
    expect([res.status, res.body]).toEqual([410, { error: 'out_of_stock', message: 'not enough ham' }]);
  });

  test('a code outside the catalogue does not compile', () => {
    // @ts-expect-error 'teapot' is no ErrorCode: a new code is added to @toasties/contract first
    expect(() => new HttpError('teapot', 'short and stout')).toThrow(/not in the error-code catalogue/);
  });

  test('a 405 says which verbs are allowed', async () => {
    const res = await request(app).delete('/echo');
    expect(res.headers.allow).toBe('POST');
  });

  test('an unexpected error is logged but its details never reach the client', async () => {
    logged.length = 0;
    const res = await request(app).get('/boom');
    expect(JSON.stringify(res.body)).not.toMatch(/secret|\.js/);
    expect(logged).toHaveLength(1);
  });

  test('valid JSON reaches the route', async () => {
    const res = await request(app).post('/echo').send({ a: 1 });
    expect(res.body).toEqual({ got: { a: 1 } });
  });

  test('a write without a body passes the JSON check', async () => {
    const res = await request(app).post('/echo');
    expect(res.status).toBe(200);
  });
});

describe('JSON answers end with a newline', () => {
  test('an answer is its JSON and one "\\n", with Content-Length and Content-Type to match', async () => {
    const res = await request(app).post('/echo').send({ a: 1 });
    expect(res.text).toBe('{"got":{"a":1}}\n');
    expect(res.headers['content-length']).toBe(String(Buffer.byteLength(res.text)));
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
  });

  test('a Content-Type a route chose is kept', async () => {
    const typed = createJsonApp((app) => app.get('/problem', (_req, res) => void res.type('application/problem+json').json({ title: 'x' })));
    const res = await request(typed).get('/problem');
    expect([res.headers['content-type'], res.text]).toEqual(['application/problem+json; charset=utf-8', '{"title":"x"}\n']);
  });

  test('an answer carries no ETag: it is live state, which no client revalidates', async () => {
    const typed = createJsonApp((app) => app.get('/stock', (_req, res) => void res.json({ cheese: 1 })));
    const res = await request(typed).get('/stock');
    expect([res.status, res.headers['etag']]).toEqual([200, undefined]);
  });
});

describe('observe', () => {
  test('sees every request first, even one whose body is refused', async () => {
    const seen: string[] = [];
    const observed = createJsonApp(() => undefined, { observe: [(req, res, next) => { res.on('finish', () => seen.push(`${req.method} ${res.statusCode}`)); next(); }] });
    await request(observed).post('/x').set('content-type', 'application/json').send('{bad');
    expect(seen).toEqual(['POST 400']);
  });
});
