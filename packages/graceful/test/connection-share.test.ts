import { rmSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { join } from 'node:path';
import { stopAllProcesses, tempDir, waitFor } from '@toasties/testkit';
import { get, startHeldPortServer } from './held-port';

// Keep-alive clients keep the worker they were given, so a worker that took most of the connections
// (while the other one was busy, or while its new neighbour was starting) would keep them for good.
// The primary tells it its share, it closes the surplus with `Connection: close`, and those clients'
// new connections go to the worker holding fewest.

const CONNECTIONS = 20;
const EVEN_ENOUGH = CONNECTIONS / 2 - 3;

afterAll(stopAllProcesses);

const byWorker = (answers: readonly string[]) => answers.reduce((tally, answer) => tally.set(answer, (tally.get(answer) ?? 0) + 1), new Map<string, number>());

/** The same clients asking all at once, on the connections they hold (or new ones, where a worker closed one): who answered. */
async function round(port: number, agent: Agent, failed: unknown[]): Promise<Map<string, number>> {
  const answers = await Promise.all(Array.from({ length: CONNECTIONS }, () => get(port, { agent }).catch((error: unknown) => void failed.push(error))));
  return byWorker(answers.filter((answer): answer is string => answer !== undefined));
}

/** Two workers answered (a crashed one answers nothing), each on EVEN_ENOUGH or more of the connections. */
const even = (split: Map<string, number>) => split.size === 2 && Math.min(...split.values()) >= EVEN_ENOUGH;

test('connections piled on one worker while the other was busy spread out over both, and no request fails', async () => {
  const { server, port } = await startHeldPortServer();
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const failed: unknown[] = [];
  try {
    const release = join(tempDir('connection-share'), 'release');
    const busy = await get(port, { path: `/block?until=${encodeURIComponent(release)}` });
    const opening: string[] = [];
    const opened = Array.from({ length: CONNECTIONS }, () => get(port, { agent }).then((answer) => void opening.push(answer), (error: unknown) => void failed.push(error)));
    try {
      await waitFor(() => opening.length >= CONNECTIONS - 1, { timeoutMs: 30_000, what: 'the connections opened on the free worker' });
    } finally {
      writeFileSync(release, '');
    }
    await Promise.all(opened);
    expect(byWorker(opening).get(busy) ?? 0).toBeLessThanOrEqual(1);

    await waitFor(async () => even(await round(port, agent, failed)), { timeoutMs: 30_000, what: `both workers holding ${EVEN_ENOUGH} or more of the ${CONNECTIONS} connections` });
    expect(failed).toEqual([]);
  } finally {
    agent.destroy();
  }
  await server.stop('SIGTERM');
}, 120_000);

test("a crashed worker's replacement gets its share of the connections the survivor took meanwhile", async () => {
  const gate = join(tempDir('connection-share'), 'start');
  writeFileSync(gate, '');
  const { server, port } = await startHeldPortServer({ START_GATE_FILE: gate });
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const failed: unknown[] = [];
  try {
    const [crashed] = [...(await round(port, agent, failed)).keys()];
    // Its replacement waits at the gate: every client of the crashed worker connects again to the survivor.
    rmSync(gate);
    process.kill(Number(/\d+$/.exec(crashed!)![0]), 'SIGKILL');
    let survivor = '';
    await waitFor(
      async () => {
        const split = await round(port, agent, failed);
        survivor = [...split.keys()][0] ?? '';
        return split.size === 1 && survivor !== crashed && split.get(survivor) === CONNECTIONS;
      },
      { timeoutMs: 30_000, what: `the survivor answering on all ${CONNECTIONS} connections` },
    );
    failed.length = 0; // what the crash cut off; from here on nothing may fail

    writeFileSync(gate, '');
    await waitFor(
      async () => {
        const split = await round(port, agent, failed);
        return split.has(survivor) && even(split);
      },
      { timeoutMs: 30_000, what: `the survivor and the replacement holding ${EVEN_ENOUGH} or more of the ${CONNECTIONS} connections each` },
    );
    expect(failed).toEqual([]);
  } finally {
    agent.destroy();
  }
  await server.stop('SIGTERM');
}, 120_000);

test('beside a worker of an earlier release, which says nothing of its connections, nobody is told a share', async () => {
  const { server, port } = await startHeldPortServer({ FIRST_WORKER_SAYS_NO_COUNT: '1' });
  const earlier = `hello from ${(JSON.parse(await server.waitForLine(/"msg":"says no count"/)) as { pid: number }).pid}`;
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const failed: unknown[] = [];
  const releases = tempDir('connection-share');
  let release = '';
  try {
    // Hold the earlier worker busy (a block landing on the other one is let go at once), so the other takes the connections.
    await waitFor(
      async () => {
        release = join(releases, `release-${Math.random()}`);
        if ((await get(port, { path: `/block?until=${encodeURIComponent(release)}` })) === earlier) return true;
        writeFileSync(release, '');
        return false;
      },
      { timeoutMs: 30_000, what: 'a block on the earlier worker' },
    );
    const opening: string[] = [];
    const opened = Array.from({ length: CONNECTIONS }, () => get(port, { agent }).then((answer) => void opening.push(answer), (error: unknown) => void failed.push(error)));
    try {
      await waitFor(() => opening.length >= CONNECTIONS - 1, { timeoutMs: 30_000, what: 'the connections opened on the other worker' });
    } finally {
      writeFileSync(release, '');
    }
    await Promise.all(opened);
    // Reckoned as holding none, the earlier worker would draw the others' connections to itself, round after round.
    let split = new Map<string, number>();
    for (let i = 0; i < 5; i++) split = await round(port, agent, failed);
    expect(split.get(earlier) ?? 0).toBeLessThanOrEqual(1);
    expect(failed).toEqual([]);
  } finally {
    agent.destroy();
  }
  await server.stop('SIGTERM');
}, 120_000);
