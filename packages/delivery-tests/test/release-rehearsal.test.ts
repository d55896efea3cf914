import { join } from 'node:path';
import { spawnProcess } from '@toasties/testkit';
import { repoRoot, run } from './support/run';

// A single-host release built as deploy.sh builds it (pruned, offline from the npm cache,
// native addons reused), started, checked on /health and stopped with SIGTERM. deploy.sh's
// own tests put a fast stand-in in place of this build; this is where the real one runs.
// Only a hang ends it early: a busy machine takes minutes, and the script bounds its waits.
const hangGuardMs = 20 * 60_000;

test.each(['chillybin', 'jafflr'])(
  'scripts/release-rehearsal.sh %s builds offline, starts the release and stops it cleanly',
  async (service) => {
    const script = spawnProcess(join(repoRoot, 'scripts/release-rehearsal.sh'), [service], { TURBO_TELEMETRY_DISABLED: '1' });
    const exit = await script.waitForExit(hangGuardMs);
    // On failure jest prints the whole object: the script's output says what went wrong.
    expect({ exit, output: script.output() }).toEqual({
      exit: { code: 0, signal: null },
      output: expect.stringMatching(new RegExp(`rehearsal: ${service} [0-9a-f]{40} started from pruned output, answered /health and stopped cleanly`)),
    });
    expect(script.output()).toMatch(/== pruned-build \S+ \[2\/5\]: npm ci --offline --ignore-scripts/);
    expect(script.output()).toMatch(/smoke: \S+ [0-9a-f]{40} is healthy/);
  },
  hangGuardMs,
);

test('an unknown service is refused before anything is built', () => {
  const result = run('scripts/release-rehearsal.sh', ['toaster']);
  expect(result.status).toBe(2);
  expect(result.stderr).toMatch(/unknown service 'toaster'/);
});
