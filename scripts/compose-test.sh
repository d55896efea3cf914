#!/usr/bin/env bash
# Brings docker/compose.yml up for real: chillybin, then jafflr once chillybin is healthy,
# then Prometheus (the monitoring profile); makes a toastie through jafflr; checks that
# Prometheus scrapes both services, each series carrying the service's version label (its
# tag). Takes the stack down with its volumes at exit, pass or fail.
#   scripts/compose-test.sh      # after scripts/image-test.sh, which builds the images it runs
# The file is run as scripts/lib/compose-for-test.mjs adapts it (its top says how: ports the
# engine picks; no other profile than monitoring, and no Grafana). It prints the services it
# runs, so that a test can say which ones it expects. Compose: `docker compose` where it exists, else
# Debian's docker-compose (1.x); with podman, through podman's Docker-compatible API.
# PROMETHEUS_IMAGE names a Prometheus image to use instead of prom/prometheus (on a machine
# with no registry: scripts/prometheus-image-stand-in.sh). COMPOSE_TEST_WAIT_S (default 300)
# bounds each wait: a guard against a hang, not an expectation.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/workspaces.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/workspaces.sh"
# shellcheck source-path=SCRIPTDIR source=lib/container-engine.sh
source "$repo_root/scripts/lib/container-engine.sh"

if [[ $# -ne 0 ]]; then
  echo "usage: compose-test.sh   (CONTAINER_ENGINE, PROMETHEUS_IMAGE, COMPOSE_TEST_WAIT_S, COMPOSE_TEST_NAME)" >&2
  exit 2
fi
engine=$(container_engine)
wait_s=${COMPOSE_TEST_WAIT_S:-300}
project=${COMPOSE_TEST_NAME:-toasties-compose-test-$$}
work=$(mktemp -d)
say() { echo "compose-test: $*"; }
fail() {
  echo "compose-test: FAILED: $*" >&2
  exit 1
}

if docker compose version >/dev/null 2>&1; then
  compose_cmd=(docker compose)
elif command -v docker-compose >/dev/null; then
  compose_cmd=(docker-compose)
else
  echo "compose-test: needs docker compose, or docker-compose (apt-get install docker-compose)" >&2
  exit 1
fi

# Without a Docker daemon, podman serves the same API on a socket of this run's own.
service_pid=
health_pid=
if [[ $engine == podman ]]; then
  # Its log (mostly that it cannot set up health check timers without systemd) is shown
  # only if the test fails.
  podman system service --time=0 "unix://$work/podman.sock" >"$work/podman-service.log" 2>&1 &
  service_pid=$!
  export DOCKER_HOST=unix://$work/podman.sock
fi

export CHILLYBIN_VERSION JAFFLR_VERSION
CHILLYBIN_VERSION=$("$repo_root/last_commit.sh" chillybin)
JAFFLR_VERSION=$("$repo_root/last_commit.sh" jafflr)
node "$repo_root/scripts/lib/compose-for-test.mjs" "$repo_root/docker/compose.yml" "${PROMETHEUS_IMAGE:-}" >"$work/compose.yml"
compose() { "${compose_cmd[@]}" --project-name "$project" --project-directory "$repo_root/docker" -f "$work/compose.yml" "$@"; }

cleanup() {
  local status=$?
  if [[ $status -ne 0 ]]; then
    echo "--- the stack's last log lines ---" >&2
    compose logs --tail 30 >&2 2>&1 || true # diagnostics only; the stack may never have started
    if [[ -n $service_pid ]]; then
      echo "--- podman system service: its last log lines ---" >&2
      tail -n 20 "$work/podman-service.log" >&2
    fi
  fi
  compose down --volumes --timeout 20 >/dev/null 2>&1 || true # nothing up is fine
  [[ -z $health_pid ]] || kill "$health_pid" 2>/dev/null || true # may have ended
  [[ -z $service_pid ]] || kill "$service_pid" 2>/dev/null || true # may have ended
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

for image in "toasties/chillybin:$CHILLYBIN_VERSION" "toasties/jafflr:$JAFFLR_VERSION"; do
  "$engine" image inspect "$image" >/dev/null 2>&1 || fail "no image $image: build it first (scripts/image-test.sh)"
done
deadline=$((SECONDS + wait_s))
if [[ -n $service_pid ]]; then
  until "${compose_cmd[@]}" version >/dev/null 2>&1 && [[ -S $work/podman.sock ]]; do
    ((SECONDS < deadline)) || fail "podman's API socket did not come up"
    sleep 0.2
  done
  # Docker runs a HEALTHCHECK on its own schedule; podman leaves that to systemd timers,
  # which this machine has none of. This loop is that schedule for the stack's containers.
  (
    while :; do
      for id in $(podman ps --quiet --filter "label=com.docker.compose.project=$project"); do
        podman healthcheck run "$id" >/dev/null 2>&1 || : # unhealthy is recorded; compose reads it
      done
      sleep 2
    done
  ) &
  health_pid=$!
fi

# Compose 1.x has no --wait: depends_on (service_healthy) orders the start, and the loop
# below waits for jafflr and Prometheus.
compose --profile monitoring up --detach >"$work/up.log" 2>&1 || { cat "$work/up.log" >&2; fail "compose up"; }
say "up with ${compose_cmd[*]}: $(compose ps --services | sort | paste -sd ' ' -)"

port_of() { compose port "$1" "$2" | head -n 1 | sed 's/^0\.0\.0\.0:/127.0.0.1:/'; }
jafflr=http://$(port_of jafflr 8080)
chillybin=http://$(port_of chillybin 8080)
prometheus=http://$(port_of prometheus 9090)
SMOKE_TIMEOUT_S=$wait_s "$repo_root/scripts/smoke.sh" "$chillybin" "$CHILLYBIN_VERSION"
SMOKE_TIMEOUT_S=$wait_s "$repo_root/scripts/smoke.sh" "$jafflr" "$JAFFLR_VERSION"

answer=$(curl --silent --show-error --max-time 60 -w '\n%{http_code}' -X POST "$jafflr/toastie?i=cheese")
[[ ${answer##*$'\n'} == 200 ]] || fail "POST /toastie?i=cheese answered: $answer"
say "POST /toastie?i=cheese through the stack: 200"

# Prometheus has each service's request counter, labelled with the tag that answered.
scraped() {
  curl --silent --fail --max-time 10 --get "$prometheus/api/v1/query" \
    --data-urlencode "query=sum by (job, version) (http_requests_total{job=\"$1\", version=\"$2\"})" |
    node -e 'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => process.exit(JSON.parse(s).data.result.length > 0 ? 0 : 1))'
}
deadline=$((SECONDS + wait_s))
for job in chillybin jafflr; do
  version=$CHILLYBIN_VERSION
  [[ $job == jafflr ]] && version=$JAFFLR_VERSION
  until scraped "$job" "$version"; do
    ((SECONDS < deadline)) || fail "Prometheus has no http_requests_total{job=\"$job\", version=\"$version\"}"
    sleep 1
  done
  say "Prometheus scrapes $job: http_requests_total{version=\"$version\"}"
done
say "all checks passed (not run here: the postgres and unleash profiles, and Grafana, see scripts/lib/compose-for-test.mjs)"
