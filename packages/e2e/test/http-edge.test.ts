import { rmSync } from 'node:fs';
import { METHODS, request as httpRequest } from 'node:http';
import { dirname } from 'node:path';
import { freshDatabasePath, rawHttp, stopAllProcesses, type RunningService } from '@toasties/testkit';
import { startStack, stateOf } from './services';

// The edge of both services, as real processes: which verbs reach a handler, and what node's
// own HTTP server answers (malformed requests, huge headers, CONNECT …) before express runs.
const ADMIN_TOKEN = 'http-edge-admin-token';
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
const json = { 'content-type': 'application/json' };
const pickBody = JSON.stringify({ customer: 'gita', items: [{ ingredient: 'tomato', quantity: 3 }] });

let stack: Awaited<ReturnType<typeof startStack>>;
let DATABASE_PATH: string;

beforeAll(async () => {
  DATABASE_PATH = freshDatabasePath('http-edge');
  stack = await startStack({ FLAG_PICK_V2: 'gita' }, { ADMIN_TOKEN, DATABASE_PATH });
});
afterAll(async () => {
  await stopAllProcesses();
  rmSync(dirname(DATABASE_PATH), { recursive: true, force: true });
});

/** Everything a request could change: stock, orders recorded, toasties made. */
const state = () => stateOf(stack, DATABASE_PATH);

function send(service: RunningService, method: string, path: string, headers: Record<string, string> = {}, body?: string) {
  return new Promise<{ status: number; allow: string | undefined; contentType: string | undefined; text: string }>((resolve, reject) => {
    // An explicit Content-Length: node's client sends a DELETE, OPTIONS or TRACE body unframed.
    const framing = body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) };
    const req = httpRequest(`${service.url}${path}`, { method, headers: { ...headers, ...framing } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, allow: res.headers.allow, contentType: res.headers['content-type'], text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('only the documented verbs reach a handler', () => {
  // Each route that changes state, called as it would succeed with its own verb.
  const writes = [
    { name: 'chillybin /pick (v1, GET and POST)', service: 'chillybin', path: '/pick?name=tomato&quantity=3', headers: {}, body: undefined, allow: 'GET, POST' },
    { name: 'chillybin /v2/pick', service: 'chillybin', path: '/v2/pick', headers: json, body: pickBody, allow: 'POST' },
    { name: 'chillybin /restock', service: 'chillybin', path: '/restock', headers: { ...json, ...admin }, body: '{"tomato": 1000}', allow: 'POST' },
    { name: 'jafflr /toastie (GET and POST)', service: 'jafflr', path: '/toastie?i=cheese&i=tomato', headers: {}, body: undefined, allow: 'GET, POST' },
  ] as const;
  // Every method node can parse, but the two documented ones and CONNECT (its own test below).
  // HEAD is among them: on these paths GET changes state or is not served.
  const otherVerbs = METHODS.filter((method) => !['GET', 'POST', 'CONNECT'].includes(method));

  test.each(writes)('$name: HEAD, OPTIONS and all other verbs get 405 with Allow, and nothing changes', async ({ service, path, headers, body, allow }) => {
    const before = await state();
    for (const method of otherVerbs) {
      const res = await send(stack[service], method, path, headers, method === 'HEAD' ? undefined : body);
      expect({ method, status: res.status, allow: res.allow }).toEqual({ method, status: 405, allow });
      expect(res.contentType).toMatch(/^application\/json/);
      if (method === 'HEAD') expect(res.text).toBe(''); // a HEAD answer has no body
      else expect(JSON.parse(res.text)).toEqual({ error: 'method_not_allowed', message: expect.any(String) });
    }
    expect(await state()).toEqual(before);
  });

  test('HEAD on a read answers as its GET does, with the same headers and no body', async () => {
    for (const [service, path] of [['chillybin', '/health'], ['chillybin', '/health/ready'], ['jafflr', '/health'], ['chillybin', '/metrics']] as const) {
      const [get, head] = [await send(stack[service], 'GET', path), await send(stack[service], 'HEAD', path)];
      expect({ path, status: head.status, contentType: head.contentType, text: head.text }).toEqual({ path, status: get.status, contentType: get.contentType, text: '' });
    }
  });

  test('the documented verbs still work (GET /pick takes stock, as it always has)', async () => {
    const before = await state();
    expect((await send(stack.chillybin, 'GET', '/pick?name=tomato&quantity=1')).status).toBe(200);
    expect((await state()).stock.tomato).toBe(before.stock.tomato! - 1);
  });
});

describe("node's own answers are JSON too (raw sockets)", () => {
  const host = 'Host: 127.0.0.1\r\n';
  // WRITE stands for each service's write route (/v2/pick, /toastie).
  const cases: [string, string, number, string][] = [
    ['a header line with no colon', `GET /health HTTP/1.1\r\n${host}this is not a header\r\n\r\n`, 400, 'bad_request'],
    ['an HTTP version that does not exist', `GET /health HTTP/9.9\r\n${host}\r\n`, 400, 'bad_request'],
    ['an HTTP/2 preface on an HTTP/1.1 port', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 400, 'bad_request'],
    ['a chunk size that is not hex', `POST WRITE HTTP/1.1\r\n${host}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n`, 400, 'bad_request'],
    ['HTTP/1.1 with no Host', 'GET /health HTTP/1.1\r\n\r\n', 400, 'missing_host'],
    ['20 kB of headers', `GET /health HTTP/1.1\r\n${host}X-Padding: ${'a'.repeat(20_000)}\r\n\r\n`, 431, 'headers_too_large'],
    ['a method node cannot parse', `BREW WRITE HTTP/1.1\r\n${host}\r\n`, 501, 'method_not_implemented'],
    ['CONNECT (a tunnel)', 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n', 501, 'method_not_implemented'],
    ['an Expect other than 100-continue', `GET /health HTTP/1.1\r\n${host}Expect: a-cup-of-tea\r\n\r\n`, 417, 'expectation_failed'],
    // The headers alone, the socket left open: the 413 must come from Content-Length, now.
    ['a declared 10 MB body that never comes', `POST WRITE HTTP/1.1\r\n${host}Content-Type: application/json\r\nContent-Length: 10000000\r\n\r\n`, 413, 'payload_too_large'],
    ['a declared 10 MB body, asking to continue', `POST WRITE HTTP/1.1\r\n${host}Content-Type: application/json\r\nContent-Length: 10000000\r\nExpect: 100-continue\r\n\r\n`, 413, 'payload_too_large'],
  ];
  const writeRoute = { chillybin: '/v2/pick', jafflr: '/toastie' } as const;
  const both = (['chillybin', 'jafflr'] as const).flatMap((service) =>
    cases.map(([name, text, status, code]) => [`${service}: ${name} → ${status} ${code}`, service, text.replace('WRITE', writeRoute[service]), status, code] as const),
  );

  test.each(both)('%s', async (_name, service, text, status, code) => {
    const before = await state();
    const answer = await rawHttp(stack[service].port, text);
    expect(answer.status).toBe(status);
    expect(answer.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(answer.body)).toEqual({ error: code, message: expect.any(String) });
    expect(await state()).toEqual(before);
    expect((await fetch(`${stack[service].url}/health`)).status).toBe(200);
  });
});

describe('JSON bodies are UTF-8, however the charset is spelt', () => {
  test.each(['utf-8', 'UTF-8', 'utf8', 'UTF8', '"utf-8"', undefined])('charset=%s: the pick is made', async (charset) => {
    const contentType = charset === undefined ? 'application/json' : `application/json; charset=${charset}`;
    const res = await send(stack.chillybin, 'POST', '/v2/pick', { 'content-type': contentType }, JSON.stringify({ customer: 'gita', items: [{ ingredient: 'cheese', quantity: 1 }] }));
    expect(res.status).toBe(201);
  });

  test('jafflr takes charset=utf8 too: the toastie is made', async () => {
    const res = await send(stack.jafflr, 'POST', '/toastie', { 'content-type': 'application/json; charset=UTF8' }, JSON.stringify({ i: ['cheese'] }));
    expect(res.status).toBe(200);
  });
});
