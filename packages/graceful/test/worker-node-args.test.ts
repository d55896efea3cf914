import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freshDatabasePath, startService, stopAllProcesses, waitFor } from '@toasties/testkit';
import { WORKER_SEMI_SPACE_MB, workerNodeArgs } from '../src/worker-node-args';

const fixture = join(__dirname, 'fixtures', 'cluster-server.js');
const bound = `--max-semi-space-size=${WORKER_SEMI_SPACE_MB}`;

afterAll(stopAllProcesses);

test.each([
  ['nothing chosen', [], '', [bound]],
  ["the primary's own flags kept", ['--enable-source-maps'], '', ['--enable-source-maps', bound]],
  ['chosen on the command line', ['--max-semi-space-size=16'], '', ['--max-semi-space-size=16']],
  ['chosen in NODE_OPTIONS', [], '--require x.js --max_semi_space_size=2', []],
  ['another heap flag only', [], '--min-semi-space-size=2', [bound]],
])('a worker starts with the young generation bound unless the operator chose one: %s', (_case, execArgv, nodeOptions, expected) => {
  expect(workerNodeArgs(execArgv, nodeOptions)).toEqual(expected);
});

async function workerArgs(env: NodeJS.ProcessEnv): Promise<string[]> {
  const versionFile = freshDatabasePath('release').replace(/test\.db$/, 'VERSION');
  writeFileSync(versionFile, 'v1');
  const server = await startService(fixture, { WORKERS: '1', VERSION_FILE: versionFile, ...env });
  let execArgv: string[] = [];
  await waitFor(async () => {
    const health = (await (await fetch(`${server.url}/health`, { signal: AbortSignal.timeout(10_000) })).json()) as { execArgv: string[]; workers?: unknown[] };
    execArgv = health.execArgv;
    return (health.workers ?? []).length === 1;
  }, { what: 'the worker to serve' });
  await server.stop();
  return execArgv;
}

test('a real worker runs with the bound, and without it when NODE_OPTIONS chose one', async () => {
  expect(await workerArgs({})).toContain(bound);
  expect(await workerArgs({ NODE_OPTIONS: '--max-semi-space-size=16' })).not.toContain(bound);
}, 120_000);
