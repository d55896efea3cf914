import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KeyReused, OutOfStock } from '@toasties/contract';
import { ChillybinTimeout, ChillybinOutcomeUnknown, ChillybinUnavailable, createChillybinClient, type ChillybinClientOptions } from '../src/chillybin-client';

// A real HTTP server standing in for the chillybin at the edge of this unit test: it
// records what arrived and answers with the status the test asks for.
let server: Server;
let baseUrl: string;
const received: URL[] = [];
const requests: { method: string; headers: Record<string, unknown>; body: string }[] = [];
// 'hang' never answers: the client's deadline is then the only way out, at any machine speed.
type Answer = { status: number; body?: string; headers?: Record<string, string> } | 'reset' | 'hang';
let answer: Answer = { status: 200 };
/** Answers for the next requests, in order; once used up, `answer` again. */
let script: Answer[] = [];

beforeAll(async () => {
  server = createServer(async (req, res) => {
    received.push(new URL(req.url ?? '/', 'http://chillybin'));
    const next = script.shift() ?? answer;
    if (next === 'hang') return; // closed by the client at its deadline, or by afterAll
    let body = '';
    for await (const chunk of req) body += String(chunk);
    requests.push({ method: req.method ?? '', headers: req.headers, body });
    if (next === 'reset') return void req.socket.resetAndDestroy();
    res.writeHead(next.status, next.headers).end(next.body ?? 'body');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections(); // a hanging request may still be open
  return new Promise((resolve) => server.close(resolve));
});
/** The client as jafflr's worker builds it, over the stand-in; settings as the config's defaults would give. */
const clientWith = (options: Partial<ChillybinClientOptions> = {}) => createChillybinClient({ baseUrl, serviceToken: undefined, timeoutMs: 10_000, maxConnections: 4, ...options });

beforeEach(() => {
  received.length = 0;
  requests.length = 0;
  answer = { status: 200 };
  script = [];
});

describe('chillybin client pick', () => {
  test('sends one POST /pick with the name and quantity as single, encoded parameters', async () => {
    const client = clientWith();
    await client.pick('vegemite&quantity=-1000', 2);
    expect(received).toHaveLength(1);
    expect(received[0]!.pathname).toBe('/pick');
    expect(received[0]!.searchParams.getAll('name')).toEqual(['vegemite&quantity=-1000']);
    expect(received[0]!.searchParams.getAll('quantity')).toEqual(['2']);
    await client.close();
  });

  test.each([
    [410, OutOfStock],
    [500, ChillybinUnavailable],
    [503, ChillybinUnavailable],
    [400, ChillybinUnavailable],
  ])('when the chillybin answers %i, throws %p', async (status, expected) => {
    answer = { status };
    const client = clientWith();
    await expect(client.pick('cheese', 1)).rejects.toBeInstanceOf(expected);
    await client.close();
  });

  test('a 503 outcome_unknown is ChillybinOutcomeUnknown: the pick may have happened', async () => {
    answer = { status: 503, body: JSON.stringify({ error: 'outcome_unknown', message: 'it may have happened' }) };
    const client = clientWith();
    await expect(client.pick('cheese', 1)).rejects.toThrow(new ChillybinOutcomeUnknown('the chillybin could not tell whether a pick of cheese happened'));
    await client.close();
  });

  test('a 410 "gone" (v1 switched off) is ChillybinUnavailable, not OutOfStock', async () => {
    answer = { status: 410, body: JSON.stringify({ error: 'gone', message: 'v1 /pick has been removed' }) };
    const client = clientWith();
    await expect(client.pick('cheese', 1)).rejects.toThrow(new ChillybinUnavailable('the chillybin no longer serves v1 /pick; turn the pick.v2 flag on'));
    await client.close();
  });

  test('when the chillybin does not answer within the timeout, throws ChillybinTimeout', async () => {
    answer = 'hang';
    const client = clientWith({ timeoutMs: 200 });
    await expect(client.pick('cheese', 1)).rejects.toBeInstanceOf(ChillybinTimeout);
    await client.close();
  });

  test('when nothing listens, throws ChillybinUnavailable naming the cause', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const client = clientWith({ baseUrl: `http://127.0.0.1:${port}` });
    await expect(client.pick('cheese', 1)).rejects.toThrow(/ECONNREFUSED/);
    await client.close();
  });
});

describe('chillybin client pickOrder (v2)', () => {
  const items = [{ ingredient: 'cheese', quantity: 1 }, { ingredient: 'bread', quantity: 2 }];

  test('sends one POST /v2/pick with the customer, the items, the request fingerprint and a quoted Idempotency-Key; resolves with the order id', async () => {
    answer = { status: 201, body: JSON.stringify({ order: { id: '0f8fad5b-d9cb-469f-a165-70867728950e', customer: 'gita', items, createdAt: '2026-12-06T08:00:00.000Z' } }) };
    const client = clientWith();
    await expect(client.pickOrder('gita', items, 'key-1', 'sha256:f')).resolves.toEqual({ orderId: '0f8fad5b-d9cb-469f-a165-70867728950e', replayed: false });
    expect(received.map((url) => url.pathname)).toEqual(['/v2/pick']);
    expect(requests[0]).toMatchObject({ method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': '"key-1"' } });
    expect(JSON.parse(requests[0]!.body)).toEqual({ customer: 'gita', items, requestFingerprint: 'sha256:f' });
    await client.close();
  });

  test('an answer the chillybin replays (Idempotent-Replayed: true) says so', async () => {
    answer = { status: 201, headers: { 'idempotent-replayed': 'true' }, body: JSON.stringify({ order: { id: '0f8fad5b-d9cb-469f-a165-70867728950e', customer: 'gita', items, createdAt: '2026-12-06T08:00:00.000Z' } }) };
    const client = clientWith();
    await expect(client.pickOrder('gita', items, 'key-1', 'sha256:f')).resolves.toEqual({ orderId: '0f8fad5b-d9cb-469f-a165-70867728950e', replayed: true });
    await client.close();
  });

  test('a numeric order id (a chillybin before its public ids, during a rolling deploy) resolves as a string', async () => {
    answer = { status: 201, body: JSON.stringify({ order: { id: 7, customer: 'gita', items, createdAt: '2026-12-06T08:00:00.000Z' } }) };
    const client = clientWith();
    await expect(client.pickOrder('gita', items, 'key-old', 'sha256:f')).resolves.toEqual({ orderId: '7', replayed: false });
    await client.close();
  });

  test('a 422 idempotency_key_reused throws KeyReused (the key came before with another request; nothing was taken)', async () => {
    answer = { status: 422, body: JSON.stringify({ error: 'idempotency_key_reused', message: 'reused' }) };
    const client = clientWith();
    await expect(client.pickOrder('gita', items, 'key-1', 'sha256:f')).rejects.toBeInstanceOf(KeyReused);
    await client.close();
  });

  test.each([
    ['a 409 out_of_stock', 409, JSON.stringify({ error: 'out_of_stock', message: 'not enough ham', ingredient: 'ham' })],
    ['a 400 unknown_ingredient (as v1 answers 410 for one)', 400, JSON.stringify({ error: 'unknown_ingredient', message: 'the chillybin has no ham', ingredient: 'ham' })],
  ])('%s throws OutOfStock naming the ingredient', async (_case, status, body) => {
    answer = { status, body };
    const client = clientWith();
    await expect(client.pickOrder('gita', items, 'key-2', 'sha256:f')).rejects.toEqual(new OutOfStock('ham'));
    await client.close();
  });

  test.each([
    ['a 400', 400, JSON.stringify({ error: 'invalid_pick', message: 'bad' })],
    ['a 422 of another kind', 422, JSON.stringify({ error: 'unprocessable', message: 'no' })],
    ['a 201 without an order', 201, '{}'],
    ['a 409 that is not JSON', 409, 'conflict'],
    ['a 500', 500, 'oops'],
  ])('%s throws ChillybinUnavailable', async (_case, status, body) => {
    answer = { status, body };
    const client = clientWith();
    await expect(client.pickOrder('gita', items, 'key-3', 'sha256:f')).rejects.toBeInstanceOf(ChillybinUnavailable);
    await client.close();
  });
});

describe('chillybin client retries only what is safe to repeat', () => {
  const items = [{ ingredient: 'cheese', quantity: 1 }];
  const created = { status: 201, body: JSON.stringify({ order: { id: '7c9e6679-7425-40de-944b-e07fc1f90ae7', customer: 'gita', items, createdAt: '2026-12-06T08:00:00.000Z' } }) };

  test.each<[string, Answer]>([
    ['a 503', { status: 503 }],
    ['a connection reset', 'reset'],
  ])('a v1 pick that gets %s is sent once and never repeated (a repeat could take the cheese twice)', async (_case, first) => {
    script = [first];
    const client = clientWith();
    await expect(client.pick('cheese', 1)).rejects.toBeInstanceOf(ChillybinUnavailable);
    expect(requests).toHaveLength(1);
    await client.close();
  });

  test.each<[string, Answer]>([
    ['a 503', { status: 503 }],
    ['a 500', { status: 500 }],
    ['a connection reset', 'reset'],
  ])('a v2 pick that gets %s is repeated with the same Idempotency-Key and body, and resolves', async (_case, first) => {
    script = [first, created];
    const client = clientWith();
    await expect(client.pickOrder('gita', items, 'key-r', 'sha256:f')).resolves.toEqual({ orderId: '7c9e6679-7425-40de-944b-e07fc1f90ae7', replayed: false });
    expect(requests).toHaveLength(2);
    expect(requests.map((r) => [r.headers['idempotency-key'], r.body])).toEqual([
      ['"key-r"', JSON.stringify({ customer: 'gita', items, requestFingerprint: 'sha256:f' })],
      ['"key-r"', JSON.stringify({ customer: 'gita', items, requestFingerprint: 'sha256:f' })],
    ]);
    await client.close();
  });

  test('a v2 pick that keeps failing is tried 1 + retries times, then ChillybinUnavailable', async () => {
    answer = { status: 503 };
    const client = clientWith();
    await expect(client.pickOrder('gita', items, 'key-s', 'sha256:f')).rejects.toBeInstanceOf(ChillybinUnavailable);
    expect(requests).toHaveLength(3);
    await client.close();
  });

  test('a v2 out_of_stock is an answer, not a failure: it is not repeated', async () => {
    answer = { status: 409, body: JSON.stringify({ error: 'out_of_stock', message: 'no ham', ingredient: 'ham' }) };
    const client = clientWith();
    await expect(client.pickOrder('gita', items, 'key-t', 'sha256:f')).rejects.toEqual(new OutOfStock('ham'));
    expect(requests).toHaveLength(1);
    await client.close();
  });

  test('health is repeated after a 503 and resolves once the chillybin answers 200', async () => {
    script = [{ status: 503 }];
    const client = clientWith();
    await expect(client.health()).resolves.toBeUndefined();
    expect(requests.map((r) => r.method)).toEqual(['GET', 'GET']);
    await client.close();
  });
});

describe('a refusal with a Retry-After (the chillybin\'s rate limit, a busy database)', () => {
  test.each([
    ['a v1 pick', 429],
    ['a v1 pick', 503],
    ['a v2 order', 429],
  ])('%s answered %i with Retry-After: 42 is ChillybinUnavailable carrying 42 seconds', async (what, status) => {
    answer = { status, headers: { 'retry-after': '42' } };
    const client = clientWith();
    const call = what === 'a v1 pick' ? client.pick('cheese', 1) : client.pickOrder('gita', [{ ingredient: 'cheese', quantity: 1 }], 'k', 'sha256:f');
    await expect(call).rejects.toMatchObject({ constructor: ChillybinUnavailable, retryAfterSeconds: 42 });
    await client.close();
  });

  test.each(['Wed, 21 Oct 2037 07:28:00 GMT', '1.5', '-1', ''])('a Retry-After of %j is not passed on', async (value) => {
    answer = { status: 429, headers: { 'retry-after': value } };
    const client = clientWith();
    await expect(client.pick('cheese', 1)).rejects.toMatchObject({ retryAfterSeconds: undefined });
    await client.close();
  });
});

describe('SERVICE_TOKEN', () => {
  test('set, every call carries Authorization: Bearer <it>; unset, none does', async () => {
    const withToken = clientWith({ serviceToken: 'a-service-token-0123456789' });
    await withToken.pick('cheese', 1);
    await withToken.pickOrder('gita', [{ ingredient: 'cheese', quantity: 1 }], 'k', 'sha256:f').catch(() => undefined);
    await withToken.health();
    expect(requests.map((request) => request.headers.authorization)).toEqual(Array(3).fill('Bearer a-service-token-0123456789'));
    await withToken.close();

    requests.length = 0;
    const without = clientWith();
    await without.pick('cheese', 1);
    expect(requests[0]!.headers.authorization).toBeUndefined();
    await without.close();
  });
});
