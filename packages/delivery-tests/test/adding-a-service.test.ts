import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { LOG_MESSAGES } from '@toasties/contract';
import { freePort, logLine, spawnProcess, stopAllProcesses, waitFor } from '@toasties/testkit';
import { output, repoRoot, run } from './support/run';
import { throwawayRepo, type ThrowawayRepo } from './support/throwaway-repo';

// docs/adding-a-service.md, followed on a throwaway copy of this repository: a third service,
// "toaster" (the page's own main.ts: one runService call, calling jafflr), is picked up by
// last_commit.sh, changed-services.sh and the deploy plan with no script edited, and runs as
// a cluster whose /health lists its workers.

let repo: ThrowawayRepo;
let before: string; // the commit before toaster was added
let added: string; // the commit that added it

/** The page's one TypeScript block: the whole of a service's main.ts. */
const documentedMain = (() => {
  const page = readFileSync(join(repoRoot, 'docs/adding-a-service.md'), 'utf8');
  const blocks = [...page.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]!);
  if (blocks.length !== 1) throw new Error(`docs/adding-a-service.md should have one ts block; it has ${blocks.length}`);
  return blocks[0]!;
})();

const files: Record<string, string> = {
  'services/toaster/package.json': `${JSON.stringify(
    {
      name: '@toasties/toaster',
      version: '0.1.0',
      private: true,
      description: 'A third service, added by following docs/adding-a-service.md.',
      deploy: { port: { variable: 'TOASTER_PORT', default: 7002 }, calls: ['jafflr'], env: { JAFFLR_URL: '{url:jafflr}' } },
      main: 'dist/main.js',
      scripts: { build: 'tsc -p tsconfig.json', start: 'node dist/main.js' },
      dependencies: { '@toasties/config': '*', '@toasties/graceful': '*', '@toasties/observability': '*', express: '^5.3.0' },
    },
    null,
    2,
  )}\n`,
  'services/toaster/tsconfig.json': `${JSON.stringify({ extends: '../../tsconfig.base.json', compilerOptions: { rootDir: 'src', outDir: 'dist', types: ['node'] }, include: ['src'] }, null, 2)}\n`,
  'services/toaster/src/main.ts': documentedMain,
};

test('its main.ts is one runService call that names no cluster, health or metrics part', () => {
  expect(documentedMain.match(/runService\(/g)).toHaveLength(1);
  expect(documentedMain).not.toMatch(/cluster|createHealth|createClusterStatus|serve\(|trackReadiness|createMetrics|\/dist\//i);
  expect(documentedMain.trim().split('\n').length).toBeLessThanOrEqual(10);
});

beforeAll(() => {
  repo = throwawayRepo();
  before = repo.git('rev-parse', 'HEAD');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(repo.dir, path)), { recursive: true });
    writeFileSync(join(repo.dir, path), text);
  }
  repo.git('add', '--all');
  repo.git('commit', '--quiet', '--message', 'a third service, toaster');
  added = repo.git('rev-parse', 'HEAD');
}, 120_000);

afterAll(stopAllProcesses);

const script = (path: string, args: readonly string[], env: NodeJS.ProcessEnv = {}) => run(join(repo.dir, path), args, { cwd: repo.dir, env: { DEPLOY_ROOT: join(repo.dir, '.deploy'), ...env } });

test('no script was edited to add it', () => {
  expect(repo.git('diff', '--name-only', before, added).split('\n').sort()).toEqual(Object.keys(files).sort());
});

test('last_commit.sh knows it: its inputs are its own directory and the workspaces it depends on, and its tag is the commit that added it', () => {
  const paths = output(join(repo.dir, 'last_commit.sh'), ['--paths', 'toaster'], { cwd: repo.dir }).split('\n');
  expect(paths).toEqual(expect.arrayContaining(['services/toaster', 'packages/graceful', 'packages/health', 'packages/config', 'package-lock.json']));
  expect(paths).not.toContain('services/jafflr'); // it calls jafflr over HTTP: no package dependency
  expect(output(join(repo.dir, 'last_commit.sh'), ['toaster'], { cwd: repo.dir })).toBe(added);
});

test('changed-services.sh lists it when it changed, alone, and with the others under --all', () => {
  expect(JSON.parse(script('scripts/changed-services.sh', [before]).stdout)).toEqual(['toaster']);
  expect(JSON.parse(script('scripts/changed-services.sh', ['--all']).stdout)).toEqual(['chillybin', 'jafflr', 'toaster']);
  const health = repo.commitChange(['packages/health/src/index.ts'], 'a change to a package toaster depends on');
  expect(JSON.parse(script('scripts/changed-services.sh', [added]).stdout)).toEqual(['chillybin', 'jafflr', 'toaster']);
  expect(output(join(repo.dir, 'last_commit.sh'), ['toaster'], { cwd: repo.dir })).toBe(health);
});

test('the deploy plan has it, after the service it calls, on its port from its deploy block', () => {
  const plan = script('scripts/deploy.sh', ['--plan', 'toaster', 'jafflr', 'chillybin'], { TOASTER_PORT: '7302' });
  expect(plan.status).toBe(0);
  const lines = plan.stderr.trim().split('\n');
  expect(lines.map((line) => line.split(':')[1]?.trim())).toEqual(['chillybin', 'jafflr', 'toaster']);
  expect(lines[2]).toMatch(/^plan: toaster: would deploy [0-9a-f]{12}; port 7302 \(TOASTER_PORT, default 7002\); after jafflr$/);
  expect(script('scripts/deploy.sh', ['--plan']).stderr).toMatch(/plan: toaster: would deploy \w+; port 7002 \(TOASTER_PORT, default 7002\); after jafflr\n$/);
});

test('its first deploy writes its environment from its deploy block: PORT, and where the service it calls listens', () => {
  const root = join(repo.dir, '.deploy');
  output('bash', ['-c', 'source scripts/lib/release.sh && ensure_env toaster'], { cwd: repo.dir, env: { DEPLOY_ROOT: root, JAFFLR_PORT: '7300' } });
  expect(readFileSync(join(root, 'toaster', 'env'), 'utf8')).toBe('PORT=7002\nJAFFLR_URL=http://127.0.0.1:7300\nWORKERS=2\nLOG_FORMAT=json\n');
});

test('and it is a service like the others: it builds, and /health passes the smoke test', async () => {
  output(join(repo.dir, 'node_modules/.bin/tsc'), ['-p', 'services/toaster/tsconfig.json'], { cwd: repo.dir, timeoutMs: 120_000 });
  const toaster = spawnProcess(process.execPath, [join(repo.dir, 'services/toaster/dist/main.js')], { PORT: '0', VERSION: added, WORKERS: '0', LOG_FORMAT: 'json' });
  const line = await toaster.waitForLine(logLine(LOG_MESSAGES.listening));
  const { url } = JSON.parse(line) as { url: string };
  const smoke = await waitFor(() => {
    const result = script('scripts/smoke.sh', [url, added]);
    return result.status === 0 ? result : undefined;
  }, { timeoutMs: 60_000, what: 'toaster to pass the smoke test' });
  expect(smoke.stdout).toBe(`smoke: toaster ${added} is healthy\n`);
  await expect(toaster.stop('SIGTERM')).resolves.toEqual({ code: 0, signal: null });
}, 180_000);

test('as a cluster, its /health lists every worker serving, and its readiness comes with it', async () => {
  const port = await freePort();
  const toaster = spawnProcess(process.execPath, [join(repo.dir, 'services/toaster/dist/main.js')], { PORT: String(port), VERSION: added, WORKERS: '2', LOG_FORMAT: 'json' });
  const url = `http://127.0.0.1:${port}`;
  const health = await waitFor(async () => {
    const body = (await fetch(`${url}/health`).then((res) => res.json(), () => undefined)) as { workers?: unknown[] } | undefined;
    return body?.workers?.length === 2 ? body : undefined;
  }, { timeoutMs: 60_000, what: 'two toaster workers in /health' });
  expect(health).toMatchObject({ status: 'ok', service: 'toaster', version: added, reloading: false });
  const ready = await fetch(`${url}/health/ready`);
  expect([ready.status, await ready.json()]).toEqual([200, expect.objectContaining({ status: 'ready', service: 'toaster' })]);
  await expect(toaster.stop('SIGTERM')).resolves.toEqual({ code: 0, signal: null });
}, 180_000);
