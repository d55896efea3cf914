#!/usr/bin/env bash
# Rehearses a single-host release (scripts/deploy.sh): builds <service> as deploy.sh does,
# with scripts/pruned-build.sh --offline (npm installs from the cache only, so nothing waits
# on a network) reusing the repository's compiled native addons, in a temporary directory;
# starts it as a release runs, checks /health reports the version, then stops it with
# SIGTERM and expects exit 0. Leaves nothing behind. (The Docker image is built and run for
# real by scripts/image-test.sh.)
#   scripts/release-rehearsal.sh jafflr
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/workspaces.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/workspaces.sh"

usage() {
  echo "usage: release-rehearsal.sh <service>   (REHEARSAL_START_TIMEOUT_S, default 300: a guard against a hang)"
  echo "exit: 0 the service started from pruned output and stopped cleanly, 1 it did not, 2 bad usage"
}
case ${1:-} in
  -h | --help) usage; exit 0 ;;
esac
if [[ $# -ne 1 ]]; then usage >&2; exit 2; fi
service=$1
require_service "$service"

work=$(mktemp -d)
pid=
cleanup() {
  if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; fi
  rm -rf "$work"
}
trap cleanup EXIT

version=$("$repo_root/last_commit.sh" "$service")
"$repo_root/scripts/pruned-build.sh" --offline --reuse-native-from "$repo_root" "$service" "$work/app"

# As a release runs: from the service's directory, VERSION set, on a port of its own.
log=$work/service.log
(cd "$work/app/services/$service" && exec env HOST=127.0.0.1 PORT=0 LOG_FORMAT=json VERSION="$version" node dist/main.js) >"$log" 2>&1 &
pid=$!

# PORT=0 lets the kernel pick a free port; the service names it in its "listening" line.
deadline=$((SECONDS + ${REHEARSAL_START_TIMEOUT_S:-300}))
url=
until [[ -n $url ]]; do
  if ! kill -0 "$pid" 2>/dev/null || ((SECONDS >= deadline)); then
    echo "rehearsal: $service did not start; its output:" >&2
    cat "$log" >&2
    exit 1
  fi
  sleep 0.2
  url=$(node "$repo_root/scripts/lib/read-log.mjs" listening-url "$log" "$work/app/services/$service") || url=
done

"$repo_root/scripts/smoke.sh" "$url" "$version"

kill -TERM "$pid"
status=0
wait "$pid" || status=$?
pid=
if [[ $status -ne 0 ]]; then
  echo "rehearsal: $service exited $status after SIGTERM, not 0; its output:" >&2
  cat "$log" >&2
  exit 1
fi
echo "rehearsal: $service $version started from pruned output, answered /health and stopped cleanly"
