import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServiceDeployment } from '../../../scripts/lib/deployment';
import { tempDir } from '@toasties/testkit';
import { repoRoot, run } from './support/run';

// scripts/lib/services.mjs: the services' deploy blocks, read for the scripts. On this
// repository's two services, then on made-up trees for what it must refuse.
const ask = (root: string, ...args: string[]) => run(process.execPath, [join(root, 'scripts/lib/services.mjs'), ...args]);

/** A tree holding the reader and one package.json per service, with these deploy blocks. */
function tree(services: Record<string, Partial<ServiceDeployment> | undefined>): string {
  const root = tempDir('services-reader'); // removed when the file ends
  mkdirSync(join(root, 'scripts/lib'), { recursive: true });
  for (const file of ['services.mjs', 'service-descriptions.mjs']) copyFileSync(join(repoRoot, 'scripts/lib', file), join(root, 'scripts/lib', file));
  for (const [name, deploy] of Object.entries(services)) {
    mkdirSync(join(root, 'services', name), { recursive: true });
    writeFileSync(join(root, 'services', name, 'package.json'), JSON.stringify({ name: `@toasties/${name}`, deploy }));
  }
  return root;
}
const port = (n: number) => ({ variable: `S${n}_PORT`, default: 7000 + n });

describe('on this repository', () => {
  test('order: a caller after what it calls (jafflr after chillybin), whatever order they are given in', () => {
    expect(ask(repoRoot, 'order', 'jafflr', 'chillybin')).toMatchObject({ status: 0, stdout: 'chillybin\njafflr\n' });
    expect(ask(repoRoot, 'order', 'jafflr')).toMatchObject({ status: 0, stdout: 'jafflr\n' });
  });

  test('migrate and backup: chillybin migrates after a backup of DATABASE_PATH; jafflr neither', () => {
    expect(ask(repoRoot, 'migrate', 'chillybin').stdout).toBe('node\ndist/migrate-cli.js\nup\n');
    expect(ask(repoRoot, 'backup', 'chillybin').stdout).toBe('DATABASE_PATH\nnode\ndist/backup-cli.js\nbackup\n');
    expect(ask(repoRoot, 'migrate', 'jafflr')).toMatchObject({ status: 0, stdout: '' });
    expect(ask(repoRoot, 'backup', 'jafflr')).toMatchObject({ status: 0, stdout: '' });
  });

  test('dirs: what a first deploy creates under the service directory', () => {
    expect(ask(repoRoot, 'dirs', 'chillybin', '/srv/c').stdout).toBe('/srv/c/data\n/srv/c/backups\n');
    expect(ask(repoRoot, 'dirs', 'jafflr', '/srv/j').stdout).toBe('');
  });

  test('an unknown service, or a name that could be a path, exits 2', () => {
    expect(ask(repoRoot, 'plan', 'toaster')).toMatchObject({ status: 2, stderr: "unknown service 'toaster' (no services/toaster/package.json)\n" });
    expect(ask(repoRoot, 'plan', '../packages/http').status).toBe(2);
    expect(ask(repoRoot, 'env', 'jafflr').status).toBe(2); // bad usage: no directory
  });
});

describe('what it refuses, one line naming the file and the field', () => {
  test.each<[string, Partial<ServiceDeployment> | undefined, RegExp]>([
    ['no deploy block', undefined, /services\/a\/package.json: no "deploy" block/],
    ['a port variable that is not one', { port: { variable: 'a-port', default: 1 }, calls: [] }, /deploy.port.variable must be/],
    ['a port out of range', { port: { variable: 'A_PORT', default: 70000 }, calls: [] }, /deploy.port.default must be a port/],
    ['no calls list', { port: port(1) }, /deploy.calls must list/],
    ['a placeholder for a service it does not call', { port: port(1), calls: [], env: { B_URL: '{url:b}' } }, /a placeholder is \{dir\} or \{url:<a service in deploy.calls>\}/],
    ['a migrate command as one string', { port: port(1), calls: [], migrate: 'node migrate.js' as unknown as string[] }, /deploy.migrate must be a command, as a list of arguments/],
    ['a backup without its file variable', { port: port(1), calls: [], backup: { command: ['x'] } as unknown as ServiceDeployment['backup'] }, /deploy.backup must be/],
  ])('%s', (_what, deploy, message) => {
    const root = tree({ a: deploy, b: { port: port(2), calls: [] } });
    const result = ask(root, 'plan', 'a');
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toMatch(/\(see docs\/adding-a-service.md\)\n$/);
  });

  test('services that call each other in a circle cannot be ordered', () => {
    const root = tree({ a: { port: port(1), calls: ['b'] }, b: { port: port(2), calls: ['a'] } });
    expect(ask(root, 'order', 'a', 'b')).toMatchObject({ status: 2, stderr: 'the services call each other in a circle: a, b\n' });
  });
});
