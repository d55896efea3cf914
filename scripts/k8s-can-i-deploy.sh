#!/usr/bin/env bash
# Can I deploy, on Kubernetes: before k8s-rollout.sh switches <service> to <image>, the
# contracts are replayed both ways against what the cluster runs, as deploy-one.sh does on one
# host (lib/can-i-deploy.mjs; docs/deploying.md):
#   - <service>'s own expectations (services/<service>/contract/<provider>.json, this checkout)
#     against each service it calls, at the image the cluster runs;
#   - the expectations of each service that calls it, as that caller was built (its file at the
#     commit its deployed image is tagged with), against <image>.
# The provider runs here, on the CI runner, as a throwaway container on loopback with its
# deployment's environment but a fresh SQLite database of its own: DATABASE_URL and ADMIN_TOKEN
# are emptied, since the expectations write (a restock, orders) and must never reach the cluster.
#   scripts/k8s-can-i-deploy.sh <service> <image>    (env: NAMESPACE)
# exit: 0 every contract holds, 1 one does not or cannot be checked (said why), 2 bad usage
set -euo pipefail
shopt -s inherit_errexit # a failed kubectl inside $(…) stops the check too
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [[ $# -ne 2 ]]; then
  echo "usage: k8s-can-i-deploy.sh <service> <image>" >&2
  exit 2
fi
service=$1
image=$2
: "${NAMESPACE:?}"
READY_TIMEOUT_S=${READY_TIMEOUT_S:-60}
container=''
scratch=$(mktemp -d)

# shellcheck disable=SC2317 # the EXIT trap
finish() {
  local status=$?
  if [[ -n $container ]]; then docker rm --force "$container" >/dev/null; fi
  rm -rf "$scratch"
  exit "$status"
}
trap finish EXIT

# The image the cluster runs for <service>.
deployed_image() {
  kubectl -n "$NAMESPACE" get deployment "$1" -o jsonpath='{.spec.template.spec.containers[0].image}'
}

# <service>'s environment as deployed, NAME=value a line (config maps and secrets resolved).
deployed_env() {
  local listed
  listed=$(kubectl -n "$NAMESPACE" set env "deployment/$1" --list --resolve)
  grep -v '^#' <<<"$listed" || true # no variable at all is an empty environment
}

# Replay <expectations> of <consumer> against <provider> running <provider image>.
replay() {
  local expectations=$1 consumer=$2 provider=$3 provider_image=$4 name names consumer_env provider_env line published port deadline
  local values=() run_env=(--env WORKERS=0 --env DATABASE_URL= --env ADMIN_TOKEN=)
  # The consumer's values of the variables the expectations' conditions read.
  names=$(node scripts/lib/can-i-deploy.mjs --needs "$expectations")
  consumer_env=$(deployed_env "$consumer")
  for name in $names; do
    values+=("$name=$(sed -n "s/^$name=//p" <<<"$consumer_env" | head -n 1)")
  done
  provider_env=$(deployed_env "$provider")
  while IFS= read -r line; do
    case ${line%%=*} in
      '' | DATABASE_URL | ADMIN_TOKEN | WORKERS | PORT | HOST) ;;
      *) run_env+=(--env "$line") ;;
    esac
  done <<<"$provider_env"
  container=$(docker run --detach --publish 127.0.0.1::8080 "${run_env[@]}" "$provider_image")
  published=$(docker port "$container" 8080/tcp)
  published=${published%%$'\n'*}
  port=${published##*:}
  deadline=$((SECONDS + READY_TIMEOUT_S))
  until curl --silent --fail --max-time 2 --output /dev/null "http://127.0.0.1:$port/health/ready"; do
    if ((SECONDS >= deadline)); then
      echo "$service: $provider ($provider_image) did not become ready in a container for the check" >&2
      return 1
    fi
    sleep 0.5
  done
  echo "$service: $consumer's expectations of $provider ($provider_image)"
  node scripts/lib/can-i-deploy.mjs "$expectations" "http://127.0.0.1:$port" "${values[@]}"
  docker rm --force "$container" >/dev/null
  container=''
}

# <service> as a consumer: its expectations against what it calls, as deployed.
providers=$(node scripts/lib/services.mjs calls "$service")
for provider in $providers; do
  expectations=services/$service/contract/$provider.json
  if [[ -f $expectations ]]; then
    replay "$expectations" "$service" "$provider" "$(deployed_image "$provider")"
  fi
done

# <service> as a provider: each deployed caller's expectations, from the commit it was built from.
consumers=$(node scripts/lib/services.mjs callers "$service")
for consumer in $consumers; do
  built_from=$(deployed_image "$consumer")
  built_from=${built_from##*:}
  if ! git cat-file -e "$built_from^{commit}" 2>/dev/null; then
    echo "$service: cannot check the deployed $consumer: its tag $built_from is not a commit of this clone" >&2
    exit 1
  fi
  path=services/$consumer/contract/$service.json
  if git cat-file -e "$built_from:$path" 2>/dev/null; then
    expectations=$scratch/$consumer.json
    git show "$built_from:$path" >"$expectations"
    replay "$expectations" "$consumer" "$service" "$image"
  else
    echo "$service: the deployed $consumer ($built_from) has no expectations of it"
  fi
done
