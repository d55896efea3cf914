import { run } from './support/run';

// The Dockerfile's steps without Docker: prune, install, build, drop dev dependencies, then
// start the service from the pruned output, check /health, stop it with SIGTERM. About
// 35 s a service on 2 cores, reusing the repo's compiled better-sqlite3 (see the script).
const bound = 240_000;

test.each(['chillybin', 'jafflr'])(
  'scripts/image-rehearsal.sh %s starts the service from pruned output and stops it cleanly',
  (service) => {
    const result = run('scripts/image-rehearsal.sh', [service], { timeoutMs: bound - 5000 });
    expect(result.stdout + result.stderr).toMatch(new RegExp(`rehearsal: ${service} [0-9a-f]{40} started from pruned output, answered /health and stopped cleanly`));
    expect(result.stdout + result.stderr).toMatch(/smoke: \S+ [0-9a-f]{40} is healthy/);
    expect(result.status).toBe(0);
  },
  bound,
);

test('an unknown service is refused before anything is built', () => {
  const result = run('scripts/image-rehearsal.sh', ['toaster']);
  expect(result.status).toBe(2);
  expect(result.stderr).toMatch(/unknown service 'toaster'/);
});
