import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { descendantsOf, describeWithUnleash, isAlive, POSTGRES_TOOL, spawnProcess, stopAllProcesses, waitFor, type RunningProcess } from '@toasties/testkit';

// `npm run demo` is what an audience runs during the talk, on a projector: it must finish,
// deploy a visibly new release (demo-1 → demo-2) with 0 errors, fit 100 columns, and leave
// no service behind, however it ends.
const scripts = join(__dirname, '..', '..', '..', 'scripts');
const demo = join(scripts, 'demo.mjs');

interface Worker {
  readonly pid: number;
  readonly version: string;
  readonly perSecond: number;
  readonly errors?: number;
}
interface Sample {
  readonly seconds: number;
  readonly requests: number;
  readonly errors: number;
  readonly services: readonly { readonly name: string; readonly workers: readonly Worker[] }[];
}
const { renderSample } = require(join(scripts, 'lib', 'demo-table.cjs')) as { renderSample: (sample: Sample, options?: { width?: number }) => string[] };

/** The live view's samples in the demo's output: the seconds, and each service's workers as shown. */
function samplesIn(output: string): { seconds: number; at: number; rows: Map<string, string[]> }[] {
  const lines = output.split('\n');
  const samples: { seconds: number; at: number; rows: Map<string, string[]> }[] = [];
  let current: Map<string, string[]> | undefined;
  let service = '';
  lines.forEach((line, at) => {
    const head = /^ +(\d+) s +\d+ requests +\d+ errors$/.exec(line);
    if (head) {
      current = new Map();
      samples.push({ seconds: Number(head[1]), at, rows: current });
      return;
    }
    const row = /^ {3}(jafflr|chillybin) {2,}(\d.*|no worker answered)$/.exec(line); // not "   jafflr deployed: …"
    if (current && row) {
      service = row[1]!;
      current.set(service, [...row[2]!.matchAll(/\d+ demo-\d +\d+\/s/g)].map(([cell]) => cell));
    } else if (current && /^ {14}\d/.test(line)) {
      current.get(service)!.push(...[...line.matchAll(/\d+ demo-\d +\d+\/s/g)].map(([cell]) => cell));
    } else {
      current = undefined;
    }
  });
  return samples;
}

describe('the live view of a deploy, one sample', () => {
  const workers = (count: number, version: string): Worker[] => Array.from({ length: count }, (_, i) => ({ pid: 4_194_000 + i, version, perSecond: 12_345, errors: i === 0 ? 99 : 0 }));

  // During a reload a service has its old workers and a new one at once: with WORKERS=2,
  // three; with RELOAD_AT_ONCE=2, four; any number must still fit a projector.
  test.each([1, 2, 3, 4, 5, 8])('with %i workers of each service, every line fits 100 columns and shows every worker', (count) => {
    const lines = renderSample({ seconds: 123, requests: 9_999_999, errors: 0, services: [{ name: 'jafflr', workers: workers(count, 'demo-1') }, { name: 'chillybin', workers: [...workers(count - 1, 'demo-1'), { pid: 4_195_000, version: 'demo-2', perSecond: 0 }] }] });

    expect(lines.filter((line) => line.length > 100)).toEqual([]);
    const shown = lines.join('\n');
    for (const worker of [...workers(count, 'demo-1'), { pid: 4_195_000 }]) expect(shown).toContain(`${worker.pid} `);
    expect(shown).toContain('99 err');
    expect(lines[0]).toMatch(/^ +123 s +9999999 requests +0 errors$/);
  });

  test('a service with no worker to show says so rather than leaving its row empty', () => {
    expect(renderSample({ seconds: 1, requests: 0, errors: 0, services: [{ name: 'jafflr', workers: [] }] })[1]).toMatch(/^ {3}jafflr +no worker answered$/);
  });
});

afterAll(stopAllProcesses);

/** Every process the demo starts (services, workers, replacements), noted while it runs. */
function watchProcesses(run: RunningProcess): { seen: Set<number>; stop: () => void } {
  const seen = new Set<number>();
  const timer = setInterval(() => descendantsOf(run.pid).forEach((pid) => seen.add(pid)), 250);
  return { seen, stop: () => clearInterval(timer) };
}

// A process that just exited may linger a moment as a zombie until init reaps it.
const allGone = (pids: Set<number>) => waitFor(() => [...pids].every((pid) => !isAlive(pid)), { timeoutMs: 15_000, what: 'every service process to be gone' });

describe('npm run demo (--fast)', () => {
  test('makes toasties, sends gita through v2, deploys demo-2 under load with 0 errors, fits 100 columns, and stops everything', async () => {
    const run = spawnProcess(process.execPath, [demo, '--fast']);
    const processes = watchProcesses(run);
    const exit = await run.waitForExit(170_000);
    processes.stop();
    const output = stripVTControlCharacters(run.output());

    expect({ exit, tail: output.slice(-600) }).toMatchObject({ exit: { code: 0, signal: null } });
    expect(output).toMatch(/chillybin +http:\S+ +workers on demo-1, demo-1/);
    expect(output).toMatch(/gita: cheese \+ vegemite, light → api v1\n/);
    expect(output).toMatch(/X-Request-Id demo-gita-1,.*\n\s+jafflr +POST \/toastie 200\n\s+chillybin +POST \/pick 200, POST \/pick 200, POST \/pick 200\n/);
    expect(output).toMatch(/gita: cheese \+ ham, light → api v2, order [0-9a-f]{8}\n/);
    expect(output).toMatch(/gwyn: cheese \+ ham, light → api v1\n/);
    // The versions change, and the live view shows a demo-2 worker taking requests.
    expect(output).toMatch(/chillybin deployed: workers demo-1, demo-1 → demo-2, demo-2/);
    expect(output).toMatch(/jafflr deployed: workers demo-1, demo-1 → demo-2, demo-2/);
    expect(output).toMatch(/jafflr +(\d+ demo-\d +\d+\/s +)*\d+ demo-2 +[1-9]\d*\/s/);
    expect(output).toMatch(/deploy under load: [1-9]\d* requests, 0 errors/);
    expect(output).toMatch(/jafflr stopped \(exit 0\)\s+chillybin stopped \(exit 0\)/);
    expect(output).not.toMatch(/\{"/); // summaries, not raw JSON
    expect(output.split('\n').filter((line) => line.length > 100)).toEqual([]);

    // Each sample has its own second, and a row for each service with its workers in it.
    const samples = samplesIn(output);
    expect(samples.length).toBeGreaterThanOrEqual(3);
    const seconds = samples.map((sample) => sample.seconds);
    expect(seconds.filter((second, index) => index > 0 && second <= seconds[index - 1]!)).toEqual([]);
    expect(samples.filter((sample) => ['jafflr', 'chillybin'].some((name) => !sample.rows.get(name)?.length))).toEqual([]);
    // A deploy is announced right below the first sample that shows every worker on demo-2.
    for (const name of ['chillybin', 'jafflr']) {
      const announced = output.split('\n').findIndex((line) => line.includes(`${name} deployed:`));
      const before = samples.filter((sample) => sample.at < announced).at(-1)!;
      expect({ name, shown: before.rows.get(name) }).toEqual({ name, shown: expect.arrayContaining([expect.stringMatching(/demo-2/)]) });
      expect(before.rows.get(name)!.filter((cell) => !/demo-2/.test(cell))).toEqual([]);
    }
    expect(processes.seen.size).toBeGreaterThanOrEqual(10); // primaries, workers, their replacements
    await allGone(processes.seen);
  }, 180_000);

  test('Ctrl-C in a terminal during a reload drains every service (exit 0 each) and exits 130', async () => {
    // setsid: the demo leads a process group, as in a terminal, where Ctrl-C signals the whole group.
    const run = spawnProcess('setsid', [process.execPath, demo, '--fast']);
    const processes = watchProcesses(run);
    await run.waitForLine(/chillybin: current → demo-2, SIGHUP/, 150_000);

    process.kill(-run.pid, 'SIGINT');
    const exit = await run.waitForExit(60_000);
    processes.stop();
    const output = stripVTControlCharacters(run.output());

    expect({ exit, tail: output.slice(-600) }).toMatchObject({ exit: { code: 130, signal: null } });
    expect(output).toMatch(/Ctrl-C: stopping the services/);
    expect(output).toMatch(/jafflr stopped \(exit 0\)\s+chillybin stopped \(exit 0\)/);
    expect(output).not.toMatch(/deploy under load/);
    await allGone(processes.seen);
  }, 240_000);
});

// With --unleash the foxtrot's step 2 is a flag switched on in a real Unleash (unleash-server
// on a PostgreSQL of the demo's own) while toasties are being made, instead of a restart.
describeWithUnleash([POSTGRES_TOOL], 'npm run demo -- --unleash (--fast)', () => {
  test('switches pick.v2 on for gita in Unleash while gita and gwyn order: gita v1 → v2, gwyn v1, 0 errors, no restart; deploys as without; stops Unleash and its PostgreSQL too', async () => {
    const run = spawnProcess(process.execPath, [demo, '--fast', '--unleash']);
    const processes = watchProcesses(run);
    const exit = await run.waitForExit(470_000);
    processes.stop();
    const output = stripVTControlCharacters(run.output());

    expect({ exit, tail: output.slice(-600) }).toMatchObject({ exit: { code: 0, signal: null } });
    expect(output).toMatch(/unleash +http:\S+ +pick\.v2 not there yet: off for everyone\n/);
    expect(output).toMatch(/gita: cheese \+ vegemite, light → api v1\n/);
    expect(output).toMatch(/unleash: create the flag pick\.v2 → 201\n.*unleash: add a strategy: userId in \[gita\] → 200\n.*unleash: switch it on in development → 200\n/);
    // Every answer, in order, as runs: gita's start on v1 and end on v2; gwyn's never leave v1.
    expect(output).toMatch(/^ {3}gita: v1 ×\d+ → .*v2 ×\d+$/m);
    expect(output).toMatch(/^ {3}gwyn: v1 ×\d+$/m);
    expect(output).toMatch(/flip in Unleash: 0 errors; jafflr: the same workers throughout, no restart/);
    expect(output).toMatch(/gita: cheese \+ ham, light → api v2, order [0-9a-f]{8}\n/);
    expect(output).toMatch(/gwyn: cheese \+ ham, light → api v1\n/);
    expect(output).toMatch(/jafflr deployed: workers demo-1, demo-1 → demo-2, demo-2/);
    expect(output).toMatch(/deploy under load: [1-9]\d* requests, 0 errors/);
    expect(output).toMatch(/jafflr stopped \(exit 0\)\s+chillybin stopped \(exit 0\)\s+unleash and its PostgreSQL stopped/);
    expect(output.split('\n').filter((line) => line.length > 100)).toEqual([]);
    await allGone(processes.seen);
  }, 480_000);
});

describe('npm run demo -- --unleash without unleash-server', () => {
  // Where PostgreSQL is missing too, it is named on a line of its own before unleash-server.
  test('is refused before anything starts, naming how to install it (exit 2)', async () => {
    const run = spawnProcess(process.execPath, [demo, '--fast', '--unleash'], { UNLEASH_SERVER_HOME: join(__dirname, 'no-unleash-here') });
    const exit = await run.waitForExit(30_000);
    expect({ exit, output: run.output() }).toEqual({ exit: { code: 2, signal: null }, output: expect.stringMatching(/^demo: --unleash needs what this machine lacks:\n(?: {2}.+\n)*? {2}unleash-server: npm install --prefix \S+ .*unleash-server@\d/) });
    expect(run.output()).not.toMatch(/1\. Start/);
  });
});
