import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import autocannon from 'autocannon';
import { freePort, tempDir } from '@toasties/testkit';
import { repoRoot } from './support/run';
import { throwawayRepo, type ThrowawayRepo } from './support/throwaway-repo';

// scripts/deploy.sh and rollback.sh on real processes, from a throwaway copy of this
// repository (so commits can make new releases), with the fast stand-in for the pruned build.
const fastBuild = join(__dirname, 'fixtures', 'fast-build.sh');

let repo: ThrowawayRepo;
let deployRoot: string;
let env: NodeJS.ProcessEnv;
let ports: { chillybin: number; jafflr: number };

async function script(name: string, ...args: string[]) {
  try {
    const { stdout, stderr } = await promisify(execFile)('bash', [join(repo.dir, 'scripts', name), ...args], { env, timeout: 300_000 });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    // What the primaries said, for whoever reads a failure.
    const logs = ['chillybin', 'jafflr'].map((service) => `--- ${service}/service.log (last lines) ---\n${tail(join(deployRoot, service, 'service.log'))}`);
    return { code: failed.code ?? 1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}${logs.join('\n')}` };
  }
}

async function workers(service: 'chillybin' | 'jafflr'): Promise<{ pid: number; version: string }[]> {
  const health = (await (await fetch(`http://127.0.0.1:${ports[service]}/health`)).json()) as { workers: { pid: number; version: string }[] };
  return health.workers;
}

async function versions(service: 'chillybin' | 'jafflr'): Promise<string[]> {
  return (await workers(service)).map((worker) => worker.version);
}

/** A tag as the scripts print it for a person to read: its first 12 hex digits. */
const short = (tag: string) => tag.slice(0, 12);
/** The full log a deploy names on its last line. */
const fullLog = (output: string) => readFileSync(/full log: (\S+)/.exec(output)![1]!, 'utf8');

const history = (service: string) => readFileSync(join(deployRoot, service, 'history'), 'utf8');
/** What the script itself said: its lines, without the primaries' logs appended on failure. */
const said = (output: string) => output.split('\n--- ')[0]!.trim().split('\n');

function tail(path: string): string {
  try {
    // The primary's own lines, not the one-per-request ones.
    return readFileSync(path, 'utf8').trim().split('\n').filter((line) => !line.includes('"req":')).slice(-20).join('\n');
  } catch {
    return '(none)';
  }
}

function lastCommit(service: string): string {
  return repo.git('log', '-1', '--format=%H', '--', `services/${service}`, 'packages', 'package-lock.json');
}

/** Keep-alive load on jafflr while `during` runs; what came back. */
async function underLoad(during: () => Promise<void>) {
  // The instance is also the result's promise; stop() ends the run early. Each connection is
  // made anew every 20 requests, as clients come and go: the cluster hands out connections,
  // not requests, so keep-alive connections opened before a canary starts would otherwise
  // all stay on the old workers, and the canary could be judged on no traffic at all (seen
  // in CI: "canary …: 0/0 errors … → inconclusive").
  const load = autocannon({ url: `http://127.0.0.1:${ports.jafflr}/toastie?i=cheese`, method: 'POST', connections: 10, reconnectRate: 20, duration: 120 }) as unknown as Promise<autocannon.Result> & { stop(): void };
  await during();
  load.stop();
  const result = await load;
  return { requests: result.requests.total, failed: result.errors + result.timeouts + result.non2xx };
}

beforeAll(async () => {
  repo = throwawayRepo();
  deployRoot = tempDir('deploy'); // removed, with the throwaway repo, when the file ends
  ports = { chillybin: await freePort(), jafflr: await freePort() };
  const write = (service: string, lines: string[]) => {
    mkdirSync(join(deployRoot, service), { recursive: true });
    writeFileSync(join(deployRoot, service, 'env'), `${lines.join('\n')}\n`);
  };
  write('chillybin', [`PORT=${ports.chillybin}`, `DATABASE_PATH=${join(deployRoot, 'chillybin.db')}`, 'WORKERS=2', 'WORKER_READY_TIMEOUT_MS=30000']);
  write('jafflr', [`PORT=${ports.jafflr}`, `CHILLYBIN_URL=http://127.0.0.1:${ports.chillybin}`, 'WORKERS=2', 'WORKER_READY_TIMEOUT_MS=30000', 'COOK_TIME_SCALE=0']);
  env = { ...process.env, DEPLOY_ROOT: deployRoot, PRUNED_BUILD: fastBuild, FAST_BUILD_FROM: repoRoot, FAST_BUILD_REPO: repo.dir, CONFIRM_TIMEOUT_S: '60', DEPLOY_LOCK_WAIT_S: '300', TURBO_TELEMETRY_DISABLED: '1' };
}, 120_000);

describe('npm run deploy on one host', () => {
  // Before the file-level clean-up (jest/environment.js, after every hook) removes the
  // deploy root that --stop reads its pid files from.
  afterAll(async () => {
    if (repo) await script('deploy.sh', '--stop');
  });

  let first: string;
  let beforeCanary: string;

  test('the first deploy starts both services on the tag of their last change, and confirms it', async () => {
    const { code, output } = await script('deploy.sh');
    expect(code).toBe(0);
    first = lastCommit('jafflr');
    expect(output).toMatch(new RegExp(`chillybin: confirmed ${short(lastCommit('chillybin'))} on 2 of 2 workers`));
    expect(output).toMatch(new RegExp(`jafflr: confirmed ${short(first)} on 2 of 2 workers`));
    expect(await versions('jafflr')).toEqual([first, first]);
    await restockForLoad();
  }, 300_000);

  test('deploying again changes nothing: each service already runs its tag', async () => {
    const { code, output } = await script('deploy.sh');
    expect(code).toBe(0);
    expect(output).toMatch(/chillybin: already running \w+; skipped/);
    expect(output).toMatch(/jafflr: already running \w+; skipped/);
  });

  test('a canary, promote or rollback of the release already serving says so in one line and changes nothing', async () => {
    const before = { workers: await workers('jafflr'), history: history('jafflr') };
    for (const [name, args, line] of [
      ['deploy.sh', ['--canary', 'jafflr'], /^jafflr: already running \w+ on every worker; no canary to start/],
      ['deploy.sh', ['--canary-auto', '1', 'jafflr'], /^jafflr: already running \w+ on every worker; no canary to start/],
      ['deploy.sh', ['--promote', 'jafflr'], /^jafflr: already running \w+ on every worker; nothing to promote$/],
      ['rollback.sh', ['jafflr', first], /^jafflr: already running \w+; nothing to roll back$/],
    ] as const) {
      const { code, output } = await script(name, ...args);
      expect({ args, code, said: said(output) }).toEqual({ args, code: 0, said: [expect.stringMatching(line)] });
    }
    // The same workers (no reload), and the tag once in the history.
    expect({ workers: await workers('jafflr'), history: history('jafflr') }).toEqual(before);
    expect(history('jafflr')).toBe(`${first}\n`);
  });

  test('a change to jafflr deploys jafflr alone, under load, and no request fails', async () => {
    const next = repo.commitChange(['services/jafflr/README.md'], 'a new jafflr release');
    let output = '';
    const result = await underLoad(async () => {
      ({ output } = await script('deploy.sh'));
    });
    expect(output).toMatch(/chillybin: already running \w+; skipped/);
    expect(output).toMatch(new RegExp(`jafflr: confirmed ${short(next)} on 2 of 2 workers`));
    expect(result.requests).toBeGreaterThan(50);
    expect(result.failed).toBe(0);
  }, 300_000);

  test('a change to chillybin backs its database up, migrates it, then deploys chillybin alone (as its deploy block says)', async () => {
    const next = repo.commitChange(['services/chillybin/README.md'], 'a new chillybin release');
    const { code, output } = await script('deploy.sh');
    expect(code).toBe(0);
    // One line a step on the terminal; what the backup and the migrations printed, in the full log.
    const backup = new RegExp(`chillybin: backup ${join(deployRoot, 'chillybin.db')} → (${join(deployRoot, 'chillybin', 'backups')}/\\d{8}T\\d{6}Z-before-${next}\\.db)`);
    expect(output).toMatch(backup);
    expect(readFileSync(backup.exec(output)![1]!).subarray(0, 15).toString()).toBe('SQLite format 3');
    expect(output).toMatch(/^chillybin: migrate/m);
    expect(output).not.toMatch(/database: /);
    expect(fullLog(output)).toMatch(/database: .*chillybin\.db\n\s+up\s+0001/);
    expect(output).toMatch(new RegExp(`chillybin: confirmed ${short(next)} on 2 of 2 workers`));
    expect(output).toMatch(/jafflr: already running \w+; skipped/);
  }, 300_000);

  test('a broken release (its workers never become ready) is rolled back automatically, and no request fails', async () => {
    const good = lastCommit('jafflr');
    repo.commitChange(['services/jafflr/BROKEN'], 'a broken jafflr release');
    let deploy = { code: 0, output: '' };
    const result = await underLoad(async () => {
      deploy = await script('deploy.sh', 'jafflr');
    });
    expect(deploy.code).toBe(1);
    expect(deploy.output).toMatch(new RegExp(`jafflr: rolling back to ${short(good)}`));
    expect(deploy.output).toMatch(new RegExp(`jafflr: confirmed ${short(good)} on 2 of 2 workers`));
    expect(await versions('jafflr')).toEqual([good, good]);
    expect(result.failed).toBe(0);
  }, 300_000);

  test('an automatic canary: one worker on the new release, judged by its error rate, then promoted', async () => {
    beforeCanary = (await versions('jafflr'))[0]!;
    repo.git('rm', '--quiet', 'services/jafflr/BROKEN');
    const next = repo.commitChange(['services/jafflr/CHANGELOG.md'], 'a mended jafflr release, for a canary');
    let deploy = { code: 0, output: '' };
    const result = await underLoad(async () => {
      deploy = await script('deploy.sh', '--canary-auto', '3', 'jafflr');
    });
    // At least the canary runs the new release (seen once in CI: both did by the time it
    // was confirmed; see the session notes).
    expect(deploy.output).toMatch(new RegExp(`jafflr: confirmed ${short(next)} on [12] of 2 workers`));
    expect(deploy.output).toMatch(/canary \w+: 0\/\d+ errors \(0.0 %\); the rest: 0\/\d+ errors \(0.0 %\) → promote/);
    expect(deploy.output).toMatch(/jafflr: canary up/);
    expect(deploy.output).toMatch(new RegExp(`jafflr: confirmed ${short(next)} on 2 of 2 workers`));
    expect(deploy.code).toBe(0);
    expect(result.failed).toBe(0);
  }, 300_000);

  test('npm run rollback goes back to the release before', async () => {
    const { code, output } = await script('rollback.sh', 'jafflr');
    expect(code).toBe(0);
    expect(output).toMatch(new RegExp(`jafflr: confirmed ${short(beforeCanary)} on 2 of 2 workers`));
    expect(await versions('jafflr')).toEqual([beforeCanary, beforeCanary]);
  });

  test('and to any release built before, by its tag or any unambiguous prefix of it, as git takes', async () => {
    const { code, output } = await script('rollback.sh', 'jafflr', first.slice(0, 7));
    expect(code).toBe(0);
    expect(output).toMatch(new RegExp(`jafflr: rolling back from ${short(beforeCanary)} to ${short(first)}`));
    expect(output).toMatch(new RegExp(`jafflr: confirmed ${short(first)} on 2 of 2 workers`));
  });

  test('a prefix that names no release, or several, is refused with the candidates, and nothing changes', async () => {
    // Two built releases that share a prefix (real tags rarely do): directories are enough,
    // since the prefix is resolved before anything is switched.
    const releases = join(deployRoot, 'jafflr', 'releases');
    const twins = ['feedface1', 'feedface2'].map((start) => start.padEnd(40, '0'));
    for (const twin of twins) mkdirSync(join(releases, twin));
    try {
      const before = await workers('jafflr');
      const ambiguous = await script('rollback.sh', 'jafflr', 'feedface');
      expect(ambiguous.code).toBe(1);
      expect(said(ambiguous.output)).toEqual(['jafflr: feedface is ambiguous: it begins 2 releases:', ...twins.map((twin) => `  ${twin}`)]);
      const unknown = await script('rollback.sh', 'jafflr', 'feedfacf');
      expect(unknown.code).toBe(1);
      expect(said(unknown.output)).toEqual([`jafflr: no release feedfacf in ${releases}`]);
      const notATag = await script('rollback.sh', 'jafflr', 'HEAD~1');
      expect(notATag.code).toBe(1);
      expect(said(notATag.output)).toEqual(["jafflr: 'HEAD~1' is not a release tag: give 4 to 40 of its hex digits"]);
      expect(await workers('jafflr')).toEqual(before);
    } finally {
      for (const twin of twins) rmSync(join(releases, twin), { recursive: true, force: true });
    }
  });

  test('--stop stops a caller before what it calls: jafflr, then chillybin', async () => {
    const { code, output } = await script('deploy.sh', '--stop');
    expect(code).toBe(0);
    // One after the other: deploy.sh says "stopped" once the primary has exited.
    expect(said(output)).toEqual(['jafflr: stopped', 'chillybin: stopped']);
  });
});

async function restockForLoad() {
  await fetch(`http://127.0.0.1:${ports.chillybin}/restock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ cheese: 1_000_000, bread: 1_000_000 }) });
}
