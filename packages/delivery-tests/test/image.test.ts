import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describeWithTool, spawnProcess, type RunningProcess } from '@toasties/testkit';
import { CONTAINER_ENGINE } from './support/container-engine';
import { repoRoot } from './support/run';

// The images as CD builds them, started and stopped for real by scripts/image-test.sh (its
// header lists the checks). Where no registry serves node:20-bookworm-slim, NODE_IMAGE
// names a stand-in (scripts/node-image-stand-in.sh; .ci/run sets it).
// Only a hang ends this test early: builds take minutes on a busy machine, and the script
// bounds each of its own waits.
const hangGuardMs = 45 * 60_000;
const runName = `toasties-image-test-jest-${process.pid}`;
const engine = CONTAINER_ENGINE.command;

let script: RunningProcess | undefined;

afterAll(async () => {
  // The script removes what it started at exit; if it is still running (the guard fired),
  // stop it so that its trap does, then remove anything of this run that is left anyway.
  if (script) await script.stop('SIGTERM', 10 * 60_000);
  const left = (kind: string, filter: string) =>
    spawnSync(engine, [kind, 'ls', '--quiet', ...(kind === 'container' ? ['--all'] : []), '--filter', `${filter}=${runName}`], { encoding: 'utf8' }).stdout?.split('\n').filter(Boolean) ?? [];
  for (const id of left('container', 'name')) spawnSync(engine, ['rm', '-f', id]);
  for (const id of left('network', 'name')) spawnSync(engine, ['network', 'rm', id]);
  for (const id of left('volume', 'name')) spawnSync(engine, ['volume', 'rm', '-f', id]);
});

describeWithTool(CONTAINER_ENGINE, 'the images, built from docker/Dockerfile and run', () => {
  test(
    'scripts/image-test.sh: health, a toastie, HEALTHCHECK, non-root, SIGTERM drains, data on the volume',
    async () => {
      script = spawnProcess(join(repoRoot, 'scripts/image-test.sh'), [], { IMAGE_TEST_NAME: runName, CONTAINER_ENGINE: engine });
      const exit = await script.waitForExit(hangGuardMs);
      // On failure jest prints the whole object: the script's output says what went wrong.
      expect({ exit, output: script.output() }).toEqual({
        exit: { code: 0, signal: null },
        output: expect.stringMatching(/image-test: all checks passed/),
      });
      const output = script.output();
      for (const check of [
        /chillybin: HEALTHCHECK passes/,
        /jafflr: HEALTHCHECK passes/,
        /smoke: \S+ [0-9a-f]{40} is healthy/,
        /every process runs as node \(uid 1000\)/,
        /POST \/toastie\?i=cheese through jafflr -> chillybin: 200/,
        /SIGTERM during a burnt toastie: served \(200\), jafflr exited 0/,
        /chillybin's stock survives a new container on its volume/,
        /image toasties\/chillybin:[0-9a-f]{40}: \d+ MB/,
      ]) {
        expect(output).toMatch(check);
      }
    },
    hangGuardMs,
  );
});
