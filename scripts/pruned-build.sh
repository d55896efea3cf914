#!/usr/bin/env bash
# Builds one service the way docker/Dockerfile does, without Docker: turbo prune --docker,
# npm ci, turbo build, drop dev dependencies. <outdir> then holds a runnable service:
#   cd <outdir>/services/<service> && node dist/main.js
# Used by single-host deploys (scripts/deploy.sh) and scripts/release-rehearsal.sh.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/workspaces.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/workspaces.sh"

usage() {
  cat <<USAGE
usage: pruned-build.sh [--offline] [--reuse-native-from <dir>] <service> <outdir>
  <outdir> must not exist or be empty.
  --offline                  install from the npm cache only (what an earlier \`npm ci\` of
                             this repo fetched): no registry, so no wait on a dead network
  --reuse-native-from <dir>  copy native addons already compiled in <dir> (an install of
                             this repo on this machine) when version and Node ABI match,
                             instead of compiling them again
exit: 0 built, 1 a step failed, 2 bad usage or unknown service
USAGE
}

reuse_from=
npm_network=()
while [[ ${1:-} == -* ]]; do
  case $1 in
    -h | --help) usage; exit 0 ;;
    --offline) npm_network=(--offline); shift ;;
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
# Killed (deploy.sh's Ctrl-C stops the whole build): still take the temporary files along.
trap 'exit 130' INT
trap 'exit 143' TERM

steps=4
[[ -n $reuse_from ]] && steps=5
done_steps=0
step() {
  local started=$SECONDS
  done_steps=$((done_steps + 1))
  echo "== pruned-build $service [$done_steps/$steps]: $1" >&2
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
#    Offline, a package missing from the cache fails at once (ENOTCACHED) instead of
#    waiting minutes on the registry; the message says how to fill the cache.
install() {
  in_out npm ci --no-audit --no-fund "${npm_network[@]}" "$@" && return 0
  if [[ ${#npm_network[@]} -gt 0 ]]; then
    echo "pruned-build: npm ci --offline needs every package in the npm cache ($(npm config get cache --workspaces=false)); run npm ci in $repo_root once with a network, then again" >&2
  fi
  return 1
}
label=$(printf '%s ' npm ci "${npm_network[@]}")
if [[ -n $reuse_from ]]; then
  step "${label}--ignore-scripts" install --ignore-scripts
else
  step "${label% }" install
fi

# 3. Build the service and the workspaces it depends on. turbo prune leaves out root files
#    other than package.json and turbo.json, so tsconfig.base.json comes in by hand.
cp -R "$pruned/full/." "$out/"
cp "$repo_root/tsconfig.base.json" "$out/"
step "turbo build" in_out node_modules/.bin/turbo run build --filter="$package" --output-logs=errors-only

# 4. What ships: production dependencies only.
step "npm prune --omit=dev" in_out npm prune --omit=dev --no-audit --no-fund "${npm_network[@]}"

# With --ignore-scripts above, native addons are still to be made: reuse or rebuild them.
natives() {
  local rebuild
  rebuild=$(in_out npm query ':attr(scripts, [install])' | node "$repo_root/scripts/lib/reuse-native-addons.js" "$out" "$reuse_from")
  if [[ -n $rebuild ]]; then
    # shellcheck disable=SC2086 # one package name a word
    in_out npm rebuild "${npm_network[@]}" $rebuild
  fi
}
if [[ -n $reuse_from ]]; then step "native addons" natives; fi

echo "pruned-build: $package built in $out" >&2
