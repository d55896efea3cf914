#!/usr/bin/env bash
# Builds one service the way docker/Dockerfile does, without Docker: turbo prune --docker,
# npm ci, turbo build, drop dev dependencies. <outdir> then holds a runnable service:
#   cd <outdir>/services/<service> && node dist/main.js
# Used by scripts/image-rehearsal.sh and by single-host deploys.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/workspaces.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/workspaces.sh"

usage() {
  cat <<USAGE
usage: pruned-build.sh [--reuse-native-from <dir>] <service> <outdir>
  <outdir> must not exist or be empty.
  --reuse-native-from <dir>  copy native addons already compiled in <dir> (an install of
                             this repo on this machine) when version and Node ABI match,
                             instead of compiling them again
exit: 0 built, 1 a step failed, 2 bad usage or unknown service
USAGE
}

reuse_from=
while [[ ${1:-} == -* ]]; do
  case $1 in
    -h | --help) usage; exit 0 ;;
    --reuse-native-from) reuse_from=$(cd "${2:?--reuse-native-from needs a directory}" && pwd); shift 2 ;;
    *) usage >&2; exit 2 ;;
  esac
done
if [[ $# -ne 2 ]]; then usage >&2; exit 2; fi
service=$1
require_service "$service"
package=$(service_package "$service")
if [[ -e $2 && -n $(ls -A "$2") ]]; then
  echo "pruned-build.sh: $2 is not empty; give a new directory" >&2
  exit 2
fi
mkdir -p "$2"
out=$(cd "$2" && pwd)
pruned=$(mktemp -d)
trap 'rm -rf "$pruned"' EXIT

step() {
  local started=$SECONDS
  echo "== pruned-build $service: $1" >&2
  shift
  "$@"
  echo "   done in $((SECONDS - started)) s" >&2
}

# 1. Only the service's workspaces and its slice of the lockfile. json/ holds the manifests
#    (the install layer, cached while no dependency changes); full/ holds the sources.
step "turbo prune $package" turbo prune "$package" --docker --cwd "$repo_root" --out-dir "$pruned" >/dev/null
cp -R "$pruned/json/." "$out/"

# 2. Install exactly the lockfile, dev dependencies included: the build needs them.
#    When addons are reused, no install script runs here; they are dealt with after step 4.
in_out() { (cd "$out" && "$@"); }
if [[ -n $reuse_from ]]; then
  step "npm ci --ignore-scripts" in_out npm ci --no-audit --no-fund --ignore-scripts
else
  step "npm ci" in_out npm ci --no-audit --no-fund
fi

# 3. Build the service and the workspaces it depends on. turbo prune leaves out root files
#    other than package.json and turbo.json, so tsconfig.base.json comes in by hand.
cp -R "$pruned/full/." "$out/"
cp "$repo_root/tsconfig.base.json" "$out/"
step "turbo build" in_out node_modules/.bin/turbo run build --filter="$package" --output-logs=errors-only

# 4. What ships: production dependencies only.
step "npm prune --omit=dev" in_out npm prune --omit=dev --no-audit --no-fund

# With --ignore-scripts above, native addons are still to be made: reuse or rebuild them.
natives() {
  local rebuild
  rebuild=$(in_out npm query ':attr(scripts, [install])' | node "$repo_root/scripts/lib/reuse-native-addons.js" "$out" "$reuse_from")
  if [[ -n $rebuild ]]; then
    # shellcheck disable=SC2086 # one package name a word
    in_out npm rebuild $rebuild
  fi
}
if [[ -n $reuse_from ]]; then step "native addons" natives; fi

echo "pruned-build: $package built in $out" >&2
