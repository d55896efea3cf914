import request from 'supertest';
import { createJsonApp, onlyQueryParameters, refuseUnknownFields, routeTable } from '../src';

// The edge of every app createJsonApp builds: checks that run before any route; and the
// route table's verbs.
let posted = 0;
const app = createJsonApp(
  (app) => {
    app.use(
      routeTable([
        { method: 'GET', path: '/thing', handlers: [(_req, res) => void res.set('X-Thing', 'yes').json({ ran: 'get' })] },
        { method: 'POST', path: '/thing', handlers: [onlyQueryParameters('size'), (req, res) => void res.json({ ran: 'post', query: req.query, body: req.body as unknown })] },
        { method: 'GET', path: '/take', changesState: true, handlers: [(_req, res) => void res.json({ taken: ++posted })] },
        { method: 'POST', path: '/fields', handlers: [(req, res) => {
          refuseUnknownFields(req.body as object, ['a'], 'body');
          res.json({ ok: true });
        }] },
      ]),
    );
  },
  { bodyLimit: 1024, parameterLimit: 5 },
);

describe('verbs', () => {
  test.each(['OPTIONS', 'PUT', 'DELETE', 'PATCH', 'PROPFIND', 'TRACE'])('%s never reaches a handler: 405 with the path\'s verbs in Allow', async (method) => {
    const res = await request(app)[method.toLowerCase() as 'get'](`/thing`).set('x', 'y');
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD, POST');
    expect(res.body).toEqual({ error: 'method_not_allowed', message: expect.stringContaining(method) });
  });

  test('HEAD on a safe GET answers as GET would, with its headers and no body', async () => {
    const [get, head] = [await request(app).get('/thing'), await request(app).head('/thing')];
    expect([head.status, head.text ?? '']).toEqual([200, '']);
    expect(head.headers['x-thing']).toBe('yes');
    expect(head.headers['content-length']).toBe(get.headers['content-length']);
    expect(head.headers['content-type']).toBe(get.headers['content-type']);
  });

  test('HEAD on a GET that changes state is 405 and runs nothing', async () => {
    const before = posted;
    const res = await request(app).head('/take');
    expect([res.status, res.headers.allow]).toEqual([405, 'GET']);
    expect(posted).toBe(before);
  });

  test('a verb on a path no route has is 404, not 405', async () => {
    const res = await request(app).options('/nowhere');
    expect(res.status).toBe(404);
    expect(res.body.error).toBe('not_found');
  });

  test('GET and POST still reach their handlers', async () => {
    expect((await request(app).get('/thing')).body).toEqual({ ran: 'get' });
  });
});

describe('query parameters', () => {
  test('up to the limit, every one is kept', async () => {
    const res = await request(app).post('/thing?size=1&size=2&size=3&size=4&size=5');
    expect(res.body.query).toEqual({ size: ['1', '2', '3', '4', '5'] });
  });

  test('one over the limit is 400 too_many_parameters, not a silent cut', async () => {
    const res = await request(app).post('/thing?size=1&size=2&size=3&size=4&size=5&size=6');
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('too_many_parameters');
  });

  test('a parameter the route does not read is 400 naming it', async () => {
    const res = await request(app).post('/thing?size=1&colour=red');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'unknown_field', message: expect.stringContaining('"colour"') });
  });
});

describe('JSON bodies', () => {
  test.each(['utf-8', 'UTF-8', 'utf8', 'UTF8', '"utf-8"'])('charset=%s is UTF-8 and accepted', async (charset) => {
    const res = await request(app).post('/thing').set('content-type', `application/json; charset=${charset}`).send('{"name":"gïta"}');
    expect(res.status).toBe(200);
    expect(res.body.body).toEqual({ name: 'gïta' });
  });

  test.each(['utf-7', 'utf-16', 'utf-16le', 'utf-32', 'iso-8859-1', 'latin1', 'us-ascii', '""'])('charset=%s is 415 unsupported_charset', async (charset) => {
    const res = await request(app).post('/thing').set('content-type', `application/json; charset=${charset}`).send('{}');
    expect(res.status).toBe(415);
    expect(res.body.error).toBe('unsupported_charset');
  });

  test('a declared Content-Length over the limit is 413 and closes the connection', async () => {
    const res = await request(app).post('/thing').set('content-type', 'application/json').send(`{"a":"${'x'.repeat(2000)}"}`);
    expect(res.status).toBe(413);
    expect(res.headers.connection).toBe('close');
  });

  test('an unknown field is 400 naming it, the known ones pass', async () => {
    expect((await request(app).post('/fields').send({ a: 1 })).status).toBe(200);
    const res = await request(app).post('/fields').send({ a: 1, b: 2 });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'unknown_field', message: expect.stringContaining('"b"') });
  });
});
