import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describeWithTool, spawnProcess, type RunningProcess } from '@toasties/testkit';
import { COMPOSE, CONTAINER_ENGINE, NODE_BASE_IMAGE, PROMETHEUS_BASE_IMAGE } from './support/container-engine';
import { repoRoot } from './support/run';

// The images as CD builds them, started and stopped for real by scripts/image-test.sh, then
// the compose stack on those images by scripts/compose-test.sh (their headers list the
// checks). Where no registry serves node:20-bookworm-slim or prom/prometheus, NODE_IMAGE
// and PROMETHEUS_IMAGE name stand-ins (scripts/*-image-stand-in.sh; .ci/run sets both).
// Only a hang ends this test early: builds take minutes on a busy machine, and the script
// bounds each of its own waits.
const hangGuardMs = 45 * 60_000;
// A script stopped mid-build finishes the engine command it waits on before its clean-up.
const stopGuardMs = 10 * 60_000;
// Everything the scripts start is named after the run: left-overs can be found and removed.
const runName = `toasties-image-test-jest-${process.pid}`;
const engine = CONTAINER_ENGINE.command;

let script: RunningProcess | undefined;

/** Runs one of the scripts to its end; its exit and everything it printed. */
async function runScript(path: string, env: NodeJS.ProcessEnv) {
  script = spawnProcess(join(repoRoot, path), [], { CONTAINER_ENGINE: engine, ...env });
  const exit = await script.waitForExit(hangGuardMs);
  return { exit, output: script.output() };
}

afterAll(async () => {
  // A script removes what it started at exit; if one is still running (the guard fired),
  // stop it so that its trap does, then remove anything of this run that is left anyway.
  if (script) await script.stop('SIGTERM', stopGuardMs);
  const left = (kind: string) =>
    spawnSync(engine, [kind, 'ls', '--quiet', ...(kind === 'container' ? ['--all'] : []), '--filter', `name=${runName}`], { encoding: 'utf8' }).stdout?.split('\n').filter(Boolean) ?? [];
  for (const id of left('container')) spawnSync(engine, ['rm', '-f', id]);
  for (const id of left('network')) spawnSync(engine, ['network', 'rm', id]);
  for (const id of left('volume')) spawnSync(engine, ['volume', 'rm', '-f', id]);
}, stopGuardMs + 60_000);

describeWithTool([CONTAINER_ENGINE, NODE_BASE_IMAGE], 'the images, built from docker/Dockerfile and run', () => {
  test(
    'scripts/image-test.sh: health, a toastie, HEALTHCHECK, non-root, SIGTERM drains, data on the volume',
    async () => {
      const ran = await runScript('scripts/image-test.sh', { IMAGE_TEST_NAME: runName });
      // On failure jest prints the whole object: the script's output says what went wrong.
      expect(ran).toEqual({ exit: { code: 0, signal: null }, output: expect.stringMatching(/image-test: all checks passed/) });
      const { output } = ran;
      for (const check of [
        /chillybin: HEALTHCHECK passes/,
        /jafflr: HEALTHCHECK passes/,
        /smoke: \S+ [0-9a-f]{40} is healthy/,
        /every process runs as node \(uid 1000\)/,
        /POST \/toastie\?i=cheese through jafflr -> chillybin: 200/,
        /SIGTERM during a burnt toastie: served \(200\), jafflr exited 0/,
        /chillybin's stock survives a new container on its volume/,
        /image toasties\/chillybin:[0-9a-f]{40}: \d+ MB/,
        // What earlier runs built goes; this run's images and build steps (the cache) stay.
        /image-test: removed \d+ older tag\(s\) of toasties\/\S+ toasties\/\S+, and .*dangling image/,
      ]) {
        expect(output).toMatch(check);
      }
    },
    hangGuardMs,
  );

  describeWithTool([COMPOSE, PROMETHEUS_BASE_IMAGE], 'docker/compose.yml, up for real on those images', () => {
    test(
      'scripts/compose-test.sh: chillybin, jafflr and Prometheus up; a toastie; both scraped with their version',
      async () => {
        const ran = await runScript('scripts/compose-test.sh', { COMPOSE_TEST_NAME: runName });
        expect(ran).toEqual({ exit: { code: 0, signal: null }, output: expect.stringMatching(/compose-test: all checks passed/) });
        // Exactly these: a service another profile adds must not end up in the test unnoticed.
        expect(ran.output).toMatch(/compose-test: up with .+: chillybin jafflr prometheus\n/);
        expect(ran.output).toMatch(/POST \/toastie\?i=cheese through the stack: 200/);
        for (const job of ['chillybin', 'jafflr']) expect(ran.output).toMatch(new RegExp(`Prometheus scrapes ${job}: http_requests_total\\{version="[0-9a-f]{40}"\\}`));
      },
      hangGuardMs,
    );
  });
});
