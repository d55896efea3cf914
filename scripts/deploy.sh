#!/usr/bin/env bash
# Single-host deploy (npm run deploy): for each service, build the release of the commit
# that last changed it, switch to it, reload the workers one by one, and confirm on
# /health that every worker runs it; if not, switch back. Nothing else needs to run:
# the first deploy starts the services.
#
#   npm run deploy                          every service that changed (chillybin first)
#   npm run deploy -- jafflr                just one
#   npm run deploy -- --canary jafflr       one worker on the new release beside the old ones
#   npm run deploy -- --promote jafflr      then every worker, or:
#   npm run deploy -- --abort jafflr        back to the release before
#   npm run deploy -- --stop                stop the deployed services (SIGTERM: they drain)
#
# Settings (environment): DEPLOY_ROOT (.deploy), CHILLYBIN_PORT (7001), JAFFLR_PORT (7000),
# DEPLOY_WORKERS (2) for a first deploy; CONFIRM_TIMEOUT_S (60).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/release.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/release.sh"

usage() { sed -n '2,17s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }

mode=rolling
case ${1:-} in
  -h | --help) usage; exit 0 ;;
  --canary) mode=canary; shift ;;
  --promote) mode=promote; shift ;;
  --abort) mode=abort; shift ;;
  --stop) mode=stop; shift ;;
  -*) usage >&2; exit 2 ;;
esac
if [[ $# -gt 0 ]]; then services=("$@"); else mapfile -t services < <(service_names); fi
for service in "${services[@]}"; do
  is_service "$service" || { say "deploy: unknown service '$service'; known: $(service_names | paste -sd ' ' -)"; exit 2; }
done
# chillybin first: jafflr calls it over HTTP (no package dependency says so), and a
# caller is deployed after what it calls.
ordered=()
for service in "${services[@]}"; do
  if [[ $service == chillybin ]]; then ordered=(chillybin ${ordered[@]+"${ordered[@]}"}); else ordered+=("$service"); fi
done
services=("${ordered[@]}")

build_release() {
  local service=$1 tag=$2 dir
  dir=$(service_dir "$service")
  [[ -d $dir/releases/$tag ]] && { say "$service: release $tag already built"; return 0; }
  rm -rf "$dir/releases/$tag.partial"
  # PRUNED_BUILD: tests put a fast stand-in here; the real build is image-rehearsal's to test.
  "${PRUNED_BUILD:-$repo_root/scripts/pruned-build.sh}" --reuse-native-from "$repo_root" "$service" "$dir/releases/$tag.partial"
  # The release knows its own version: every worker it starts reports it on /health.
  printf '%s\n' "$tag" >"$dir/releases/$tag.partial/services/$service/VERSION"
  mv "$dir/releases/$tag.partial" "$dir/releases/$tag"
}

# chillybin's data outlives releases; each migration is preceded by an online backup.
migrate_database() {
  local service=$1 tag=$2 dir release db
  [[ $service == chillybin ]] || return 0
  dir=$(service_dir "$service")
  release=$dir/releases/$tag/services/$service
  db=$(env_value "$service" DATABASE_PATH)
  if [[ -f $db ]]; then
    DATABASE_PATH=$db node "$release/dist/backup-cli.js" backup "$dir/backups/$(date -u +%Y%m%dT%H%M%SZ)-before-$tag.db" >&2
  fi
  DATABASE_PATH=$db node "$release/dist/migrate-cli.js" up >&2
}

rolling() {
  local service=$1 tag previous signal=${2:-HUP} want=${3:-all}
  tag=$("$repo_root/last_commit.sh" "$service")
  ensure_env "$service"
  if [[ $want == all ]] && running_pid "$service" >/dev/null && confirm_quietly "$service" "$tag"; then
    say "$service: already running $tag; skipped"
    return 0
  fi
  build_release "$service" "$tag"
  migrate_database "$service" "$tag"
  previous=$(current_tag "$service" || true)
  switch_to "$service" "$tag"
  signal_service "$service" "$signal"
  if confirm "$service" "$tag" "$want"; then
    [[ $want == all ]] && record "$service" "$tag"
    [[ $want == 1 ]] && say "$service: canary up; next: npm run deploy -- --promote $service (or --abort $service)"
    return 0
  fi
  say "$service: rolling back to ${previous:-nothing}"
  if [[ -n $previous ]]; then
    switch_to "$service" "$previous"
    signal_service "$service" HUP
    confirm "$service" "$previous" || say "$service: the rollback to $previous was not confirmed either: look at $(service_dir "$service")/service.log"
  fi
  return 1
}

confirm_quietly() { CONFIRM_TIMEOUT_S=0 confirm "$@" 2>/dev/null; }

promote() {
  local service=$1 tag
  tag=$(current_tag "$service")
  signal_service "$service" HUP
  confirm "$service" "$tag" && record "$service" "$tag"
}

abort() {
  local service=$1 previous
  previous=$(previous_tag "$service") || { say "$service: no earlier release to go back to"; return 1; }
  switch_to "$service" "$previous"
  signal_service "$service" HUP
  confirm "$service" "$previous"
}

stop() {
  local service=$1 pid
  pid=$(running_pid "$service") || { say "$service: not running"; return 0; }
  kill -TERM "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
  say "$service: stopped"
}

status=0
for service in "${services[@]}"; do
  case $mode in
    rolling) rolling "$service" || status=1 ;;
    canary) rolling "$service" USR2 1 || status=1 ;;
    promote) promote "$service" || status=1 ;;
    abort) abort "$service" || status=1 ;;
    stop) stop "$service" ;;
  esac
  # A failed service stops the deploy: what comes after it may depend on it.
  [[ $status -eq 0 ]] || break
done
exit "$status"
