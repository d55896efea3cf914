#!/usr/bin/env bash
# Builds every service's image from docker/Dockerfile as CD builds it (tag and VERSION from
# ./last_commit.sh), runs jafflr and chillybin on a private network, and checks what only a
# real container shows:
#   - /health of each reports its tag;
#   - POST /toastie?i=cheese through jafflr picks from chillybin (chillybin's stock drops);
#   - the image's HEALTHCHECK passes (podman runs it when asked; Docker on its own);
#   - the service process (PID 1's tree) runs as the unprivileged "node" user;
#   - SIGTERM while a burnt toastie cooks: the toastie is still served, and the container
#     exits 0 by itself within the stop grace period (a SIGKILL would show as 137);
#   - chillybin's stock survives its container being replaced on the same volume;
# then prints the image sizes. Containers, the network and the volume are removed at exit,
# pass or fail. Once every image is built, the store keeps of the services' images only
# those just built and their build steps (the next build's cache): older toasties/<service>
# tags and dangling images go (scripts/lib/image-prune.sh).
#
#   scripts/image-test.sh                    # Docker, or podman where no Docker daemon runs
#   NODE_IMAGE=$(scripts/node-image-stand-in.sh) scripts/image-test.sh   # no registry here
#   scripts/image-test.sh --build-only       # the images only: fills the engine's build cache
# CONTAINER_ENGINE=docker|podman chooses the engine. IMAGE_TEST_WAIT_S (default 300) is how
# long a container may take to become healthy: a guard against a hang, not an expectation.
# IMAGE_TEST_NAME (default toasties-image-test-<pid>) starts the name of everything it runs.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/workspaces.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/workspaces.sh"
# shellcheck source-path=SCRIPTDIR source=lib/container-engine.sh
source "$repo_root/scripts/lib/container-engine.sh"
# shellcheck source-path=SCRIPTDIR source=lib/image-prune.sh
source "$repo_root/scripts/lib/image-prune.sh"

usage() {
  echo "usage: image-test.sh [--build-only]   (NODE_IMAGE, CONTAINER_ENGINE, IMAGE_TEST_WAIT_S, IMAGE_TEST_NAME: see the script's top)"
  echo "exit: 0 every check passed, 1 a build or a check failed, 2 bad usage"
}
build_only=false
case ${1:-} in
  -h | --help) usage; exit 0 ;;
  --build-only) build_only=true; shift ;;
esac
if [[ $# -ne 0 ]]; then usage >&2; exit 2; fi

engine=$(container_engine)
wait_s=${IMAGE_TEST_WAIT_S:-300}
# As docker/compose.yml runs them: fail readiness, wait 1 s, drain for up to 15 s; the
# engine waits 20 s before it kills.
drain_env=(-e SHUTDOWN_DELAY_MS=1000 -e SHUTDOWN_TIMEOUT_MS=15000)
grace_s=20

run_id=${IMAGE_TEST_NAME:-toasties-image-test-$$}
network=$run_id
volume=$run_id-chillybin-data
work=$(mktemp -d)
containers=()
say() { echo "image-test: $*"; }
# podman without systemd says on stderr, at every start and stop, that it cannot set up its
# health check timers (this script runs the checks itself): engine commands whose output is
# not needed keep it to themselves, unless they fail.
quietly() {
  local status=0
  "$engine" "$@" >/dev/null 2>"$work/engine.err" || status=$?
  [[ $status -eq 0 ]] || cat "$work/engine.err" >&2
  return "$status"
}
fail() {
  echo "image-test: FAILED: $*" >&2
  exit 1
}

cleanup() {
  local status=$? name
  for name in "${containers[@]}"; do
    if [[ $status -ne 0 ]]; then
      echo "--- $name: its last log lines ---" >&2
      "$engine" logs --tail 40 "$name" >&2 2>&1 || true # diagnostics only; it may never have started
    fi
    "$engine" rm -f "$name" >/dev/null 2>&1 || true # absent already is fine
  done
  "$engine" network rm "$network" >/dev/null 2>&1 || true # absent already is fine
  "$engine" volume rm -f "$volume" >/dev/null 2>&1 || true # absent already is fine
  if [[ -n $built ]]; then
    # Leaving old images behind is no reason to fail a run.
    prune_service_images "$engine" "$work"/build-*.log -- "${image[@]}" || echo "image-test: could not list the engine's images; old ones kept" >&2
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# 1. Build, as CD does: the repository root as context, SERVICE and VERSION as build args.
#    podman keeps HEALTHCHECK only in Docker's image format, and reads the ignore file beside
#    the Dockerfile only when told (BuildKit finds it by itself).
build_flags=()
[[ $engine == podman ]] && build_flags=(--format docker --ignorefile "$repo_root/docker/Dockerfile.dockerignore")
[[ -n ${NODE_IMAGE:-} ]] && build_flags+=(--build-arg "NODE_IMAGE=$NODE_IMAGE")
declare -A image
built=
for service in $(service_names); do
  tag=$("$repo_root/last_commit.sh" "$service")
  image[$service]=toasties/$service:$tag
  started=$SECONDS
  log=$work/build-$service.log
  if ! "$engine" build "${build_flags[@]}" -f "$repo_root/docker/Dockerfile" \
    --build-arg "SERVICE=$service" --build-arg "VERSION=$tag" -t "${image[$service]}" "$repo_root" >"$log" 2>&1; then
    tail -n 60 "$log" >&2
    [[ -n ${NODE_IMAGE:-} ]] || echo "image-test: no registry to pull node:20-bookworm-slim from? NODE_IMAGE=\$(scripts/node-image-stand-in.sh)" >&2
    fail "building $service (the last lines of the build are above)"
  fi
  say "built ${image[$service]} in $((SECONDS - started)) s"
done
built=yes
if $build_only; then
  say "--build-only: no container run"
  exit 0
fi
for service in jafflr chillybin; do
  [[ -n ${image[$service]:-} ]] || fail "no service named $service to test"
done

quietly network create "$network"
quietly volume create "$volume"

# Starts <name> from <service>'s image on the private network, reachable there as <service>
# and from this host on a port of its own; extra arguments go to `run` before the image.
start() {
  local name=$1 service=$2
  shift 2
  containers+=("$name")
  quietly run -d --name "$name" --network "$network" --network-alias "$service" \
    -p 127.0.0.1::8080 "${drain_env[@]}" "$@" "${image[$service]}"
}
url_of() { echo "http://$("$engine" port "$1" 8080/tcp | head -n 1)"; }

# Until the image's HEALTHCHECK passes: podman runs it only when asked (no systemd timer
# here), Docker on its own schedule. A container that stops is a failure at once.
healthy() {
  local name=$1 service=$2 deadline=$((SECONDS + wait_s)) health
  [[ $("$engine" image inspect -f '{{json .Config.Healthcheck}}' "${image[$service]}") == *CMD* ]] ||
    fail "${image[$service]} has no HEALTHCHECK"
  while :; do
    [[ $("$engine" container inspect -f '{{.State.Running}}' "$name") == true ]] || fail "$name stopped before it was healthy"
    if [[ $engine == podman ]]; then
      podman healthcheck run "$name" >/dev/null 2>&1 && break
    else
      health=$(docker container inspect -f '{{.State.Health.Status}}' "$name")
      [[ $health == healthy ]] && break
    fi
    ((SECONDS < deadline)) || fail "$name not healthy after ${wait_s} s"
    sleep 1
  done
  say "$name: HEALTHCHECK passes"
}

# One JSON field of a GET (node, as everything else here: no jq needed).
field() { curl --silent --show-error --fail --max-time 10 "$1" | node -e 'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => console.log(JSON.parse(s)[process.argv[1]]))' "$2"; }

# Every process in the container runs as uid 1000 ("node"), PID 1 (tini) included.
runs_as_node() {
  local uids
  # A process may end between the listing and the reading: what is read is enough.
  uids=$("$engine" exec "$1" sh -c 'cat /proc/[0-9]*/status 2>/dev/null; exit 0' | awk '/^Uid:/ { print $2 }' | sort -u | paste -sd ' ' -)
  [[ $uids == 1000 ]] || fail "$1: processes run as uid(s) $uids, not only 1000"
  [[ $("$engine" exec "$1" id -un) == node ]] || fail "$1: uid 1000 is not the user node"
  say "$1: every process runs as node (uid 1000)"
}

# 2. chillybin on its volume, jafflr calling it by name on the private network.
start "$run_id-chillybin" chillybin -v "$volume:/app/services/chillybin/data"
start "$run_id-jafflr" jafflr -e CHILLYBIN_URL=http://chillybin:8080
for service in chillybin jafflr; do
  name=$run_id-$service
  healthy "$name" "$service"
  SMOKE_TIMEOUT_S=$wait_s "$repo_root/scripts/smoke.sh" "$(url_of "$name")" "${image[$service]#*:}"
  runs_as_node "$name"
done
chillybin=$(url_of "$run_id-chillybin")
jafflr=$(url_of "$run_id-jafflr")

# 3. A toastie through jafflr, and its pick in chillybin's stock.
cheese=$(field "$chillybin/" cheese)
answer=$(curl --silent --show-error --max-time 60 -w '\n%{http_code}' -X POST "$jafflr/toastie?i=cheese")
[[ ${answer##*$'\n'} == 200 ]] || fail "POST /toastie?i=cheese answered: $answer"
[[ $(field "$chillybin/" cheese) == $((cheese - 1)) ]] || fail "the toastie did not take one cheese from chillybin (had $cheese)"
say "POST /toastie?i=cheese through jafflr -> chillybin: 200, cheese $cheese -> $((cheese - 1))"

# 4. SIGTERM while a burnt toastie (10 s) cooks: it is served, and jafflr exits 0 by itself.
curl --silent --max-time 120 -o "$work/in-flight.body" -w '%{http_code}' -X POST "$jafflr/toastie?i=cheese&doneness=burnt" >"$work/in-flight.code" &
in_flight=$!
deadline=$((SECONDS + wait_s))
until [[ $(field "$jafflr/" status) == toasting ]]; do
  kill -0 "$in_flight" 2>/dev/null || fail "the burnt toastie ended before it was seen cooking: $(cat "$work/in-flight.code")"
  ((SECONDS < deadline)) || fail "jafflr never started the burnt toastie"
  sleep 0.2
done
kill -0 "$in_flight" 2>/dev/null || fail "the burnt toastie ended before the SIGTERM was sent"
quietly stop -t "$grace_s" "$run_id-jafflr"
in_flight_status=0
wait "$in_flight" || in_flight_status=$?
[[ $in_flight_status -eq 0 && $(cat "$work/in-flight.code") == 200 ]] ||
  fail "the toastie in flight at SIGTERM got $(cat "$work/in-flight.code") (curl $in_flight_status): $(cat "$work/in-flight.body")"
exit_code=$("$engine" container inspect -f '{{.State.ExitCode}}' "$run_id-jafflr")
[[ $exit_code == 0 ]] || fail "jafflr exited $exit_code after SIGTERM, not 0 (137 is a SIGKILL after ${grace_s} s)"
say "SIGTERM during a burnt toastie: served (200), jafflr exited 0 within ${grace_s} s"

# 5. A new chillybin container on the same volume finds the stock the old one left.
before=$(curl --silent --show-error --fail "$chillybin/")
quietly stop -t "$grace_s" "$run_id-chillybin"
exit_code=$("$engine" container inspect -f '{{.State.ExitCode}}' "$run_id-chillybin")
[[ $exit_code == 0 ]] || fail "chillybin exited $exit_code after SIGTERM, not 0"
quietly rm "$run_id-chillybin"
start "$run_id-chillybin-2" chillybin -v "$volume:/app/services/chillybin/data"
healthy "$run_id-chillybin-2" chillybin
after=$(curl --silent --show-error --fail "$(url_of "$run_id-chillybin-2")/")
[[ $after == "$before" ]] || fail "chillybin's stock after a new container on its volume: $after, before: $before"
say "chillybin's stock survives a new container on its volume: $after"

for service in $(service_names); do
  size=$("$engine" image inspect -f '{{.Size}}' "${image[$service]}")
  say "image ${image[$service]}: $((size / 1000000)) MB"
done
say "all checks passed"
