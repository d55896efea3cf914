import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@toasties/testkit';
import { output, repoRoot } from './support/run';

// A first `npm run deploy` writes each service's environment (lib/release.sh, ensure_env)
// from the service's deploy block: the same file the hand-written cases used to write.
function ensureEnv(service: string, env: NodeJS.ProcessEnv = {}) {
  const root = tempDir('first-env'); // removed when the file ends
  output('bash', ['-c', 'source scripts/lib/release.sh && ensure_env "$1"', 'ensure_env', service], { env: { DEPLOY_ROOT: root, ...env } });
  return { root, env: readFileSync(join(root, service, 'env'), 'utf8') };
}

test('chillybin: its port, its database under its directory (data/ made, and backups/), two workers, JSON logs', () => {
  const { root, env } = ensureEnv('chillybin');
  expect(env).toBe(`PORT=7001\nDATABASE_PATH=${root}/chillybin/data/chillybin.db\nWORKERS=2\nLOG_FORMAT=json\n`);
  expect(existsSync(join(root, 'chillybin', 'data'))).toBe(true);
  expect(existsSync(join(root, 'chillybin', 'backups'))).toBe(true);
});

test('jafflr: its port and where chillybin listens; CHILLYBIN_PORT, JAFFLR_PORT and DEPLOY_WORKERS change them', () => {
  expect(ensureEnv('jafflr').env).toBe('PORT=7000\nCHILLYBIN_URL=http://127.0.0.1:7001\nWORKERS=2\nLOG_FORMAT=json\n');
  const { root, env } = ensureEnv('jafflr', { CHILLYBIN_PORT: '7101', JAFFLR_PORT: '7100', DEPLOY_WORKERS: '3' });
  expect(env).toBe('PORT=7100\nCHILLYBIN_URL=http://127.0.0.1:7101\nWORKERS=3\nLOG_FORMAT=json\n');
  expect(existsSync(join(root, 'jafflr', 'data'))).toBe(false);
});

test('an environment written before is kept as it is', () => {
  const { root } = ensureEnv('jafflr');
  writeFileSync(join(root, 'jafflr', 'env'), 'PORT=7200\n');
  output('bash', ['-c', 'source scripts/lib/release.sh && ensure_env jafflr'], { cwd: repoRoot, env: { DEPLOY_ROOT: root } });
  expect(readFileSync(join(root, 'jafflr', 'env'), 'utf8')).toBe('PORT=7200\n');
});
