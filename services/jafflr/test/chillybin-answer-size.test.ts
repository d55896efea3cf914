import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { createChillybinClient } from '../src/chillybin-client';
import { buildJafflr } from './build';

// A stand-in chillybin that answers every pick with 200 and a body of 1 GiB, streamed as fast
// as jafflr reads it. jafflr's client stops reading past its answer limit: the toastie is a
// clear 503 naming the cause, and the worker's memory does not follow the stream.

const GIB = 1024 ** 3;
let standIn: Server;
let baseUrl: string;

function endless(res: ServerResponse): void {
  const chunk = Buffer.alloc(64 * 1024, 'x');
  let written = 0;
  res.writeHead(200, { 'content-type': 'application/json' });
  const write = (): void => {
    while (written < GIB) {
      written += chunk.length;
      if (!res.write(chunk)) return void res.once('drain', write);
    }
    res.end();
  };
  write();
}

beforeAll(async () => {
  standIn = createServer((req, res) => {
    req.resume();
    endless(res);
  });
  await new Promise<void>((resolve) => standIn.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(standIn.address() as AddressInfo).port}`;
});
afterAll(() => {
  standIn.closeAllConnections();
  return new Promise((resolve) => standIn.close(resolve));
});

describe('POST /toastie when the chillybin answers with 1 GiB', () => {
  test('then each toastie is 503 chillybin_unavailable saying the answer was too large, and memory stays flat', async () => {
    const chillybin = createChillybinClient({ baseUrl, serviceToken: undefined, timeoutMs: 10_000, maxConnections: 4 });
    const { app } = buildJafflr(chillybin);
    const before = process.memoryUsage().rss;
    for (let i = 0; i < 14; i++) {
      const res = await request(app).post('/toastie').send({ i: ['cheese'] });
      expect([res.status, res.body.error]).toEqual([503, 'chillybin_unavailable']);
      expect(res.body.message).toMatch(/^the chillybin answered POST \/pick with more than \d+ bytes; the answer was not read$/);
    }
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * 1024 * 1024);
    await chillybin.close();
  });
});
