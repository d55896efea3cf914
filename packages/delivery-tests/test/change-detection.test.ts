import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tempDir } from '@toasties/testkit';
import { output, run } from './support/run';
import { throwawayRepo, type ThrowawayRepo } from './support/throwaway-repo';

// The change-detection table, on a throwaway copy of this repository: each row commits a
// change and checks whose tag (./last_commit.sh) moved, and that turbo's own change
// detection (turbo ls --filter=<service>...[HEAD~1]) agrees, so the two cannot drift apart.

const services = ['chillybin', 'jafflr'] as const;
type Service = (typeof services)[number];
const both: Service[] = ['chillybin', 'jafflr'];

let repo: ThrowawayRepo;
let current: Record<string, string>; // every service's tag at the repository's HEAD
beforeAll(() => {
  repo = throwawayRepo();
  current = tags();
});

/**
 * The source file that declares a flag (`'pick.v2': {`), wherever it lives: adding a flag
 * beside it is how a maintainer adds one (docs/foxtrot.md, "Flags").
 */
function declarationOf(flag: string): string {
  const found = output('git', ['grep', '-l', '-F', `'${flag}': {`, '--', 'services/*/src/*.ts', 'packages/*/src/*.ts'], { cwd: repo.dir }).split('\n');
  expect(found).toHaveLength(1);
  return found[0]!;
}

const lastCommit = (service: string) => output(join(repo.dir, 'last_commit.sh'), [service], { cwd: repo.dir });
const tags = () => Object.fromEntries(services.map((service) => [service, lastCommit(service)]));

/** The services turbo says are affected since the previous commit. */
function affectedPerTurbo(): Service[] {
  return services.filter((service) => {
    const name = (JSON.parse(readFileSync(join(repo.dir, 'services', service, 'package.json'), 'utf8')) as { name: string }).name;
    const listed = JSON.parse(output(join(repo.dir, 'node_modules/.bin/turbo'), ['ls', `--filter=${name}...[HEAD~1]`, '--output=json'], { cwd: repo.dir })) as {
      packages: { items: { name: string }[] };
    };
    return listed.packages.items.some((item) => item.name === name);
  });
}

describe('./last_commit.sh on a throwaway repository', () => {
  // [what changes, whose tag moves, paths, turbo agrees exactly]. Where turbo does not agree
  // exactly, it still never sees a change we miss: our inputs are a superset of its view
  // (turbo reads the lockfile per package and ignores docker/; an image contains both).
  test.each<[string, Service[], string[], boolean]>([
    ['a package both services use', both, ['packages/http/src/index.ts'], true],
    ['jafflr only', ['jafflr'], ['services/jafflr/src/main.ts'], true],
    ['chillybin only', ['chillybin'], ['services/chillybin/src/stock.ts'], true],
    ['testkit, a devDependency of both (turbo prune ships it into the build)', both, ['packages/testkit/src/index.ts'], true],
    ['the end-to-end tests, a dependent of both services and not a dependency', [], ['packages/e2e/test/services.ts'], true],
    ['README.md', [], ['README.md'], true],
    ['a new page in docs/', [], ['docs/a-new-page.md'], true],
    ['the workflows and scripts', [], ['.github/workflows/ci.yml', 'scripts/smoke.sh'], true],
    ['the deploy block\'s type, which only the scripts read', [], ['scripts/lib/deployment.d.ts'], true],
    ['the HTTP contract between the services', both, ['packages/contract/src/pick.ts'], true],
    ['the lockfile', both, ['package-lock.json'], false],
    ['the root package.json', both, ['package.json'], false],
    ['tsconfig.base.json', both, ['tsconfig.base.json'], true],
    ['turbo.json', both, ['turbo.json'], true],
    ['docker/', both, ['docker/Dockerfile'], false],
    // A flag belongs to the service that reads it: a new flag of jafflr (beside pick.v2) redeploys jafflr alone.
    ['the file declaring jafflr\'s flags (a new flag)', ['jafflr'], ['{flags of pick.v2}'], true],
  ])('a change in %s moves the tags of %j', (_what, expected, paths, turboAgrees) => {
    const before = current;
    const commit = repo.commitChange(paths.map((path) => path.replace(/^\{flags of (.+)\}$/, (_, flag: string) => declarationOf(flag))));
    const after = (current = tags());

    const moved = services.filter((service) => after[service] !== before[service]);
    expect(moved).toEqual(expected);
    for (const service of moved) expect(after[service]).toBe(commit);

    const turbo = affectedPerTurbo();
    if (turboAgrees) expect(turbo).toEqual(expected);
    else expect(expected).toEqual(expect.arrayContaining(turbo));
  });

  test('a workspace added later is read from the graph: once jafflr depends on it, its changes move jafflr only', () => {
    repo.git('checkout', '--quiet', '-b', 'new-package');
    const write = (path: string, text: string) => {
      mkdirSync(dirname(join(repo.dir, path)), { recursive: true });
      writeFileSync(join(repo.dir, path), text);
    };
    write('packages/crumbs/package.json', JSON.stringify({ name: '@toasties/crumbs', version: '0.1.0', private: true }, null, 2));
    write('packages/crumbs/src/index.ts', 'export const crumbs = 0;\n');
    const manifest = JSON.parse(readFileSync(join(repo.dir, 'services/jafflr/package.json'), 'utf8')) as { dependencies: Record<string, string> };
    manifest.dependencies['@toasties/crumbs'] = '*';
    write('services/jafflr/package.json', `${JSON.stringify(manifest, null, 2)}\n`);
    repo.git('add', '--all');
    repo.git('commit', '--quiet', '--message', 'jafflr uses a new package');

    expect(output(join(repo.dir, 'last_commit.sh'), ['--paths', 'jafflr'], { cwd: repo.dir }).split('\n')).toContain('packages/crumbs');
    const before = tags();
    const commit = repo.commitChange(['packages/crumbs/src/index.ts']);
    expect((current = tags())).toEqual({ chillybin: before.chillybin, jafflr: commit });
    expect(affectedPerTurbo()).toEqual(['jafflr']);
  });
});

describe('scripts/changed-services.sh <base-ref>', () => {
  const changedSince = (base: string) => JSON.parse(output(join(repo.dir, 'scripts/changed-services.sh'), [base], { cwd: repo.dir })) as string[];

  test('lists, as a JSON array, the services whose tag moved since the base, and only those', () => {
    repo.git('checkout', '--quiet', '-b', 'feature', 'main');
    const base = repo.git('rev-parse', 'HEAD');
    expect(changedSince(base)).toEqual([]);

    repo.commitChange(['services/jafflr/src/app.ts']);
    repo.commitChange(['docs/notes.md']);
    expect(changedSince(base)).toEqual(['jafflr']);
    expect(changedSince('main')).toEqual(['jafflr']);

    repo.commitChange(['packages/config/src/index.ts']);
    expect(changedSince(base)).toEqual(['chillybin', 'jafflr']);
    expect(changedSince('HEAD')).toEqual([]);
  });

  test('a pull request is judged from where it branched: what landed on main since does not count', () => {
    repo.git('checkout', '--quiet', '-b', 'pr', 'main');
    repo.commitChange(['services/chillybin/src/app.ts']);
    repo.git('checkout', '--quiet', 'main');
    repo.commitChange(['services/jafflr/src/cook.ts']);
    repo.git('checkout', '--quiet', 'pr');

    expect(changedSince('main')).toEqual(['chillybin']);
  });

  test('--all lists every service; a base that is not a commit exits 2', () => {
    expect(JSON.parse(output(join(repo.dir, 'scripts/changed-services.sh'), ['--all'], { cwd: repo.dir }))).toEqual(['chillybin', 'jafflr']);
    const result = run(join(repo.dir, 'scripts/changed-services.sh'), ['no-such-ref'], { cwd: repo.dir });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/'no-such-ref' is not a commit/);
  });
});

describe('./last_commit.sh, its interface', () => {
  test('--paths lists the service, its workspace dependencies and the shared inputs, never a dependent', () => {
    const paths = output('./last_commit.sh', ['--paths', 'jafflr']).split('\n');
    expect(paths).toEqual(
      expect.arrayContaining(['services/jafflr', 'packages/http', 'packages/config', 'packages/testkit', 'package-lock.json', 'package.json', 'tsconfig.base.json', 'turbo.json', 'docker']),
    );
    expect(paths).not.toContain('services/chillybin');
    expect(paths).not.toContain('packages/e2e');
  });

  test('an unknown service exits 2 and names the known ones', () => {
    const result = run('./last_commit.sh', ['toaster']);
    expect(result).toMatchObject({ status: 2, stdout: '' });
    expect(result.stderr).toMatch(/unknown service 'toaster'; known services: chillybin jafflr/);
  });

  test('gives the same answer from any directory', () => {
    const fromRoot = output('./last_commit.sh', ['chillybin']);
    expect(fromRoot).toMatch(/^[0-9a-f]{40}$/);
    expect(output(join(repo.dir, 'last_commit.sh'), ['chillybin'], { cwd: '/' })).toBe(lastCommit('chillybin'));
    expect(output('../../last_commit.sh', ['chillybin'], { cwd: join(__dirname, '..') })).toBe(fromRoot);
  });

  test('refuses a shallow clone, where the answer would be wrong, and says how to fix it', () => {
    const shallow = join(tempDir('shallow-clone'), 'repo'); // removed when the file ends
    output('git', ['clone', '--quiet', '--depth=1', `file://${repo.dir}`, shallow]);
    output('ln', ['-s', join(repo.dir, 'node_modules'), join(shallow, 'node_modules')]);
    const result = run(join(shallow, 'last_commit.sh'), ['jafflr'], { cwd: shallow });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/shallow clone.*fetch-depth: 0/);
  });
});
