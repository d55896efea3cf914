import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFaultProxy, type FaultProxy } from '../src/fault-proxy';

let upstream: Server;
let proxy: FaultProxy;
let hits = 0;

beforeAll(async () => {
  upstream = createServer((_req, res) => {
    hits += 1;
    res.end('x'.repeat(1000));
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  proxy = await createFaultProxy({ host: '127.0.0.1', port: (upstream.address() as AddressInfo).port });
});
afterAll(async () => {
  await proxy.close();
  upstream.closeAllConnections();
  await new Promise((resolve) => upstream.close(resolve));
});

const get = () => fetch(proxy.url, { signal: AbortSignal.timeout(2000) }).then(async (res) => ({ status: res.status, length: (await res.text()).length }));

describe('fault proxy', () => {
  test('pass forwards untouched', async () => {
    proxy.set({ mode: 'pass' });
    await expect(get()).resolves.toEqual({ status: 200, length: 1000 });
  });

  test('error answers 503 itself, never reaching the upstream', async () => {
    proxy.set({ mode: 'error' });
    const before = hits;
    await expect(get()).resolves.toMatchObject({ status: 503 });
    expect(hits).toBe(before);
  });

  test.each(['refuse', 'reset'] as const)('%s makes the request fail', async (mode) => {
    proxy.set({ mode });
    await expect(get()).rejects.toThrow();
  });

  test('delay holds the request back', async () => {
    proxy.set({ mode: 'delay', delayMs: 3000 });
    await expect(get()).rejects.toThrow(/timeout|aborted/i);
  });
});
