#!/usr/bin/env bash
# CD's delivery of the services its plan chose, given in deploy order (each after the services
# it calls: lib/services.mjs order), one after the other. A service whose delivery fails (rolled
# back by k8s-rollout.sh) stops the services that call it, directly or through another: they are
# not delivered, so none runs against a version of its dependency that is not there. The others
# still are. Says what happened to each; exit 1 if any was not delivered.
#   scripts/k8s-deliver.sh <service>...    (ROLLOUT: the command per service, k8s-rollout.sh)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
rollout=${ROLLOUT:-scripts/k8s-rollout.sh}
failed=()
for service in "$@"; do
  calls=$(node scripts/lib/services.mjs calls "$service")
  blocked=''
  for called in $calls; do
    if [[ " ${failed[*]} " == *" $called "* ]]; then blocked=$called; fi
  done
  if [[ -n $blocked ]]; then
    echo "$service: not delivered: $blocked, which it calls, was not"
    failed+=("$service")
  elif "$rollout" "$service"; then
    echo "$service: delivered"
  else
    echo "$service: its delivery failed (rolled back)"
    failed+=("$service")
  fi
done
[[ ${#failed[@]} -eq 0 ]]
