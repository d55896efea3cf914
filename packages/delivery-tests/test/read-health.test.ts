import { join } from 'node:path';
import type { Liveness } from '@toasties/contract';
import { freshDatabasePath, startService, stopAllProcesses, waitFor, type RunningService } from '@toasties/testkit';
import { repoRoot, run } from './support/run';

// scripts/lib/read-health.mjs: the one reader of /health for the shell scripts (smoke.sh,
// lib/release.sh). The bodies below are typed with the contract's Liveness, so a change of
// the shape fails to compile here before it can fail a deploy; the last tests read a real one.
const reader = join(repoRoot, 'scripts/lib/read-health.mjs');
const read = (...args: string[]) => run(process.execPath, [reader, ...args]);

const cluster: Liveness = { status: 'ok', service: 'jafflr', version: 'b2', uptimeSeconds: 3, workers: [{ pid: 11, version: 'a1' }, { pid: 12, version: 'b2' }], reloading: false };
const lone: Liveness = { status: 'ok', service: 'chillybin', version: 'c3', uptimeSeconds: 1 };

describe('read-health.mjs versions <body>', () => {
  test('prints the release of every worker serving, one a line', () => {
    expect(read('versions', JSON.stringify(cluster))).toMatchObject({ status: 0, stdout: 'a1\nb2\n' });
  });

  test('a lone process (no workers list) is its own version', () => {
    expect(read('versions', JSON.stringify(lone))).toMatchObject({ status: 0, stdout: 'c3\n' });
  });

  test('while a reload is under way it answers nothing and exits 1: a half-done reload is not done', () => {
    const reloading: Liveness = { ...cluster, reloading: true };
    expect(read('versions', JSON.stringify(reloading))).toMatchObject({ status: 1, stdout: '', stderr: 'jafflr is reloading\n' });
  });
});

describe('read-health.mjs check <body> [version]', () => {
  test('healthy, at the expected version or any', () => {
    expect(read('check', JSON.stringify(cluster), 'b2')).toMatchObject({ status: 0, stdout: 'jafflr b2 is healthy\n' });
    expect(read('check', JSON.stringify(lone))).toMatchObject({ status: 0, stdout: 'chillybin c3 is healthy\n' });
  });

  test.each<[string, string, string]>([
    ['another version', JSON.stringify(cluster), 'version is b2, expected d4\n'],
    ['a status other than ok', JSON.stringify({ ...lone, status: 'starting' }), 'status is starting\n'],
    ['not JSON (a proxy’s error page)', '<html>bad gateway</html>', 'not JSON: <html>bad gateway</html>\n'],
    ['JSON that is not /health', '{"error":"not_found"}', 'not a /health answer: {"error":"not_found"}\n'],
  ])('%s: exit 1, one line saying why, no stack trace', (_what, body, why) => {
    expect(read('check', body, 'd4')).toEqual({ status: 1, stdout: '', stderr: why });
  });

  test('bad usage exits 2', () => {
    expect(read('status', '{}').status).toBe(2);
    expect(read('versions').status).toBe(2);
  });
});

describe('on a real /health', () => {
  let chillybin: RunningService;
  beforeAll(async () => {
    chillybin = await startService(require.resolve('@toasties/chillybin/dist/main.js'), { DATABASE_PATH: freshDatabasePath(), WORKERS: '2', VERSION: 'e5' });
  }, 90_000);
  afterAll(stopAllProcesses);

  test('versions lists both workers of a real cluster', async () => {
    const body = await waitFor(async () => {
      const text = await (await fetch(`${chillybin.url}/health`)).text();
      return (JSON.parse(text) as Liveness).workers?.length === 2 ? text : undefined;
    }, { timeoutMs: 60_000, what: 'two workers on /health' });
    expect(read('versions', body)).toMatchObject({ status: 0, stdout: 'e5\ne5\n' });
  });

  test('scripts/smoke.sh passes on the version it runs, and says why not on another, in one line', () => {
    expect(run(join(repoRoot, 'scripts/smoke.sh'), [chillybin.url, 'e5'])).toMatchObject({ status: 0, stdout: 'smoke: chillybin e5 is healthy\n' });
    const wrong = run(join(repoRoot, 'scripts/smoke.sh'), [chillybin.url, 'f6'], { env: { SMOKE_TIMEOUT_S: '0' } });
    expect(wrong).toMatchObject({ status: 1, stderr: `smoke: ${chillybin.url}/health failed: version is e5, expected f6\n` });
  });
});
