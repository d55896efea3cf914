import { writeFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { join } from 'node:path';
import { LOG_MESSAGES } from '@toasties/contract';
import { logLine, spawnProcess, stopAllProcesses, tempDir, waitFor } from '@toasties/testkit';
import { get } from './get';

// Keep-alive clients keep the worker they were given, so a worker that took most of the connections
// (here: while the other one was busy; in production: while its new neighbour was starting) would
// keep them for good. The primary tells it its share, it closes the surplus with `Connection: close`,
// and those clients' new connections go to the worker holding fewest.

const fixture = join(__dirname, 'fixtures', 'held-port-server.js');
const CONNECTIONS = 20;

afterAll(stopAllProcesses);

const byWorker = (answers: readonly string[]) => answers.reduce((tally, answer) => tally.set(answer, (tally.get(answer) ?? 0) + 1), new Map<string, number>());

test('connections piled on one worker spread out over both, and no request fails', async () => {
  const server = spawnProcess(process.execPath, [fixture]);
  const { port } = JSON.parse(await server.waitForLine(logLine(LOG_MESSAGES.listening))) as { port: number };
  await waitFor(() => server.output().split('"msg":"worker ready"').length - 1 === 2, { what: 'both workers ready' });
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  try {
    // One worker busy while the connections open: the other takes all of them but perhaps one.
    const release = join(tempDir('connection-share'), 'release');
    const busy = await get(port, { path: `/block?until=${encodeURIComponent(release)}` });
    const opening: string[] = [];
    const opened = Array.from({ length: CONNECTIONS }, () => get(port, { agent }).then((answer) => opening.push(answer)));
    try {
      await waitFor(() => opening.length >= CONNECTIONS - 1, { timeoutMs: 30_000, what: 'the connections opened on the free worker' });
    } finally {
      writeFileSync(release, '');
    }
    await Promise.all(opened);
    expect(byWorker(opening).get(busy) ?? 0).toBeLessThanOrEqual(1);

    // The same clients go on asking, all at once, on the connections they hold (or new ones, where
    // a worker closed one).
    const failed: unknown[] = [];
    await waitFor(
      async () => {
        const answers = await Promise.all(Array.from({ length: CONNECTIONS }, () => get(port, { agent }).catch((error: unknown) => void failed.push(error))));
        const split = byWorker(answers.filter((answer) => answer !== undefined));
        return split.size === 2 && Math.min(...split.values()) >= CONNECTIONS / 2 - 3;
      },
      { timeoutMs: 30_000, what: `both workers holding ${CONNECTIONS / 2 - 3} or more of the ${CONNECTIONS} connections` },
    );
    expect(failed).toEqual([]);
  } finally {
    agent.destroy();
  }
  await server.stop('SIGTERM');
}, 120_000);
