#!/usr/bin/env bash
# Smoke test of a running service: GET <url>/health answers 200 with status "ok" and, if
# given, the expected version. Polls until a deadline, so it can follow a start or a rollout.
#   scripts/smoke.sh http://127.0.0.1:7000 3f9d022...    (SMOKE_TIMEOUT_S, default 30)
set -euo pipefail
read_health=$(dirname "${BASH_SOURCE[0]}")/lib/read-health.mjs

if [[ $# -lt 1 || $# -gt 2 ]]; then
  echo "usage: smoke.sh <base-url> [expected-version]" >&2
  exit 2
fi
url=${1%/}/health
expected=${2:-}
deadline=$((SECONDS + ${SMOKE_TIMEOUT_S:-30}))

while :; do
  if body=$(curl --silent --show-error --fail --max-time 5 "$url" 2>&1); then
    # The body names the version that answered: during a rollout an old pod may still do so.
    if verdict=$(node "$read_health" check "$body" "$expected" 2>&1); then
      echo "smoke: $verdict"
      exit 0
    fi
    body=$verdict
  fi
  if ((SECONDS >= deadline)); then
    echo "smoke: $url failed: $body" >&2
    exit 1
  fi
  sleep 1
done
