#!/usr/bin/env bash
# The services whose tag (./last_commit.sh) moved since <base-ref>, as a JSON array for a
# CI matrix: ["chillybin","jafflr"], or [] when nothing that ships has changed.
# --all lists every service, for when there is no base to compare with.
#
# A tag "moved" when the service's last commit is not already part of the base. Comparing
# ancestry rather than files means a pull request is judged against the point where it
# branched, whatever has landed on main since.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/workspaces.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/workspaces.sh"

if [[ $# -ne 1 || $1 == -h || $1 == --help ]]; then
  echo "usage: changed-services.sh <base-ref> | --all   (<base-ref>: a branch, tag or commit in this clone)" >&2
  exit 2
fi

services=$(service_names)
changed=()
if [[ $1 == --all ]]; then
  mapfile -t changed <<<"$services"
elif ! base=$(git -C "$repo_root" rev-parse --verify --quiet "$1^{commit}"); then
  echo "changed-services.sh: '$1' is not a commit in this clone (is the history fetched? fetch-depth: 0)" >&2
  exit 2
else
  for service in $services; do
    tag=$("$repo_root/last_commit.sh" "$service")
    if ! git -C "$repo_root" merge-base --is-ancestor "$tag" "$base"; then
      changed+=("$service")
    fi
  done
fi
node -e 'console.log(JSON.stringify(process.argv.slice(1)))' "${changed[@]}"
