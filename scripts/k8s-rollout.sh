#!/usr/bin/env bash
# One service's delivery to Kubernetes, as CD runs it (.github/workflows/cd.yml, through
# k8s-deliver.sh): build and push its image tagged with ./last_commit.sh (unless the registry
# already has that tag), check the contracts against the deployed services (k8s-can-i-deploy.sh),
# roll it out, smoke-test that /health reports the new version, and on any failure after the
# rollout began, undo to the revision that served before.
#   scripts/k8s-rollout.sh <service>    (env: NAMESPACE, GITHUB_REPOSITORY, GITHUB_RUN_ID)
# exit: 0 deployed, 1 not (and undone if the rollout had begun)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
service=${1:?usage: k8s-rollout.sh <service>}
: "${NAMESPACE:?} ${GITHUB_REPOSITORY:?}"
tag=$(./last_commit.sh "$service")
# Registry paths must be lower case; repository names may not be.
image=ghcr.io/${GITHUB_REPOSITORY,,}/$service
revision=''
forward=''

# The one place that decides what a failure leaves: once the rollout began, the revision that
# served before, whatever happened meanwhile.
# shellcheck disable=SC2317 # the EXIT trap
finish() {
  local status=$?
  if [[ -n $forward ]]; then kill "$forward" 2>/dev/null || true; fi
  if [[ $status -ne 0 && -n $revision ]]; then
    echo "$service: rolling back to revision $revision" >&2
    kubectl -n "$NAMESPACE" rollout undo "deployment/$service" --to-revision="$revision"
    kubectl -n "$NAMESPACE" rollout status "deployment/$service" --timeout=5m
  fi
  exit "$status"
}
trap finish EXIT

if docker manifest inspect "$image:$tag" >/dev/null 2>&1; then
  echo "$image:$tag is already in the registry"
else
  docker build -f docker/Dockerfile --build-arg SERVICE="$service" --build-arg VERSION="$tag" -t "$image:$tag" .
  docker push "$image:$tag"
fi

# The contracts, both ways, against what the cluster runs: nothing is rolled out if one breaks.
scripts/k8s-can-i-deploy.sh "$service" "$image:$tag"

revision=$(kubectl -n "$NAMESPACE" get "deployment/$service" -o jsonpath='{.metadata.annotations.deployment\.kubernetes\.io/revision}')
kubectl -n "$NAMESPACE" annotate "deployment/$service" kubernetes.io/change-cause="$tag (run ${GITHUB_RUN_ID:-local})" --overwrite
kubectl -n "$NAMESPACE" set image "deployment/$service" "$service=$image:$tag"
kubectl -n "$NAMESPACE" rollout status "deployment/$service" --timeout=5m

kubectl -n "$NAMESPACE" port-forward "service/$service" 18080:8080 >/dev/null &
forward=$!
scripts/smoke.sh http://127.0.0.1:18080 "$tag"
