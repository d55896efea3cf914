import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ChillybinTimeout, ChillybinUnavailable, createChillybinClient, OutOfStock } from '../src/chillybin-client';

// A real HTTP server standing in for the chillybin at the edge of this unit test: it
// records what arrived and answers with the status the test asks for.
let server: Server;
let baseUrl: string;
const received: URL[] = [];
let answer: { status: number; delayMs?: number } = { status: 200 };

beforeAll(async () => {
  server = createServer((req, res) => {
    received.push(new URL(req.url ?? '/', 'http://chillybin'));
    const timer = setTimeout(() => res.writeHead(answer.status).end('body'), answer.delayMs ?? 0);
    res.on('close', () => clearTimeout(timer));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections(); // the slow answer may still be pending
  return new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  received.length = 0;
  answer = { status: 200 };
});

describe('chillybin client pick', () => {
  test('sends one POST /pick with the name and quantity as single, encoded parameters', async () => {
    const client = createChillybinClient({ baseUrl, timeoutMs: 1000 });
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
    const client = createChillybinClient({ baseUrl, timeoutMs: 1000 });
    await expect(client.pick('cheese', 1)).rejects.toBeInstanceOf(expected);
    await client.close();
  });

  test('when the chillybin is slower than the timeout, throws ChillybinTimeout in about that time', async () => {
    answer = { status: 200, delayMs: 2000 };
    const client = createChillybinClient({ baseUrl, timeoutMs: 100 });
    const started = Date.now();
    await expect(client.pick('cheese', 1)).rejects.toBeInstanceOf(ChillybinTimeout);
    expect(Date.now() - started).toBeLessThan(1500);
    await client.close();
  });

  test('when nothing listens, throws ChillybinUnavailable naming the cause', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const client = createChillybinClient({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 1000 });
    await expect(client.pick('cheese', 1)).rejects.toThrow(/ECONNREFUSED/);
    await client.close();
  });
});
