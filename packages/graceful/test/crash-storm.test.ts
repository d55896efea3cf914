import { request } from 'node:http';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { descendantsOf, spawnProcess, stopAllProcesses, waitFor } from '@toasties/testkit';

// SIGKILL every worker of a clustered server every 200 ms, 30 times, while clients keep
// opening new connections to it. The primary holds the port the whole time: no connection is
// ever refused, and every request gets an HTTP answer, from a worker (200) or, while none
// serves, from the primary itself (503 no_workers, Retry-After).

const fixture = join(__dirname, 'fixtures', 'held-port-server.js');
const KILLS = 30;
const KILL_EVERY_MS = 200; // the storm's own pace (what an OOM killer or a crash loop does), not a wait for something
const CLIENTS = 4;

afterAll(stopAllProcesses);

/** One request on a connection of its own: its status, or the error code of what went wrong. */
function once(port: number): Promise<number | string> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    req.setTimeout(30_000, () => req.destroy(Object.assign(new Error('no answer'), { code: 'NO_ANSWER' })));
    req.end();
  });
}

test(`a crash storm (every worker SIGKILLed ${KILLS} times): no connection refused, every request answered`, async () => {
  const server = spawnProcess(process.execPath, [fixture]);
  const { port } = JSON.parse(await server.waitForLine(/"msg":"primary started"/)) as { port: number };
  await waitFor(async () => (await once(port)) === 200, { timeoutMs: 60_000, what: 'a worker to answer' });

  const outcomes: Array<number | string> = [];
  let storming = true;
  const clients = Array.from({ length: CLIENTS }, async () => {
    while (storming) outcomes.push(await once(port));
  });
  for (let kill = 0; kill < KILLS; kill++) {
    for (const pid of descendantsOf(server.pid)) process.kill(pid, 'SIGKILL');
    await sleep(KILL_EVERY_MS);
  }
  storming = false;
  await Promise.all(clients);

  const tally = outcomes.reduce<Record<string, number>>((counts, outcome) => ({ ...counts, [outcome]: (counts[outcome] ?? 0) + 1 }), {});
  expect(Object.keys(tally).filter((outcome) => outcome !== '200' && outcome !== '503')).toEqual([]); // no ECONNREFUSED, no reset
  expect(tally['503']).toBeGreaterThan(0); // the storm did leave the primary alone at times
  await waitFor(async () => (await once(port)) === 200, { timeoutMs: 60_000, what: 'a worker to serve again after the storm' });
  await expect(server.stop('SIGTERM')).resolves.toMatchObject({ code: expect.any(Number) });
}, 180_000);
