import { tempDir } from '@toasties/testkit';
import { run } from './support/run';

// lib/release.sh's stop_primary, used by deploy.sh --stop and a rollback's stop, both while
// holding the deploy lock: a primary that drains is waited for; one that ignores SIGTERM is
// given up on after SHUTDOWN_TIMEOUT_MS plus 5 s, said, with status 1. The "primary" is a
// sleep, started ignoring SIGTERM or not; the script kills it itself at the end.
const stopPrimary = (ignoresTerm: boolean) => {
  const root = tempDir('stop-primary');
  const script = [
    'source scripts/lib/release.sh',
    'mkdir -p "$DEPLOY_ROOT/chillybin" && printf "SHUTDOWN_TIMEOUT_MS=0\\n" >"$DEPLOY_ROOT/chillybin/env"',
    // An ignored signal stays ignored in the child: it is so from its first instruction on.
    ignoresTerm ? "trap '' TERM; sleep 30 & pid=$!; trap - TERM" : 'sleep 30 & pid=$!',
    'status=0; stop_primary chillybin "$pid" || status=$?',
    // wait reaps the sleep, so bash has no "Killed" job report left to print later.
    '{ kill -KILL "$pid"; wait "$pid"; } 2>/dev/null',
    'echo "status $status"',
  ].join('\n');
  return run('bash', ['-c', script], { env: { DEPLOY_ROOT: root }, timeoutMs: 60_000 });
};

test.each([
  { primary: 'a primary that exits on SIGTERM', ignoresTerm: false, stdout: 'status 0\n', stderr: '' },
  { primary: 'a primary that ignores SIGTERM', ignoresTerm: true, stdout: 'status 1\n', stderr: expect.stringMatching(/^chillybin: primary \d+ still running 5 s after SIGTERM; gave up waiting \(see \S+\/chillybin\/service\.log\)\n$/) as unknown },
])('stop_primary: $primary', ({ ignoresTerm, stdout, stderr }) => {
  expect(stopPrimary(ignoresTerm)).toEqual({ status: 0, stdout, stderr });
});
