import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServiceClient, ServiceBadAnswer, ServiceTimeout, ServiceUnavailable, type ServiceClientOptions } from '../src/service-client';

// A real HTTP server stands in for the service called: it records what arrived and answers
// as each test asks. 'hang' never answers (the deadline is the only way out, at any speed);
// 'endless' streams a body of 1 GiB, as fast as the client reads it.
type Reply = { status: number; body?: string; headers?: Record<string, string> } | 'hang' | 'reset' | 'endless';

let server: Server;
let baseUrl: string;
let reply: Reply;
let script: Reply[];
const arrived: { method: string; url: string; headers: Record<string, unknown> }[] = [];
/** Bytes of the endless body the stand-in managed to write before the client went away. */
let endlessWritten = 0;
const GIB = 1024 ** 3;

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    arrived.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    const next = script.shift() ?? reply;
    if (next === 'hang') return;
    if (next === 'reset') return void req.socket.resetAndDestroy();
    if (next === 'endless') return streamGibibyte(res);
    res.writeHead(next.status, next.headers).end(next.body ?? '{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  reply = { status: 200 };
  script = [];
  arrived.length = 0;
});

/** 200 with a chunked body of 1 GiB, written only as fast as the client takes it. */
function streamGibibyte(res: import('node:http').ServerResponse): void {
  const chunk = Buffer.alloc(64 * 1024, 'x');
  res.writeHead(200, { 'content-type': 'application/json' });
  const write = (): void => {
    while (endlessWritten < GIB) {
      endlessWritten += chunk.length;
      if (!res.write(chunk)) return void res.once('drain', write);
    }
    res.end();
  };
  res.on('close', () => res.removeAllListeners('drain'));
  write();
}

const client = (options: Partial<ServiceClientOptions> = {}) => createServiceClient({ name: 'stand-in', baseUrl, token: undefined, timeoutMs: 10_000, maxConnections: 4, ...options });
const fast = { retries: 2, backoffMs: 1, maxBackoffMs: 5 };

describe('the answer size limit', () => {
  test('a 1 GiB answer: each call fails as a bad answer, the stream is destroyed, and memory stays flat', async () => {
    reply = 'endless';
    const calls = client({ maxAnswerBytes: 16 * 1024 });
    const before = process.memoryUsage().rss;
    for (let i = 0; i < 14; i++) {
      endlessWritten = 0;
      const call = calls.call('stream', 'GET', '/endless', { retry: true });
      await expect(call).rejects.toThrow(new ServiceBadAnswer('the stand-in answered GET /endless with more than 16384 bytes; the answer was not read'));
      // What the kernel's buffers held when the socket was destroyed, not the gibibyte.
      expect(endlessWritten).toBeLessThan(64 * 1024 * 1024);
    }
    expect(arrived).toHaveLength(14); // a bad answer is not retried
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * 1024 * 1024);
    await calls.close();
  });

  test('an answer within the limit is read whole', async () => {
    reply = { status: 200, body: 'x'.repeat(1000) };
    const calls = client({ maxAnswerBytes: 1000 });
    await expect(calls.call('small', 'GET', '/')).resolves.toMatchObject({ status: 200, body: 'x'.repeat(1000) });
    await calls.close();
  });
});

describe('one deadline over every attempt', () => {
  test('no answer within timeoutMs: ServiceTimeout', async () => {
    reply = 'hang';
    const calls = client({ timeoutMs: 200 });
    await expect(calls.call('slow', 'GET', '/')).rejects.toBeInstanceOf(ServiceTimeout);
    await calls.close();
  });

  test('no retry starts when its backoff would end after the deadline', async () => {
    reply = { status: 503 };
    const calls = client({ retries: 5, backoffMs: 60_000, maxBackoffMs: 60_000 });
    await expect(calls.call('busy', 'GET', '/', { retry: true })).resolves.toMatchObject({ status: 503 });
    expect(arrived).toHaveLength(1);
    await calls.close();
  });

  test('a first attempt that uses up the deadline: ServiceTimeout, no second attempt', async () => {
    reply = 'hang';
    const calls = client({ timeoutMs: 300, ...fast });
    await expect(calls.call('slow', 'GET', '/', { retry: true })).rejects.toBeInstanceOf(ServiceTimeout);
    expect(arrived.length).toBeLessThanOrEqual(1);
    await calls.close();
  });
});

describe('retries, only where the caller says a call is safe to repeat', () => {
  test.each<[string, Reply, boolean, number | 'unavailable', number]>([
    ['a 503, repeatable, is sent again', { status: 503 }, true, 200, 2],
    ['a reset, repeatable, is sent again', 'reset', true, 200, 2],
    ['a 503, not repeatable, is the answer', { status: 503 }, false, 503, 1],
    ['a reset, not repeatable, is ServiceUnavailable', 'reset', false, 'unavailable', 1],
  ])('%s', async (_case, first, retry, outcome, attempts) => {
    script = [first];
    const calls = client(fast);
    const call = calls.call('op', 'POST', '/', { retry, json: { a: 1 } });
    if (outcome === 'unavailable') await expect(call).rejects.toBeInstanceOf(ServiceUnavailable);
    else await expect(call).resolves.toMatchObject({ status: outcome });
    expect(arrived).toHaveLength(attempts);
    await calls.close();
  });

  test('nothing listening: ServiceUnavailable naming the system error, never the URL', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const calls = createServiceClient({ name: 'stand-in', baseUrl: `http://127.0.0.1:${port}`, token: undefined, timeoutMs: 10_000, maxConnections: 1 });
    await expect(calls.call('op', 'GET', '/')).rejects.toThrow(new ServiceUnavailable('the stand-in could not be reached (ECONNREFUSED)'));
    await calls.close();
  });
});

describe('what every call carries', () => {
  test('the bearer token, JSON content type, encoded query values; Retry-After as seconds', async () => {
    reply = { status: 429, headers: { 'retry-after': '42' } };
    const calls = client({ token: 'a-service-token-0123456789' });
    const answer = await calls.call('op', 'POST', '/pick', { query: { name: 'vegemite&quantity=-1000' }, json: {} });
    expect(answer).toMatchObject({ status: 429, retryAfter: 42 });
    expect(arrived[0]).toMatchObject({ url: '/pick?name=vegemite%26quantity%3D-1000', headers: { authorization: 'Bearer a-service-token-0123456789', 'content-type': 'application/json' } });
    await calls.close();
  });

  test.each(['Wed, 21 Oct 2037 07:28:00 GMT', '1.5', '-1', ''])('a Retry-After of %j is not passed on', async (value) => {
    reply = { status: 429, headers: { 'retry-after': value } };
    const calls = client();
    await expect(calls.call('op', 'GET', '/')).resolves.toMatchObject({ retryAfter: undefined });
    await calls.close();
  });
});
