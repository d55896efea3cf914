import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@toasties/testkit';
import { readRepoFile } from './support/files';
import { output, repoRoot, run } from './support/run';

// scripts/k8s-can-i-deploy.sh, the contract check of CD's delivery to Kubernetes. kubectl and
// docker are stand-ins (fixtures/fake-cluster: the cluster is a folder; a "container" is this
// repository's build of the service, started for real on loopback), so what is checked is real:
// the service answers the expectations, and what a broken contract leaves behind.
const fakes = join(__dirname, 'fixtures/fake-cluster');
const contract = 'services/jafflr/contract/chillybin.json';

interface Cluster {
  readonly dir: string;
  readonly gitDir: string;
  /** jafflr's deployed tag: a commit whose tree holds today's expectations of chillybin. */
  readonly withContract: string;
  /** A commit from before jafflr had a contract file. */
  readonly withoutContract: string;
}

/** A cluster running chillybin and jafflr, and a history jafflr's deployed tags come from. */
function cluster(): Cluster {
  const dir = tempDir('fake-cluster');
  const work = join(dir, 'history');
  mkdirSync(join(work, 'services/jafflr/contract'), { recursive: true });
  const git = (...args: string[]) => output('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: work });
  git('init', '--quiet');
  writeFileSync(join(work, 'README.md'), 'before contracts\n');
  git('add', '.');
  git('commit', '--quiet', '-m', 'before contracts');
  const withoutContract = git('rev-parse', '--short', 'HEAD');
  copyFileSync(join(repoRoot, contract), join(work, contract));
  git('add', '.');
  git('commit', '--quiet', '-m', 'jafflr expects of chillybin');
  return { dir, gitDir: join(work, '.git'), withContract: git('rev-parse', '--short', 'HEAD'), withoutContract };
}

function deployed(on: Cluster, service: string, tag: string, env: Record<string, string>) {
  writeFileSync(join(on.dir, `${service}.image`), `ghcr.io/example/toasties/${service}:${tag}`);
  writeFileSync(join(on.dir, `${service}.env`), Object.entries(env).map(([name, value]) => `${name}=${value}\n`).join(''));
}

function check(on: Cluster, service: string) {
  return run('bash', ['scripts/k8s-can-i-deploy.sh', service, `ghcr.io/example/toasties/${service}:candidate`], {
    env: { PATH: `${fakes}:${process.env.PATH}`, FAKE_CLUSTER: on.dir, GIT_DIR: on.gitDir, NAMESPACE: 'toasties' },
    timeoutMs: 120_000,
  });
}

/** The containers the check started, and whether any is still running. */
function containers(on: Cluster) {
  const root = join(on.dir, 'containers');
  const ids = existsSync(root) ? readdirSync(root) : [];
  const running = ids.filter((id) => {
    try {
      process.kill(Number(readFileSync(join(root, id, 'pid'), 'utf8')), 0);
      return true;
    } catch {
      return false;
    }
  });
  return { started: ids.length, running };
}

let current: Cluster | undefined;
afterEach(() => {
  // A failed assertion must not leave a service running.
  for (const id of current ? containers(current).running : []) process.kill(Number(readFileSync(join(current!.dir, 'containers', id, 'pid'), 'utf8')), 'SIGKILL');
  current = undefined;
});

const refusedV1 = /interaction 5: jafflr expects POST \/pick\?name=cheese&quantity=1 \(a v1 pick of one slice of cheese \(pick\.v2 off\)\) to answer 200; chillybin answered otherwise:\n {2}status: expected 200, got 410/;

// The foxtrot's step 3 on Kubernetes: chillybin with FLAG_PICK_V1=off is refused while the
// deployed jafflr may still call v1 (FLAG_PICK_V2 not on), in either direction of delivery.
test.each<[string, string, Record<string, string>, number, RegExp]>([
  ['chillybin, every deployed jafflr on v2', 'chillybin', { FLAG_PICK_V2: 'on' }, 0, /6 interactions of jafflr with chillybin: as expected/],
  ['chillybin, a deployed jafflr that may still call v1', 'chillybin', { FLAG_PICK_V2: '25%' }, 1, refusedV1],
  ['jafflr on v2, against the deployed chillybin', 'jafflr', { FLAG_PICK_V2: 'on' }, 0, /6 interactions of jafflr with chillybin: as expected/],
  ['jafflr that may still call v1, against the deployed chillybin', 'jafflr', {}, 1, refusedV1],
])('delivering %s', (_what, service, jafflrEnv, status, said) => {
  current = cluster();
  deployed(current, 'chillybin', 'deployed', { FLAG_PICK_V1: 'off', DATABASE_URL: 'postgres://never.example/toasties', ADMIN_TOKEN: 'secret' });
  deployed(current, 'jafflr', current.withContract, jafflrEnv);
  const result = check(current, service);
  expect({ status: result.status, said: `${result.stdout}${result.stderr}` }).toEqual({ status, said: expect.stringMatching(said) });
  // One throwaway provider, with the deployment's flags but none of its data or its token.
  const log = readFileSync(join(current.dir, 'docker.log'), 'utf8');
  expect(log).toMatch(/^run --detach --publish 127\.0\.0\.1::8080 --env WORKERS=0 --env DATABASE_URL= --env ADMIN_TOKEN= --env FLAG_PICK_V1=off ghcr\.io\/example\/toasties\/chillybin:(candidate|deployed)\n/);
  expect(log).not.toContain('never.example');
  expect(log).not.toContain('secret');
  // Removed, pass or fail.
  expect(containers(current)).toEqual({ started: 1, running: [] });
}, 120_000);

test.each<[string, (on: Cluster) => string, number, string, number]>([
  ['jafflr deployed from a commit without expectations of chillybin: nothing to check', (on) => on.withoutContract, 0, 'the deployed jafflr (', 0],
  ['jafflr deployed from a commit this clone does not have: refused', () => 'f00dfeed', 1, 'cannot check the deployed jafflr: its tag f00dfeed is not a commit of this clone', 0],
])('delivering chillybin, %s', (_what, tag, status, said, started) => {
  current = cluster();
  deployed(current, 'chillybin', 'deployed', {});
  deployed(current, 'jafflr', tag(current), { FLAG_PICK_V2: 'on' });
  const result = check(current, 'chillybin');
  expect({ status: result.status, said: `${result.stdout}${result.stderr}` }).toEqual({ status, said: expect.stringContaining(said) });
  expect(containers(current).started).toBe(started);
});

test('k8s-rollout.sh checks the contracts after the image exists and before anything is rolled out', () => {
  const rollout = readRepoFile('scripts/k8s-rollout.sh');
  const checkAt = rollout.indexOf('scripts/k8s-can-i-deploy.sh "$service" "$image:$tag"');
  expect(checkAt).toBeGreaterThan(rollout.indexOf('docker push "$image:$tag"'));
  expect(checkAt).toBeLessThan(rollout.indexOf('revision=$(kubectl'));
});
