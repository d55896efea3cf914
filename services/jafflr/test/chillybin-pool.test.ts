import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { spawnProcess, startService, stopAllProcesses, waitFor, type RunningService } from '@toasties/testkit';

// jafflr's connections to the chillybin are bounded by CHILLYBIN_MAX_CONNECTIONS. A real jafflr
// process against a stand-in chillybin in this test that HOLDS every pick until the test lets
// go: whatever the machine's speed, every toastie is then in flight at once, and the stand-in
// counts the TCP connections open to it. No clock is read: the held picks are released only
// once jafflr says every toastie has started (GET / inProgress) and the held count has stopped
// growing past the bound it should keep.

const main = join(__dirname, '..', 'dist', 'main.js');
const TOASTIES = 40;
const LIMIT = 4;

let standIn: Server;
let standInUrl: string;
let open = 0;
let peak = 0;
/** The picks the stand-in has not answered yet. */
const held: { req: IncomingMessage; res: ServerResponse }[] = [];
let holding = true;

function answer(req: IncomingMessage, res: ServerResponse) {
  const created = req.url === '/v2/pick';
  res.writeHead(created ? 201 : 200, { 'content-type': 'application/json' }).end(created ? JSON.stringify({ order: { id: 'o-1', customer: 'c', items: [], createdAt: '2026-12-06T08:00:00.000Z' } }) : '{}');
}

beforeAll(async () => {
  standIn = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.url === '/health' || !holding) return answer(req, res);
      const pick = { req, res };
      held.push(pick);
      res.on('close', () => {
        const at = held.indexOf(pick);
        if (at >= 0) held.splice(at, 1);
      });
    });
  });
  standIn.on('connection', (socket) => {
    open += 1;
    peak = Math.max(peak, open);
    socket.on('close', () => (open -= 1));
  });
  await new Promise<void>((resolve) => standIn.listen(0, '127.0.0.1', resolve));
  standInUrl = `http://127.0.0.1:${(standIn.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await stopAllProcesses();
  standIn.closeAllConnections();
  await new Promise((resolve) => standIn.close(resolve));
});

async function inProgress(jafflr: RunningService): Promise<number> {
  return ((await (await fetch(`${jafflr.url}/`)).json()) as { inProgress: number }).inProgress;
}

describe('jafflr keeps at most CHILLYBIN_MAX_CONNECTIONS connections to a slow chillybin', () => {
  test.each([
    ['v2', 'on'],
    ['v1', 'off'],
  ])('%s: 40 toasties in flight, all held by the chillybin, open on 4 connections; every toastie is made once let go', async (_api, flag) => {
    const jafflr = await startService(main, {
      WORKERS: '0',
      CHILLYBIN_URL: standInUrl,
      CHILLYBIN_MAX_CONNECTIONS: String(LIMIT),
      CHILLYBIN_TIMEOUT_MS: '600000', // the deadline is not what is tested: nothing may time out
      COOK_TIME_SCALE: '0',
      FLAG_PICK_V2: flag,
    });
    holding = true;
    peak = open;
    const toasties = Array.from({ length: TOASTIES }, () => fetch(`${jafflr.url}/toastie?i=cheese&customer=gita`, { method: 'POST' }));
    // Every toastie has reached the client (each waits on a held pick or for a connection)…
    await waitFor(async () => (await inProgress(jafflr)) === TOASTIES, { timeoutMs: 60_000, what: `${TOASTIES} toasties in progress` });
    // …and the chillybin holds as many picks as jafflr may send at once (more would be the bug).
    await waitFor(() => held.length >= LIMIT, { timeoutMs: 60_000, what: `${LIMIT} picks held` });
    expect(held.length).toBe(LIMIT);
    expect(peak).toBeLessThanOrEqual(LIMIT);

    holding = false;
    for (const { req, res } of [...held]) answer(req, res);
    const statuses = await Promise.all(toasties.map(async (toastie) => (await toastie).status));
    expect(statuses).toEqual(Array(TOASTIES).fill(200));
    // Over the whole run, the queued picks reused those connections rather than opening more.
    expect(peak).toBeLessThanOrEqual(LIMIT);
    await jafflr.stop('SIGTERM');
  });
});

describe('CHILLYBIN_MAX_CONNECTIONS is a setting like any other', () => {
  test.each(['0', '64.0', ' 8', '1e2', '0x10', '-1', '1025'])('%j prints one config line naming it and jafflr exits 1', async (value) => {
    const proc = spawnProcess(process.execPath, [main], { PORT: '0', CHILLYBIN_MAX_CONNECTIONS: value });
    expect(await proc.waitForExit()).toEqual({ code: 1, signal: null });
    expect(proc.output().trim().split('\n')).toEqual([expect.stringMatching(/^config error: CHILLYBIN_MAX_CONNECTIONS: must be a whole number from 1 to 1024/)]);
  });
});
