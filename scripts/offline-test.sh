#!/usr/bin/env bash
# Checks that `npm test` needs no network: clones <repository> afresh, installs it with
# `npm ci` (the one step that may reach the registry), then runs `npm test` inside a network
# namespace of its own whose only interface is loopback, so nothing can leave the machine.
# With --busy, a busy loop keeps one core occupied for the whole run (a loaded machine).
# Run it where .ci/run has installed the tools (under CI=true a missing tool fails the run).
# The namespace, the busy loop, the clone and the test run are removed at exit, pass or fail.
#
#   sudo CI=true scripts/offline-test.sh [--busy] <repository> [<branch>]
#
# Needs root (ip netns, nsenter), iproute2 and util-linux. Where NODE_IMAGE and
# PROMETHEUS_IMAGE are unset and mmdebstrap is installed, the image stand-ins are made (or
# found in the engine) outside the namespace first, as .ci/run does; with NODE_IMAGE the
# services' images are built there too, so the image test inside finds every layer in the
# engine's cache. OFFLINE_TEST_BUSY_S (default 7200) bounds the busy loop even if this
# script is killed without its trap running.
# Exit: npm test's own status; 2 bad usage or a preparation step failed.
set -euo pipefail

usage() {
  echo "usage: offline-test.sh [--busy] <repository> [<branch>]   (OFFLINE_TEST_BUSY_S)"
}
busy=false
case ${1:-} in
  -h | --help) usage; exit 0 ;;
  --busy) busy=true; shift ;;
esac
if [[ $# -lt 1 || $# -gt 2 ]]; then usage >&2; exit 2; fi
repository=$1
branch=${2:-}
busy_s=${OFFLINE_TEST_BUSY_S:-7200}
if ! [[ $busy_s =~ ^[1-9][0-9]*$ ]]; then
  echo "offline-test: OFFLINE_TEST_BUSY_S must be a whole number of seconds above 0, not '$busy_s'" >&2
  exit 2
fi
if [[ $(id -u) -ne 0 ]]; then
  echo "offline-test: needs root (ip netns add); run it with sudo" >&2
  exit 2
fi
for tool in ip nsenter setsid; do
  if ! command -v "$tool" >/dev/null; then
    echo "offline-test: needs $tool (apt-get install iproute2 util-linux)" >&2
    exit 2
  fi
done

say() { echo "offline-test: $*"; }
prepare() {
  if ! "$@"; then
    echo "offline-test: FAILED to prepare: $*" >&2
    exit 2
  fi
}

work=$(mktemp -d)
ns=toasties-offline-$$
ns_made=false
busy_pid=
test_pid=
# shellcheck disable=SC2317 # the EXIT trap
cleanup() {
  if [[ -n $test_pid ]] && kill -0 "$test_pid" 2>/dev/null; then
    say "stopping npm test"
    kill -TERM -- "-$test_pid" 2>/dev/null || true # its session may have ended in between
    wait "$test_pid" 2>/dev/null || true          # interrupted: its status is not the result
  fi
  if [[ -n $busy_pid ]]; then
    kill "$busy_pid" 2>/dev/null || true # it may have reached its bound already
    wait "$busy_pid" 2>/dev/null || true # its exit status is that of a killed loop
  fi
  if $ns_made; then ip netns delete "$ns"; fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# 1. Outside the namespace: a fresh clone and its install, with whatever network there is.
clone=$work/clone
say "cloning $repository${branch:+ ($branch)}"
prepare git clone --quiet ${branch:+--branch "$branch"} -- "$repository" "$clone"
cd "$clone"
say "at $(git rev-parse --short=12 HEAD): $(git log -1 --format=%s | cut -c1-80)"
say "npm ci (outside the namespace)"
prepare npm ci --no-audit --no-fund --loglevel=error
if [[ -z ${NODE_IMAGE:-} ]] && command -v mmdebstrap >/dev/null; then
  NODE_IMAGE=$(prepare scripts/node-image-stand-in.sh)
  PROMETHEUS_IMAGE=$(prepare scripts/prometheus-image-stand-in.sh)
  export NODE_IMAGE PROMETHEUS_IMAGE
  say "image stand-ins $NODE_IMAGE, $PROMETHEUS_IMAGE"
fi
if [[ -n ${NODE_IMAGE:-} ]]; then
  # An image build reaches the registry for every layer it cannot take from the cache (npm ci
  # after a lockfile change): built here first, the builds inside take each layer from it.
  say "the images built outside the namespace, for the build cache"
  prepare scripts/image-test.sh --build-only
fi

# 2. A namespace with loopback and nothing else: no interface, no route out.
prepare ip netns add "$ns"
ns_made=true
prepare ip -n "$ns" link set lo up
routes=$(ip -n "$ns" route show; ip -n "$ns" -6 route show | grep -v '^\(local \|multicast \)\?\(::1\|fe80\|ff00\)' || true)
if [[ -n $routes ]]; then
  echo "offline-test: the namespace has a route out:" >&2
  echo "$routes" >&2
  exit 2
fi
say "namespace $ns: $(ip -n "$ns" -brief link show | awk '{ print $1 }' | paste -sd, -) only, no route out"

if $busy; then
  # Bounded by timeout as well, so the loop cannot outlive a run killed with SIGKILL by much.
  timeout "$busy_s" bash -c 'while :; do :; done' &
  busy_pid=$!
  say "one core kept busy (pid $busy_pid, at most $busy_s s)"
fi

# 3. npm test inside it: nsenter enters the network namespace only (`ip netns exec` would
#    also remount /sys, hiding the cgroup mount that container runtimes need). In a session of
#    its own, so that the trap can stop all of it; its output is followed as it comes.
log=$work/npm-test.log
say "npm test inside $ns (CI=${CI:-unset}), started $(date -u +%H:%M:%S) UTC, load $(cut -d' ' -f1-3 /proc/loadavg)"
started=$SECONDS
setsid nsenter --net="/run/netns/$ns" npm test >"$log" 2>&1 &
test_pid=$!
tail -n +1 -f --pid="$test_pid" "$log" &
tail_pid=$!
status=0
wait "$test_pid" || status=$?
test_pid=
elapsed=$((SECONDS - started))
wait "$tail_pid"

# One closing line over every workspace's jest summary ("Tests: 3 failed, 40 passed, 43 total").
count() { awk -v what="$1" '/Tests: / { for (i = 2; i <= NF; i++) if ($i ~ "^" what) s += $(i - 1) } END { print s + 0 }' "$log"; }
say "npm test exit $status in $((elapsed / 60)) min $((elapsed % 60)) s: $(count passed) passed, $(count failed) failed, $(count skipped) skipped; load $(cut -d' ' -f1-3 /proc/loadavg)"
exit "$status"
