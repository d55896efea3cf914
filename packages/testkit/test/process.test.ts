import { spawnProcess, stopAllProcesses } from '../src/process';

afterAll(stopAllProcesses);

// Ticks until stopped (for a minute at most), so there is always a later line to wait for,
// however slowly this machine runs the test.
const ticker = `
  let n = 0;
  const timer = setInterval(() => { n += 1; console.log('tick ' + n); if (n === 12000) clearInterval(timer); }, 5);
`;

describe('spawnProcess', () => {
  test('waitForLine finds a line already printed; waitForNextLine only a later one', async () => {
    const proc = spawnProcess(process.execPath, ['-e', ticker]);
    await proc.waitForLine(/^tick 3$/);
    const next = await proc.waitForNextLine(/^tick \d+$/);
    expect(Number(next.split(' ')[1])).toBeGreaterThan(3);
    await expect(proc.waitForLine(/^tick 1$/)).resolves.toBe('tick 1');
    await expect(proc.stop('SIGTERM')).resolves.toEqual({ code: null, signal: 'SIGTERM' });
  });

  test('waitForExit gives the exit code of a process that ends by itself', async () => {
    const proc = spawnProcess(process.execPath, ['-e', 'console.log("done"); process.exitCode = 3']);
    await proc.waitForLine(/^done$/);
    await expect(proc.waitForExit()).resolves.toEqual({ code: 3, signal: null });
  });

  test('waiting for a line from a process that exited without it fails at once, with its output', async () => {
    const proc = spawnProcess(process.execPath, ['-e', 'console.log("bye")']);
    const waited = proc.waitForLine(/never/, 10 * 60_000); // only the exit can end it within jest's timeout
    await expect(waited).rejects.toThrow(/^exited \(0\)\n[\s\S]*bye/);
  });
});
