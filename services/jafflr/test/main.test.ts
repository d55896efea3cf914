import { join } from 'node:path';
import { spawnProcess, stopAllProcesses } from '@toasties/testkit';

const main = join(__dirname, '..', 'dist', 'main.js');
afterAll(stopAllProcesses);

describe('jafflr as a process, with a bad flag variable', () => {
  test.each([['sometimes please'], ['true'], ['50'], ['150%'], ['YES'], ['gita,on']])('FLAG_PICK_V2=%j prints one config line naming it and exits 1', async (value) => {
    const proc = spawnProcess(process.execPath, [main], { PORT: '0', FLAG_PICK_V2: value });
    expect(await proc.waitForExit()).toEqual({ code: 1, signal: null });
    expect(proc.output().trim().split('\n')).toEqual([expect.stringMatching(/^config error: FLAG_PICK_V2: must be on, off, .+/)]);
  });
});

describe('jafflr as a process, with a lenient number', () => {
  test.each<[string, Record<string, string>]>([
    ['COOK_TIME_SCALE', { COOK_TIME_SCALE: ' ' }],
    ['WORKERS', { WORKERS: '1.0' }],
    ['CHILLYBIN_TIMEOUT_MS', { CHILLYBIN_TIMEOUT_MS: '2e3' }],
  ])('a bad %s prints one config line naming it and exits 1', async (name, env) => {
    const proc = spawnProcess(process.execPath, [main], { PORT: '0', ...env });
    expect(await proc.waitForExit()).toEqual({ code: 1, signal: null });
    expect(proc.output().trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`^config error: ${name}: must be `))]);
  });
});
