import { rmSync } from 'node:fs';
import { request } from 'node:http';
import { dirname } from 'node:path';
import { freePort, freshDatabasePath, isAlive, spawnProcess, startService, stopAllProcesses, waitFor, type RunningService } from '@toasties/testkit';
import { chillybinMain, jafflrMain, startStack, stockOf, type Stack } from './services';

// The process model on real processes: a primary and two workers. What one worker knows
// is not what the service knows, a worker can be stopped or orphaned, and an address that
// cannot be listened on is a configuration error, not a crash to retry forever.

/** Worker pids this file saw; afterAll kills any still alive (an orphan has no primary to stop it). */
const workersSeen = new Set<number>();
const databases: string[] = [];
const databasePath = () => {
  databases.push(freshDatabasePath('process-model'));
  return databases.at(-1)!;
};
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ WORKERS: '2' }, { DATABASE_PATH: databasePath() });
  await clusterWorkers(stack.jafflr);
});
afterAll(async () => {
  for (const pid of workersSeen) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  await stopAllProcesses();
  for (const path of databases) rmSync(dirname(path), { recursive: true, force: true });
});

/** The two workers serving, from /health (as announced by the primary). */
async function clusterWorkers(service: RunningService): Promise<number[]> {
  const pids = await waitFor(async () => {
    const health = (await (await fetch(`${service.url}/health`)).json()) as { workers?: { pid: number }[] };
    return health.workers?.length === 2 ? health.workers.map((worker) => worker.pid) : undefined;
  }, { what: 'two workers serving' });
  for (const pid of pids) workersSeen.add(pid);
  return pids;
}

/**
 * One request on a connection of its own. The primary hands each new connection to the
 * next worker, so a series of these reaches every worker, which a pooled keep-alive
 * connection (fetch) would not.
 */
function freshRequest(url: string, method = 'GET', timeoutMs = 30_000): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent: false, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url} within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

describe('jafflr GET / with two workers', () => {
  test('after N toasties, every GET / says made=N, whichever worker answers', async () => {
    const made = 4;
    for (let i = 0; i < made; i++) expect((await freshRequest(`${stack.jafflr.url}/toastie?i=cheese`, 'POST')).status).toBe(200);

    const seen: number[] = [];
    for (let i = 0; i < 6; i++) seen.push((JSON.parse((await freshRequest(`${stack.jafflr.url}/`)).body) as { made: number }).made);

    expect(seen).toEqual(Array(6).fill(made));
  });
});

describe('cluster /metrics with one worker stopped (SIGSTOP)', () => {
  test('answers 200 with the other worker\'s metrics, and says which worker did not answer', async () => {
    const [stopped, answering] = await clusterWorkers(stack.jafflr);
    process.kill(stopped!, 'SIGSTOP');
    try {
      // The primary may hand one new connection to the stopped worker, which never takes it:
      // that one times out and the next goes to the worker still running.
      const res = await waitFor(() => freshRequest(`${stack.jafflr.url}/metrics`, 'GET', 8_000), { timeoutMs: 60_000, what: 'an answer to /metrics' });

      expect(res.status).toBe(200);
      expect(res.body).toMatch(/^up_ready 1$/m);
      expect(res.body).toMatch(/^http_requests_total\{method="POST",route="\/toastie",status_code="200",version="[^"]+"\} \d+$/m);
      expect(res.body).toContain(`cluster_worker_scrape_success{worker_pid="${answering}"} 1`);
      expect(res.body).toContain(`cluster_worker_scrape_success{worker_pid="${stopped}"} 0`);
      expect(res.body).toMatch(new RegExp(`^# worker ${stopped} did not answer`, 'm'));
    } finally {
      process.kill(stopped!, 'SIGCONT');
      process.kill(stopped!, 'SIGKILL');
    }
  });
});

describe('kill -9 of jafflr\'s primary while a toastie cooks', () => {
  test('the orphaned worker finishes the toastie (200, ingredients used), then every worker exits', async () => {
    const jafflr = await startService(jafflrMain, { CHILLYBIN_URL: stack.chillybin.url, WORKERS: '2', COOK_TIME_SCALE: '1' });
    const workers = await clusterWorkers(jafflr);
    const before = await stockOf(stack.chillybin);
    let answered = false;
    // medium = 2 s at scale 1: the kill lands while it cooks.
    const toastie = fetch(`${jafflr.url}/toastie?i=cheese&doneness=medium`, { method: 'POST' }).then(async (res) => {
      answered = true;
      return { status: res.status, body: (await res.json()) as unknown };
    });
    toastie.catch(() => undefined); // asserted below
    await waitFor(async () => (await stockOf(stack.chillybin)).cheese === before.cheese! - 1, { what: 'the ingredients to be picked' });
    expect(answered).toBe(false); // else the kill would not land on a toastie in flight

    process.kill(jafflr.pid, 'SIGKILL');
    await jafflr.waitForExit();

    await expect(toastie).resolves.toMatchObject({ status: 200, body: { toastie: { ingredients: ['cheese'], doneness: 'medium' } } });
    await waitFor(() => workers.every((pid) => !isAlive(pid)), { timeoutMs: 30_000, what: 'the orphaned workers to exit' });
    expect(await stockOf(stack.chillybin)).toMatchObject({ cheese: before.cheese! - 1, bread: before.bread! - 2 });
  });
});

describe('a worker that cannot listen', () => {
  test.each([
    ['jafflr', '192.0.2.1', jafflrMain], // TEST-NET-1: no interface here has it; binding sends nothing
    ['chillybin', 'no-such-host.invalid', chillybinMain], // .invalid never resolves (RFC 6761)
  ])('%s with HOST=%s: the primary exits 1 with one line naming the address, and starts no replacement', async (_name, host, main) => {
    const port = await freePort();
    const proc = spawnProcess(process.execPath, [main], { HOST: host, PORT: String(port), WORKERS: '2', LOG_FORMAT: 'json', DATABASE_PATH: databasePath() });

    expect(await proc.waitForExit(30_000)).toEqual({ code: 1, signal: null });
    const primaryLines = proc.output().split('\n').filter((line) => line.includes(`"pid":${proc.pid},`) && /cannot listen/.test(line));
    expect(primaryLines).toEqual([expect.stringContaining(`${host}:${port}`)]);
    expect(proc.output()).not.toMatch(/replacing it/);
  });
});
