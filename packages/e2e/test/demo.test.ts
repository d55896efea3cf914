import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { descendantsOf, isAlive, spawnProcess, stopAllProcesses, waitFor, type RunningProcess } from '@toasties/testkit';

// `npm run demo` is what an audience runs during the talk, on a projector: it must finish,
// deploy a visibly new release (demo-1 → demo-2) with 0 errors, fit 100 columns, and leave
// no service behind, however it ends.
const demo = join(__dirname, '..', '..', '..', 'scripts', 'demo.mjs');

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
    expect(processes.seen.size).toBeGreaterThanOrEqual(10); // primaries, workers, their replacements
    await allGone(processes.seen);
  }, 180_000);

  test('Ctrl-C in the middle of the load stops every service and exits 130', async () => {
    const run = spawnProcess(process.execPath, [demo, '--fast']);
    const processes = watchProcesses(run);
    await run.waitForLine(/\d+ requests {3}\d+ errors/, 150_000);

    const exit = await run.stop('SIGINT', 60_000);
    processes.stop();

    expect(exit).toEqual({ code: 130, signal: null });
    expect(run.output()).toMatch(/Ctrl-C: stopping the services/);
    expect(run.output()).not.toMatch(/deploy under load/);
    await allGone(processes.seen);
  }, 240_000);
});
