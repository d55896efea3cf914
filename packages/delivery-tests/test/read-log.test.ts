import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOG_MESSAGES } from '@toasties/contract';
import { startService, stopAllProcesses, tempDir } from '@toasties/testkit';
import { repoRoot, run } from './support/run';

// scripts/lib/read-log.mjs: how release-rehearsal.sh finds the url a service listens on, by
// @toasties/contract's message text, loaded from the release being run.
const reader = join(repoRoot, 'scripts/lib/read-log.mjs');
const release = join(repoRoot, 'services/chillybin'); // a built service directory
const dir = tempDir('read-log'); // removed when the file ends

function logFile(lines: readonly unknown[]): string {
  const path = join(dir, `log-${Math.random().toString(36).slice(2)}.log`);
  writeFileSync(path, lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n'));
  return path;
}
const listeningUrl = (log: string) => run(process.execPath, [reader, 'listening-url', log, release]);

afterAll(stopAllProcesses);

test('prints the url of the first listening line, past lines that are not JSON or say something else', () => {
  const log = logFile([
    '(node:42) ExperimentalWarning: not JSON',
    { msg: 'primary started', url: 'http://127.0.0.1:1' },
    { msg: LOG_MESSAGES.listening, port: 7005, url: 'http://127.0.0.1:7005' },
    { msg: LOG_MESSAGES.listening, port: 7006, url: 'http://127.0.0.1:7006' },
  ]);
  expect(listeningUrl(log)).toMatchObject({ status: 0, stdout: 'http://127.0.0.1:7005\n' });
});

test('no listening line yet: exit 1, nothing printed', () => {
  expect(listeningUrl(logFile([{ msg: 'waiting for readiness before taking traffic' }, '{"msg":"listen']))).toMatchObject({ status: 1, stdout: '' });
});

test('bad usage exits 2', () => {
  expect(run(process.execPath, [reader, 'listening-url']).status).toBe(2);
});

test('what a real service logs is what the readers look for: testkit and read-log.mjs find the same url', async () => {
  const service = await startService(join(release, 'dist/main.js'), { DATABASE_PATH: ':memory:' }); // waits for the same line
  expect(listeningUrl(logFile(service.output().split('\n')))).toMatchObject({ status: 0, stdout: `${service.url}\n` });
});
