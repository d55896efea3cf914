import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { replacementComplete, replacementStopped } from '@toasties/contract';
import { freshDatabasePath, logLine, reloadService, startService, stopAllProcesses, waitFor, type RunningService } from '@toasties/testkit';

// A real primary with two real workers; the "release" is a file each worker reads at start.
const fixture = join(__dirname, 'fixtures', 'cluster-server.js');

interface Health {
  version: string;
  pid: number;
  workers: { pid: number; version: string }[];
  reloading: boolean;
}

async function startCluster(version: string, env: NodeJS.ProcessEnv = {}) {
  const versionFile = freshDatabasePath('release').replace(/test\.db$/, 'VERSION');
  writeFileSync(versionFile, version);
  const server = await startService(fixture, { VERSION_FILE: versionFile, ...env });
  const release = (next: string) => writeFileSync(versionFile, next);
  await waitFor(async () => (await health(server)).workers.length === 2, { what: 'both workers to serve' });
  return { server, release };
}

/** A GATE_FILE for the fixture: replacements wait, ready for nothing, until `open()`. */
function gate() {
  const file = freshDatabasePath('gate').replace(/test\.db$/, 'open');
  return { GATE_FILE: file, open: () => writeFileSync(file, '') };
}

/** Bounded, so that the waitFor polling it keeps its own deadline even if one answer never comes. */
async function health(server: RunningService): Promise<Health> {
  return (await (await fetch(`${server.url}/health`, { signal: AbortSignal.timeout(10_000) })).json()) as Health;
}

/** Keep-alive load for a bounded time, with `during` run while it goes on. */
async function underLoad(server: RunningService, seconds: number, during: () => Promise<void>) {
  const load = autocannon({ url: `${server.url}/?ms=5`, connections: 20, duration: seconds });
  await during();
  const result = await load;
  return { requests: result.requests.total, errors: result.errors, non2xx: result.non2xx, timeouts: result.timeouts };
}

// The hang guard for the tests made only of bounded steps (start 60 s, both workers 30 s, the
// reload 60 s, its end 30 s): above their sum, so that on a loaded machine a slow step fails
// naming itself rather than as jest's timeout.
const STEPS_MS = 240_000;

afterAll(stopAllProcesses);

describe('a clustered service', () => {
  test('SIGHUP replaces every worker with the release on disk, and no request fails', async () => {
    // The replacements wait at the gate, so the reload lasts until the test has seen it announced.
    const { GATE_FILE, open } = gate();
    const { server, release } = await startCluster('v1', { GATE_FILE });
    const oldPids = (await health(server)).workers.map((w) => w.pid);

    const result = await underLoad(server, 4, async () => {
      await waitFor(async () => (await health(server)).version === 'v1');
      release('v2');
      server.child.kill('SIGHUP');
      await waitFor(async () => (await health(server)).reloading, { what: 'the reload to be announced' });
      open();
      await server.waitForLine(logLine(replacementComplete('reload')));
    });

    expect(result).toMatchObject({ errors: 0, non2xx: 0, timeouts: 0 });
    expect(result.requests).toBeGreaterThan(100);
    const after = await waitFor(async () => {
      const now = await health(server);
      return now.reloading ? undefined : now; // announced to the workers just after the log line
    });
    expect(after.workers.map((w) => w.version)).toEqual(['v2', 'v2']);
    expect(after.workers.map((w) => w.pid)).not.toEqual(expect.arrayContaining(oldPids));
  }, STEPS_MS);

  test('two at once: SIGHUP starts both replacements together; each old worker serves until they are ready', async () => {
    const { GATE_FILE, open } = gate();
    const { server, release } = await startCluster('v1', { RELOAD_AT_ONCE: '2', GATE_FILE });
    release('v2');
    server.child.kill('SIGHUP');
    // One at a time, the second replacement would be forked only once the first is ready.
    await waitFor(() => (server.output().match(/waiting for readiness before taking traffic/g) ?? []).length === 2, { what: 'two replacements waiting at once' });
    expect((await health(server)).workers.map((w) => w.version)).toEqual(['v1', 'v1']);
    open();
    await server.waitForLine(logLine(replacementComplete('reload')));
    expect((await health(server)).workers.map((w) => w.version)).toEqual(['v2', 'v2']);
  });

  test('one at a time (the default), a reload replaces every worker too', async () => {
    const { server, release } = await startCluster('v1', { RELOAD_AT_ONCE: '1' });
    release('v2');
    await reloadService(server);
    const after = await waitFor(
      async () => {
        const now = await health(server);
        return now.reloading ? undefined : now;
      },
      { what: 'the reload to end' },
    );
    expect(after.workers.map((w) => w.version)).toEqual(['v2', 'v2']);
  }, STEPS_MS);

  test('a release whose worker never becomes ready is not let in: the old workers keep serving', async () => {
    const { server, release } = await startCluster('v1', { READY_TIMEOUT_MS: '1000' });

    const result = await underLoad(server, 3, async () => {
      release('broken');
      server.child.kill('SIGHUP');
      await server.waitForLine(logLine(replacementStopped('reload')));
    });

    expect(result).toMatchObject({ errors: 0, non2xx: 0, timeouts: 0 });
    expect((await health(server)).workers.map((w) => w.version)).toEqual(['v1', 'v1']);
  });

  test('a worker killed with SIGKILL is replaced by the primary', async () => {
    const { server } = await startCluster('v1');
    const [victim] = (await health(server)).workers;
    process.kill(victim!.pid, 'SIGKILL');

    await waitFor(async () => {
      const { workers } = await health(server);
      return workers.length === 2 && !workers.some((w) => w.pid === victim!.pid);
    }, { what: 'a replacement worker' });
    expect(server.output()).toMatch(/worker died; replacing it/);
  });

  test('SIGUSR2 puts one worker (a canary) on the new release beside the old one', async () => {
    const { server, release } = await startCluster('v1');
    release('v2');
    server.child.kill('SIGUSR2');
    await server.waitForLine(/canary complete/);
    expect((await health(server)).workers.map((w) => w.version).sort()).toEqual(['v1', 'v2']);
  });

  test('SIGTERM right after a reload lets an old worker still draining finish: its request is answered, exit 0', async () => {
    const { server, release } = await startCluster('v1');
    // A slow request on an old worker: the reload completes while that worker still drains it.
    const slow = fetch(`${server.url}/?ms=8000`).then(async (res) => ({ status: res.status, body: await res.text() }));
    slow.catch(() => undefined); // asserted below
    release('v2');
    await reloadService(server);
    await expect(server.stop('SIGTERM')).resolves.toEqual({ code: 0, signal: null }); // no second SIGTERM to a worker already draining
    await expect(slow).resolves.toEqual({ status: 200, body: 'hello from v1' });
  });

  test('SIGTERM drains every worker and the primary exits 0', async () => {
    const { server } = await startCluster('v1');
    await expect(server.stop('SIGTERM')).resolves.toEqual({ code: 0, signal: null });
    expect(server.output()).toMatch(/"codes":\[0,0\]/);
  });
});
