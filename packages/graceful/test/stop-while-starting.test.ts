import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freshDatabasePath, logLine, spawnProcess, stopAllProcesses } from '@toasties/testkit';

// A stop that comes while a worker is still on its way up (no SIGTERM handler of its own
// yet, so the signal ends it) is an ordinary stop: that worker had served nothing.
const fixture = join(__dirname, 'fixtures', 'cluster-server.js');

afterAll(stopAllProcesses);

test.each(['SIGTERM', 'SIGINT'] as const)('%s while the only worker is starting: exit 0, "shutdown complete"', async (signal) => {
  const versionFile = freshDatabasePath('release').replace(/test\.db$/, 'VERSION');
  writeFileSync(versionFile, 'v1');
  const never = freshDatabasePath('start-gate').replace(/test\.db$/, 'never-opened');
  const primary = spawnProcess(process.execPath, [fixture], { WORKERS: '1', VERSION_FILE: versionFile, START_GATE_FILE: never });
  await primary.waitForLine(logLine('waiting at the start gate'));

  await expect(primary.stop(signal)).resolves.toEqual({ code: 0, signal: null });
  expect(primary.output()).toMatch(/"msg":"shutdown complete"/);
}, 60_000);
