import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, findOnPath, tempDir, waitFor } from '@toasties/testkit';
import { killProcessesOfDeploy, processesOfDeploy } from './support/deploy-host';
import { repoRoot } from './support/run';

// Ctrl-C during a release build, on real processes: the real deploy.sh and pruned-build.sh,
// with an npm that behaves as it does without a network (`npm ci` hangs and ignores the
// first SIGINT). The deploy runs in a process group of its own and the SIGINT goes to that
// whole group, as a terminal's Ctrl-C does. It must end at that first Ctrl-C, exit 130, and
// leave neither a half-built release nor a process behind. (Every other step, interrupted:
// deploy-steps.test.ts, with the fast stand-in for the build.)

const npmWithoutNetwork = join(__dirname, 'fixtures', 'npm-without-network.sh');

let deploy: ChildProcess | undefined;
let deployRoot: string;

afterAll(() => {
  // Whatever happened: nothing of this deploy outlives the test.
  if (deployRoot) killProcessesOfDeploy(deployRoot);
});

const onLinux = process.platform === 'linux' ? test : test.skip; // reads /proc

onLinux('the first Ctrl-C during a release build stops it: exit 130, no half-built release, no process left', async () => {
  deployRoot = tempDir('deploy-interrupt');
  const bin = tempDir('npm-without-network');
  symlinkSync(npmWithoutNetwork, join(bin, 'npm'));
  const tmp = tempDir('deploy-interrupt-tmp'); // the build's temporary files go here
  const env = {
    ...process.env,
    PATH: `${bin}:${process.env.PATH ?? ''}`,
    REAL_NPM: findOnPath('npm') ?? 'npm',
    TMPDIR: tmp,
    DEPLOY_ROOT: deployRoot,
    JAFFLR_PORT: String(await freePort()),
    CHILLYBIN_PORT: String(await freePort()),
    TURBO_TELEMETRY_DISABLED: '1',
  };
  // detached: a process group of its own, like a shell's foreground job.
  deploy = spawn('bash', [join(repoRoot, 'scripts', 'deploy.sh'), 'jafflr'], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  deploy.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  deploy.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => deploy!.on('exit', (code, signal) => resolve({ code, signal })));

  // One line for the step on the terminal; the build's progress per step in the full log, then
  // the step that hangs.
  const logs = join(deployRoot, 'logs');
  const log = () => (existsSync(logs) ? readdirSync(logs).map((name) => readFileSync(join(logs, name), 'utf8')).join('') : '');
  await waitFor(() => log().includes('npm ci: waiting for the registry'), { timeoutMs: 120_000, what: `npm ci to start; output so far:\n${output}` });
  expect(output).toMatch(/^jafflr: build [0-9a-f]{12} \(offline, from the npm cache\)$/m);
  expect(output).not.toMatch(/pruned-build/);
  expect(log()).toMatch(/^== pruned-build jafflr \[1\/5\]: turbo prune/m);
  expect(log()).toMatch(/^== pruned-build jafflr \[2\/5\]: npm ci --offline --ignore-scripts$/m);
  const service = join(deployRoot, 'jafflr');
  // The release being built is private to this deploy, beside releases/ and not in it.
  expect(readdirSync(service).filter((name) => name.startsWith('.build.'))).toHaveLength(1);

  process.kill(-deploy.pid!, 'SIGINT'); // Ctrl-C, once

  // The exit comes from the signal: without it, npm ci would wait for ten minutes.
  expect({ exit: await exited, output }).toEqual({ exit: { code: 130, signal: null }, output: expect.stringMatching(/^jafflr: the build step was interrupted; stopped there: nothing was switched$/m) });
  expect(output).toMatch(/^interrupted; full log: \S+$/m);
  expect(readdirSync(service).filter((name) => name.startsWith('.build.'))).toEqual([]);
  const releases = join(service, 'releases');
  expect(existsSync(releases) ? readdirSync(releases) : []).toEqual([]);
  expect(readdirSync(tmp).filter((name) => name.startsWith('tmp.'))).toEqual([]); // pruned-build's own
  // Killed processes are gone once the kernel has reaped them: poll, generously.
  await waitFor(() => processesOfDeploy(deployRoot).length === 0, { timeoutMs: 20_000, what: 'every process of the deploy to be gone' });
}, 180_000);
