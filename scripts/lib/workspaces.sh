# shellcheck shell=bash
# Sourced by the delivery scripts: where the repository is, the turbo it pins, and the
# workspace graph as turbo reads it from the package.json files. Nothing here keeps a
# hand-written list of packages: a new workspace is picked up by every script at once.

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export TURBO_TELEMETRY_DISABLED=1 TURBO_NO_UPDATE_NOTIFIER=1

# Files outside the workspaces that still go into every image: a change to any of them
# moves every service's tag. (README.md, docs/ and the CI scripts do not.)
shared_inputs=(package-lock.json package.json tsconfig.base.json turbo.json docker)

# The lockfile pins turbo; without node_modules (a bare CI checkout) npx fetches that version.
turbo_version() {
  node -p "require(process.argv[1]).packages['node_modules/turbo'].version" "$repo_root/package-lock.json"
}

turbo() {
  if [[ -x $repo_root/node_modules/.bin/turbo ]]; then
    "$repo_root/node_modules/.bin/turbo" "$@"
  else
    npx --yes "turbo@$(turbo_version)" "$@"
  fi
}

# "name path" of each workspace a turbo filter selects (every workspace without one).
# turbo prints a banner on stderr: it is shown only if turbo fails.
workspaces() {
  local log json status=0
  log=$(mktemp)
  json=$(turbo ls --cwd "$repo_root" --output=json "$@" 2>"$log") || status=$?
  [[ $status -eq 0 ]] || cat "$log" >&2
  rm -f "$log"
  [[ $status -eq 0 ]] || return "$status"
  node -e '
    const { packages } = JSON.parse(process.argv[1]);
    for (const p of packages.items) console.log(p.name + " " + p.path);' "$json"
}

# A service is a workspace under services/; it is named by its directory.
service_names() {
  workspaces | awk '$2 ~ /^services\// { sub(/^services\//, "", $2); print $2 }'
}

is_service() {
  [[ $1 =~ ^[a-z0-9][a-z0-9._-]*$ && -f $repo_root/services/$1/package.json ]]
}

# For a script's argument: exit 2, naming the known services, unless <name> is one.
require_service() {
  is_service "$1" && return 0
  echo "$(basename "$0"): unknown service '$1'; known services: $(service_names | paste -sd ' ' -)" >&2
  exit 2
}

# The package name of services/<name>, or status 1 if there is no such service.
service_package() {
  is_service "$1" && node -p "require(process.argv[1]).name" "$repo_root/services/$1/package.json"
}

# Every path whose change changes the service's image: the service, its workspace
# dependencies (transitively, devDependencies too: turbo prune ships them into the build),
# and the shared inputs.
inputs_of() {
  workspaces --filter="./services/$1..." | awk '{ print $2 }'
  printf '%s\n' "${shared_inputs[@]}"
}
