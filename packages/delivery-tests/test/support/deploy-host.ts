import { spawn } from 'node:child_process';
import autocannon from 'autocannon';
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { freePort, tempDir, waitFor } from '@toasties/testkit';
import { repoRoot } from './run';
import { throwawayRepo, type ThrowawayRepo } from './throwaway-repo';

// scripts/deploy.sh on real processes, from a throwaway copy of this repository (so commits
// make new releases), with the fast stand-in for the pruned build (fixtures/fast-build.sh,
// which also breaks or holds a step of a release on purpose).

export type Service = 'chillybin' | 'jafflr';

export interface Deployed {
  readonly code: number | null;
  readonly output: string;
}

/** A deploy started and not yet awaited: its output so far, a signal, its end. */
export interface RunningDeploy {
  readonly pid: number;
  output(): string;
  /** To the deploy's whole process group, as a terminal's Ctrl-C does, or to the script alone. */
  signal(signal: NodeJS.Signals, to: 'group' | 'script'): void;
  readonly exited: Promise<Deployed>;
}

/** /health's workers, or 'nothing' when nothing answers. */
export type Serving = { pid: number; version: string }[] | 'nothing';

export interface DeployHost {
  readonly repo: ThrowawayRepo;
  readonly deployRoot: string;
  readonly ports: Record<Service, number>;
  readonly env: NodeJS.ProcessEnv;
  /** Where a held step of a release says it is held (fast-build.sh's FAST_BUILD_HELD). */
  readonly held: string;
  start(script: string, args: readonly string[], env?: NodeJS.ProcessEnv): RunningDeploy;
  run(script: string, args: readonly string[], env?: NodeJS.ProcessEnv): Promise<Deployed>;
  serving(service: Service): Promise<Serving>;
  /** What a person can see of a service's deploy: the release `current` names, the history, what serves. */
  state(service: Service): Promise<{ current: string | null; history: string; serving: Serving; building: string[] }>;
  /** Commit a file under services/<service> with this content (BROKEN, HOLD: see fast-build.sh); the new tag. */
  commitFile(service: Service, name: string, content: string): string;
  /** Remove such a file, committed; the new tag. */
  removeFile(service: Service, name: string): string;
  lastCommit(service: Service): string;
}

type HostSettings = { workers: number; readyTimeoutMs: number; confirmTimeoutS: number; lockWaitS?: number };

/** How long a clean-up's --stop waits for a deploy still under way to let go of the lock. */
export const LOCK_WAIT_S = 300;
/** An afterAll hook that cleans up: the lock wait, the stop itself, and a margin. */
export const CLEAN_UP_TIMEOUT_MS = (LOCK_WAIT_S + 90) * 1000;
/** No deploy a test starts runs longer: then its whole process group is killed. */
const DEPLOY_TIMEOUT_MS = 600_000;

/** Processes of a deploy root: every one a deploy starts (steps, primaries, workers) inherits its DEPLOY_ROOT. */
export function processesOfDeploy(deployRoot: string): number[] {
  const marker = `DEPLOY_ROOT=${deployRoot}\0`;
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/environ`, 'latin1').includes(marker);
      } catch {
        return false; // gone, or not ours to read
      }
    })
    .map(Number);
}

/** The processes whose command line has <entry> among its words (a release's main.js, as the scripts name it). Linux: reads /proc. */
export function processesRunning(entry: string): number[] {
  return readdirSync('/proc')
    .filter((pid) => /^\d+$/.test(pid))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(entry);
      } catch {
        return false; // gone
      }
    })
    .map(Number);
}

/** Whatever happened: nothing of this deploy root outlives the test (Linux: reads /proc; elsewhere nothing to find). */
export function killProcessesOfDeploy(deployRoot: string): void {
  if (process.platform !== 'linux') return;
  for (const pid of processesOfDeploy(deployRoot)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone already
    }
  }
}

export const fastBuild = join(__dirname, '..', 'fixtures', 'fast-build.sh');

/** A tag as the scripts print it for a person to read: its first 12 hex digits. */
export const short = (tag: string) => tag.slice(0, 12);

/** The lines deploy.sh printed, without the primaries' logs appended on failure. */
export const said = (output: string) => output.split('\n--- ')[0]!.trim().split('\n');

/** The full log a deploy names on its last line. */
export const fullLog = (output: string) => readFileSync(/full log: (\S+)/.exec(output)![1]!, 'utf8');

/**
 * A test file's deploy host: made before its tests, and cleaned up after them, before the
 * file-level clean-up (jest/environment.js) removes the deploy root that --stop reads its pid
 * files from: `deploy.sh --stop` once any deploy still under way has let go of the lock (up to
 * LOCK_WAIT_S), then SIGKILL to whatever of this deploy root is left. Call it at the top level
 * of the file; the host is there from the first test on.
 */
export function useDeployHost(settings: HostSettings): () => DeployHost {
  let host: (DeployHost & { cleanUp(): Promise<void> }) | undefined;
  beforeAll(async () => {
    host = await deployHost(settings);
  }, 120_000);
  afterAll(async () => {
    if (host) await host.cleanUp();
  }, CLEAN_UP_TIMEOUT_MS);
  return () => {
    if (!host) throw new Error('no deploy host: useDeployHost makes it in a beforeAll of the file');
    return host;
  };
}

async function deployHost(settings: HostSettings): Promise<DeployHost & { cleanUp(): Promise<void> }> {
  const repo = throwawayRepo();
  const deployRoot = tempDir('deploy'); // removed, with the throwaway repo, when the file ends
  const held = join(tempDir('held'), 'held');
  const ports = { chillybin: await freePort(), jafflr: await freePort() };
  const write = (service: Service, lines: string[]) => {
    mkdirSync(join(deployRoot, service), { recursive: true });
    writeFileSync(join(deployRoot, service, 'env'), `${lines.join('\n')}\n`);
  };
  const common = [`WORKERS=${settings.workers}`, `WORKER_READY_TIMEOUT_MS=${settings.readyTimeoutMs}`];
  write('chillybin', [`PORT=${ports.chillybin}`, `DATABASE_PATH=${join(deployRoot, 'chillybin.db')}`, ...common]);
  write('jafflr', [`PORT=${ports.jafflr}`, `CHILLYBIN_URL=http://127.0.0.1:${ports.chillybin}`, ...common, 'COOK_TIME_SCALE=0']);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DEPLOY_ROOT: deployRoot,
    PRUNED_BUILD: fastBuild,
    FAST_BUILD_FROM: repoRoot,
    FAST_BUILD_REPO: repo.dir,
    FAST_BUILD_HELD: held,
    CONFIRM_TIMEOUT_S: String(settings.confirmTimeoutS),
    DEPLOY_LOCK_WAIT_S: String(settings.lockWaitS ?? 0),
    TURBO_TELEMETRY_DISABLED: '1',
  };

  const tail = (path: string) => {
    try {
      // The primary's own lines, not the one-per-request ones.
      return readFileSync(path, 'utf8').trim().split('\n').filter((line) => !line.includes('"req":')).slice(-20).join('\n');
    } catch {
      return '(none)';
    }
  };

  const start = (script: string, args: readonly string[], extra: NodeJS.ProcessEnv = {}): RunningDeploy => {
    // detached: a process group of its own, like a shell's foreground job.
    const child = spawn('bash', [join(repo.dir, 'scripts', script), ...args], { env: { ...env, ...extra }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    // Bounded: a deploy that hangs is killed, its whole group, rather than outliving the test.
    const watchdog = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // gone already
      }
    }, DEPLOY_TIMEOUT_MS);
    watchdog.unref();
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<Deployed>((resolve) =>
      child.on('exit', (code) => {
        clearTimeout(watchdog);
        // What the primaries said, for whoever reads a failure.
        const logs = code === 0 ? [] : (['chillybin', 'jafflr'] as const).map((service) => `\n--- ${service}/service.log (last lines) ---\n${tail(join(deployRoot, service, 'service.log'))}`);
        resolve({ code, output: `${output}${logs.join('')}` });
      }),
    );
    return {
      pid: child.pid!,
      output: () => output,
      signal: (signal, to) => process.kill(to === 'group' ? -child.pid! : child.pid!, signal),
      exited,
    };
  };

  const serving = async (service: Service): Promise<Serving> => {
    try {
      const answer = await fetch(`http://127.0.0.1:${ports[service]}/health`, { signal: AbortSignal.timeout(5_000) });
      return ((await answer.json()) as { workers: { pid: number; version: string }[] }).workers;
    } catch {
      return 'nothing';
    }
  };

  const commit = (message: string) => {
    repo.git('add', '--all');
    repo.git('commit', '--quiet', '--message', message);
    return repo.git('rev-parse', 'HEAD');
  };

  return {
    repo,
    deployRoot,
    ports,
    env,
    held,
    start,
    run: (script, args, extra) => start(script, args, extra).exited,
    serving,
    async state(service) {
      const dir = join(deployRoot, service);
      const link = join(dir, 'current');
      return {
        current: existsSync(link) ? basename(readlinkSync(link)) : null,
        history: existsSync(join(dir, 'history')) ? readFileSync(join(dir, 'history'), 'utf8') : '',
        serving: await serving(service),
        building: existsSync(dir) ? readdirSync(dir).filter((name) => name.startsWith('.build')) : [],
      };
    },
    commitFile(service, name, content) {
      writeFileSync(join(repo.dir, 'services', service, name), content);
      return commit(`${service}: ${name} ${content}`);
    },
    removeFile(service, name) {
      repo.git('rm', '--quiet', join('services', service, name));
      return commit(`${service}: no ${name}`);
    },
    lastCommit: (service) => repo.git('log', '-1', '--format=%H', '--', `services/${service}`, 'packages', 'package-lock.json'),
    async cleanUp() {
      try {
        await start('deploy.sh', ['--stop'], { DEPLOY_LOCK_WAIT_S: String(LOCK_WAIT_S) }).exited;
      } finally {
        killProcessesOfDeploy(deployRoot);
      }
    },
  };
}

/** Wait until a deploy has printed a line matching `pattern` (or has ended: then fail, showing it). */
export async function untilSaid(deploy: RunningDeploy, pattern: RegExp): Promise<void> {
  let ended = false;
  void deploy.exited.then(() => (ended = true));
  await waitFor(() => pattern.test(deploy.output()) || ended, { timeoutMs: 120_000, what: `${pattern}; output so far:\n${deploy.output()}` });
  if (!pattern.test(deploy.output())) throw new Error(`the deploy ended before saying ${pattern}:\n${deploy.output()}`);
}

/** Requests a second across all of underLoad's connections. */
const LOAD_RATE = 50;
/** Requests on one connection before it is made anew. */
const RECONNECT_EVERY = 10;

/**
 * Keep-alive load on jafflr (every toastie calls chillybin) while `during` runs; what came back.
 * Each connection is made anew every RECONNECT_EVERY requests (every 2 s), as clients come and
 * go: the cluster hands out connections, not requests, so a canary started meanwhile gets its
 * share. At a steady LOAD_RATE: each of the 10 connections asks every 200 ms, so every moment
 * of a reload meets requests, while the cores stay free for the deploy itself (and, in CI, the
 * other suites) for as long as a deploy waits (a broken release waits out its whole confirm
 * window): every toastie costs both services CPU, so as fast as the machine allows would take
 * every core.
 */
export async function underLoad(jafflrPort: number, during: () => Promise<void>): Promise<{ requests: number; failed: number }> {
  // The instance is also the result's promise; stop() ends the run early.
  const load = autocannon({ url: `http://127.0.0.1:${jafflrPort}/toastie?i=cheese`, method: 'POST', connections: 10, overallRate: LOAD_RATE, reconnectRate: RECONNECT_EVERY, duration: 120 }) as unknown as Promise<autocannon.Result> & { stop(): void };
  try {
    await during();
  } finally {
    load.stop();
  }
  const result = await load;
  return { requests: result.requests.total, failed: result.errors + result.timeouts + result.non2xx };
}

/** Enough stock for any load a test makes. */
export async function restockForLoad(chillybinPort: number): Promise<void> {
  const answer = await fetch(`http://127.0.0.1:${chillybinPort}/restock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ cheese: 1_000_000, bread: 1_000_000 }) });
  if (answer.status !== 200) throw new Error(`restock: ${answer.status} ${await answer.text()}`);
}
