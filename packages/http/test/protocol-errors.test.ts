import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rawHttp } from '@toasties/testkit';
import { answerProtocolErrorsAsJson, createJsonApp } from '../src';

// The one of node's own answers the e2e tests cannot wait for: 408 comes after headersTimeout
// (60 s by default). Here a real server with short timeouts, talked to over a raw socket.
let server: Server;
let port: number;

beforeAll(async () => {
  const app = createJsonApp((app) => app.get('/', (_req, res) => void res.json({ ok: true })));
  server = createServer({ headersTimeout: 500, requestTimeout: 1000, connectionsCheckingInterval: 100 }, app);
  answerProtocolErrorsAsJson(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

test('headers that never finish: 408 request_timeout as JSON', async () => {
  const answer = await rawHttp(port, 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
  expect(answer.status).toBe(408);
  expect(JSON.parse(answer.body)).toEqual({ error: 'request_timeout', message: expect.any(String) });
  expect(answer.body).toMatch(/}\n$/); // like every JSON answer: curl's prompt starts on a new line
});

test('a body that never finishes: 408 request_timeout as JSON', async () => {
  const answer = await rawHttp(port, 'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"a":');
  expect(answer.status).toBe(408);
  expect(JSON.parse(answer.body)).toEqual({ error: 'request_timeout', message: expect.any(String) });
});

test('a well-formed request is untouched', async () => {
  const answer = await rawHttp(port, 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
  expect([answer.status, answer.body]).toEqual([200, '{"ok":true}\n']);
});
