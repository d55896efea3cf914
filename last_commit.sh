#!/usr/bin/env bash
# The version of a service: the last commit that changed anything its image is built from.
# That commit is the image tag and the deployed version, so an unchanged service keeps its
# tag and is neither rebuilt nor redeployed. See "Change detection in a monorepo" in the README.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=scripts/lib/workspaces.sh
source "$(dirname "${BASH_SOURCE[0]}")/scripts/lib/workspaces.sh"

usage() {
  cat <<USAGE
usage: last_commit.sh [--paths] <service>
  prints the last commit that touched the service, a workspace it depends on (transitively),
  or a shared input (${shared_inputs[*]})
  --paths   print the paths considered instead, one a line
exit: 0 ok, 1 no commit found or shallow clone, 2 bad usage or unknown service
USAGE
}

show_paths=false
case ${1:-} in
  -h | --help) usage; exit 0 ;;
  --paths) show_paths=true; shift ;;
esac
if [[ $# -ne 1 ]]; then usage >&2; exit 2; fi
service=$1

require_service "$service"
listed=$(inputs_of "$service")
mapfile -t paths <<<"$listed"

if $show_paths; then
  printf '%s\n' "${paths[@]}"
  exit 0
fi

# In a shallow clone the oldest fetched commit seems to add every file, so the answer
# would be wrong without any error. Refuse instead (CI checks out with fetch-depth: 0).
if [[ $(git -C "$repo_root" rev-parse --is-shallow-repository) == true ]]; then
  echo "last_commit.sh: this is a shallow clone; fetch the whole history (git fetch --unshallow, or fetch-depth: 0)" >&2
  exit 1
fi

commit=$(git -C "$repo_root" log -1 --format=%H -- "${paths[@]}")
if [[ -z $commit ]]; then
  echo "last_commit.sh: no commit touches $service's inputs" >&2
  exit 1
fi
echo "$commit"
