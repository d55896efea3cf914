import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { checkTool, findOnPath, isCi } from '../src/system-tool';

// describeWithTool on a real jest process: a suite needing a tool that is not on PATH is
// skipped with one line locally, fails under CI, and runs where the tool is.
const TOOL = 'toasties-fixture-tool';
const fixtures = join(__dirname, 'fixtures');
const jestBin = require.resolve('jest/bin/jest');
const nodeDir = dirname(process.execPath);
let toolDir: string;

beforeAll(() => {
  toolDir = mkdtempSync(join(tmpdir(), 'system-tool-'));
  writeFileSync(join(toolDir, TOOL), '#!/bin/sh\nexit 0\n');
  chmodSync(join(toolDir, TOOL), 0o755);
});
afterAll(() => rmSync(toolDir, { recursive: true, force: true }));

function runFixture(env: { PATH: string; CI?: string }) {
  const config = JSON.stringify({ rootDir: fixtures, testMatch: ['**/needs-a-tool.fixture.js'], testEnvironment: 'node', cacheDirectory: join(toolDir, 'jest-cache') });
  const { CI: _ci, ...inherited } = process.env; // the outer run may itself be under CI
  const ran = spawnSync(process.execPath, [jestBin, '--config', config, '--ci=false'], { env: { ...inherited, ...env, FIXTURE_TOOL: TOOL }, encoding: 'utf8', timeout: 60_000 });
  return { status: ran.status, output: `${ran.stdout}${ran.stderr}` };
}

describe('describeWithTool, on a real jest run', () => {
  const skipLine = `skipped: ${TOOL} is not installed; to run these tests: apt-get install ${TOOL} (a suite that needs the fixture tool)`;

  test('without the tool and without CI: one line says what to install, and the test counts as skipped', () => {
    const { status, output } = runFixture({ PATH: nodeDir });
    expect(status).toBe(0);
    expect(output.split('\n').filter((line) => line.includes(TOOL))).toEqual([skipLine]);
    expect(output).toMatch(/Tests:\s+1 skipped, 1 total/);
  });

  test.each(['true'])('without the tool under CI=%s: the run fails, naming the tool and its install command', (ci) => {
    const { status, output } = runFixture({ PATH: nodeDir, CI: ci });
    expect(status).toBe(1);
    expect(output).toContain(`${TOOL} is not installed, and CI must run these tests: apt-get install ${TOOL}`);
    expect(output).toMatch(/Tests:\s+1 failed, 1 total/);
  });

  test('with the tool on PATH, under CI: the suite runs', () => {
    const { status, output } = runFixture({ PATH: `${toolDir}:${nodeDir}`, CI: 'true' });
    expect(status).toBe(0);
    expect(output).not.toContain('skipped:');
    expect(output).toMatch(/Tests:\s+1 passed, 1 total/);
  });
});

describe('checkTool', () => {
  test.each<[string, 'tool dir' | 'nowhere', string | undefined, string]>([
    ['on PATH, under CI', 'tool dir', 'true', 'run'],
    ['missing, no CI', 'nowhere', undefined, 'skip'],
    ['missing, CI=false', 'nowhere', 'false', 'skip'],
    ['missing, CI=0', 'nowhere', '0', 'skip'],
    ['missing, CI=true', 'nowhere', 'true', 'fail'],
  ])('%s (PATH: %s, CI: %p): %s', (_case, path, ci, verdict) => {
    const env = { PATH: path === 'tool dir' ? toolDir : '/nonexistent', ...(ci === undefined ? {} : { CI: ci }) };
    expect(checkTool({ command: TOOL, install: 'x' }, env).verdict).toBe(verdict);
  });

  test('findOnPath skips a file that is not executable', () => {
    const dir = mkdtempSync(join(tmpdir(), 'system-tool-'));
    try {
      writeFileSync(join(dir, TOOL), 'not a program');
      expect(findOnPath(TOOL, { PATH: dir })).toBeUndefined();
      expect(findOnPath(TOOL, { PATH: `${dir}:${toolDir}` })).toBe(join(toolDir, TOOL));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a tool off PATH is found in its searchDirs (Debian keeps PostgreSQL in /usr/lib/postgresql/<v>/bin)', () => {
    const tool = { command: TOOL, install: 'x', searchDirs: ['/nonexistent', toolDir] };
    expect(checkTool(tool, { PATH: '/nonexistent', CI: 'true' })).toEqual({ verdict: 'run', path: join(toolDir, TOOL) });
    expect(checkTool({ ...tool, searchDirs: [] }, { PATH: '/nonexistent', CI: 'true' }).verdict).toBe('fail');
  });

  test.each([['', false], ['true', true], ['false', false], ['0', false], ['1', true]])('CI=%p is CI: %p', (ci, expected) => {
    expect(isCi({ CI: ci })).toBe(expected);
  });
});
