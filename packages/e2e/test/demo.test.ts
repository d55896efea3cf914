import { join } from 'node:path';
import { spawnProcess, stopAllProcesses, waitFor } from '@toasties/testkit';

// `npm run demo` is what an audience runs during the talk: it must finish, show 0 errors,
// and leave no service behind, however it ends.
const demo = join(__dirname, '..', '..', '..', 'scripts', 'demo.mjs');

afterAll(stopAllProcesses);

/** Every pid the demo printed: primaries ("pid 123") and workers ("456@dev"). */
function pidsIn(output: string): number[] {
  return [...output.matchAll(/pid (\d+)|(\d+)@/g)].map((match) => Number(match[1] ?? match[2]));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// A process that just exited may linger a moment as a zombie until init reaps it.
const allGone = (output: string) => waitFor(() => pidsIn(output).every((pid) => !alive(pid)), { timeoutMs: 15_000, what: 'every service process to be gone' });

describe('npm run demo (--fast)', () => {
  test('makes toasties, sends gita through v2, reloads both services under load with 0 errors, and stops everything', async () => {
    const run = spawnProcess(process.execPath, [demo, '--fast']);
    const exit = await run.waitForExit(170_000);
    const output = run.output();

    expect({ exit, tail: output.slice(-600) }).toMatchObject({ exit: { code: 0, signal: null } });
    expect(output).toMatch(/POST \/toastie for gita → 200 .*"api":"v1"/);
    expect(output).toMatch(/POST \/toastie for gita → 200 .*"api":"v2","orderId":"[0-9a-f-]{36}"/);
    expect(output).toMatch(/POST \/toastie for gwyn → 200 .*"ingredients":\["cheese","ham"\].*"api":"v1"/);
    expect(output).toMatch(/chillybin reloaded: workers .+ → .+/);
    expect(output).toMatch(/jafflr reloaded: workers .+ → .+/);
    expect(output).toMatch(/deploy under load: [1-9]\d* requests, 0 errors/);
    expect(output).toMatch(/jafflr stopped \(exit 0\)\s+chillybin stopped \(exit 0\)/);
    expect(pidsIn(output).length).toBeGreaterThanOrEqual(10);
    await allGone(output);
  }, 180_000);

  test('Ctrl-C in the middle of the load stops every service and exits 130', async () => {
    const run = spawnProcess(process.execPath, [demo, '--fast']);
    await run.waitForLine(/\d+ requests {2}\d+ errors/, 150_000);

    const exit = await run.stop('SIGINT', 60_000);

    expect(exit).toEqual({ code: 130, signal: null });
    expect(run.output()).toMatch(/Ctrl-C: stopping the services/);
    expect(run.output()).not.toMatch(/deploy under load/);
    await allGone(run.output());
  }, 240_000);
});
