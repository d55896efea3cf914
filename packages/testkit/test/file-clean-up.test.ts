import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { isAlive } from '../src/process';

// jest/environment.js on a real jest run: what a test file started or made through testkit
// is gone when the file ends, pass or fail, and only after the file's own afterAll hooks
// (which still find them).
const fixtures = join(__dirname, 'fixtures');
const jestBin = require.resolve('jest/bin/jest');
const environment = require.resolve('../../../jest/environment.js');
let scratch: string;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'file-clean-up-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function runFixture(env: Record<string, string>) {
  const report = join(scratch, `report-${Object.keys(env).join('-') || 'plain'}.json`);
  const config = JSON.stringify({ rootDir: fixtures, testMatch: ['**/leaves-things.fixture.js'], testEnvironment: environment, cacheDirectory: join(scratch, 'jest-cache') });
  const ran = spawnSync(process.execPath, [jestBin, '--config', config, '--ci=false'], { env: { ...process.env, ...env, REPORT: report }, encoding: 'utf8', timeout: 60_000 });
  const left = JSON.parse(readFileSync(report, 'utf8')) as { pid: number; dir: string };
  return { status: ran.status, output: `${ran.stdout}${ran.stderr}`, ...left };
}

test.each([
  ['passes', {}, 0, /Tests:\s+1 passed, 1 total/],
  ['fails', { FIXTURE_FAILS: '1' }, 1, /Tests:\s+1 failed, 1 total/],
] as const)('a test file that %s: its afterAll still finds its process and folder, and both are gone when it ends', (_case, env, status, tally) => {
  const { status: exit, output, pid, dir } = runFixture(env);
  expect({ exit, tally: tally.test(output) }).toEqual({ exit: status, tally: true });
  expect(output).not.toMatch(/afterAll|isAlive|existsSync/); // the fixture's own hook passed
  expect(isAlive(pid)).toBe(false);
  expect(existsSync(dir)).toBe(false);
});
