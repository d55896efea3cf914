import { spawnProcess, stopAllProcesses } from './process';

afterAll(stopAllProcesses);

const script = `
  let n = 0;
  const timer = setInterval(() => { n += 1; console.log('tick ' + n); if (n === 30) { clearInterval(timer); console.log('done'); } }, 5);
`;

describe('spawnProcess', () => {
  test('waitForLine finds a line already printed; waitForNextLine only a later one', async () => {
    const proc = spawnProcess(process.execPath, ['-e', script]);
    await proc.waitForLine(/^tick 3$/);
    const next = await proc.waitForNextLine(/^tick \d+$/);
    expect(Number(next.split(' ')[1])).toBeGreaterThan(3);
    await expect(proc.waitForLine(/^tick 1$/)).resolves.toBe('tick 1');
    await proc.waitForLine(/^done$/);
    await expect(proc.waitForExit()).resolves.toEqual({ code: 0, signal: null });
  });

  test('waiting for a line from a process that exited without it fails at once, with its output', async () => {
    const proc = spawnProcess(process.execPath, ['-e', 'console.log("bye")']);
    await expect(proc.waitForLine(/never/, 10_000)).rejects.toThrow(/exited \(0\)[\s\S]*bye/);
  });
});
