import { join } from 'node:path';
import { spawnProcess } from '@toasties/testkit';
import { repoRoot, run } from './support/run';

// A single-host release built as deploy.sh builds it (pruned, offline from the npm cache,
// native addons reused), started, checked on /health and stopped with SIGTERM. deploy.sh's
// own tests put a fast stand-in in place of this build, and the image test covers the steps
// the Dockerfile shares with it; what only this build does (offline install, reused native
// addons) matters for chillybin, the service with a native addon.
// Only a hang ends it early: a busy machine takes minutes, and the script bounds its waits.
const hangGuardMs = 20 * 60_000;

test(
  'scripts/release-rehearsal.sh chillybin builds offline, starts the release and stops it cleanly',
  async () => {
    const script = spawnProcess(join(repoRoot, 'scripts/release-rehearsal.sh'), ['chillybin'], { TURBO_TELEMETRY_DISABLED: '1' });
    const exit = await script.waitForExit(hangGuardMs);
    // On failure jest prints the whole object: the script's output says what went wrong.
    expect({ exit, output: script.output() }).toEqual({
      exit: { code: 0, signal: null },
      output: expect.stringMatching(/rehearsal: chillybin [0-9a-f]{40} started from pruned output, answered \/health and stopped cleanly/),
    });
    expect(script.output()).toMatch(/== pruned-build chillybin \[2\/5\]: npm ci --offline --ignore-scripts/);
    expect(script.output()).toMatch(/== pruned-build chillybin \[5\/5\]: native addons/);
    expect(script.output()).toMatch(/smoke: chillybin [0-9a-f]{40} is healthy/);
  },
  hangGuardMs,
);

test('an unknown service is refused before anything is built', () => {
  const result = run('scripts/release-rehearsal.sh', ['toaster']);
  expect(result.status).toBe(2);
  expect(result.stderr).toMatch(/unknown service 'toaster'/);
});
