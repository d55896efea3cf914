#!/usr/bin/env bash
# Single-host deploy (npm run deploy): for each service, build the release of the commit
# that last changed it, switch to it, reload the workers one by one, and confirm on
# /health that every worker runs it; if not, switch back. Nothing else needs to run:
# the first deploy starts the services. A release is built offline, from the npm cache
# (pruned-build.sh --offline), one numbered step at a time; Ctrl-C stops it (exit 130). A
# deploy or canary of what already serves says so and does nothing.
#
#   npm run deploy                          every service that changed (each after those it calls)
#   npm run deploy -- jafflr                just one
#   npm run deploy -- --canary jafflr       one worker on the new release beside the old ones
#   npm run deploy -- --promote jafflr      then every worker, or:
#   npm run deploy -- --abort jafflr        back to the release before
#   npm run deploy -- --canary-auto 30 jafflr   canary, then promote or abort on its own after
#                                           30 s, from the error rate /metrics gives each version
#   npm run deploy -- --stop                stop the deployed services, callers first (SIGTERM: they drain)
#   npm run deploy -- --plan                say what a deploy would do, in its order; change nothing
#
# Each service's port, environment, order and migrations: the "deploy" block of its
# package.json (docs/adding-a-service.md). Settings (environment): DEPLOY_ROOT (.deploy), a
# service's port variable (CHILLYBIN_PORT 7001, JAFFLR_PORT 7000) and DEPLOY_WORKERS (2) for a
# first deploy; CONFIRM_TIMEOUT_S (60).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/release.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/release.sh"

# The comment block at the top, up to the first line that is not a comment.
usage() { awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "${BASH_SOURCE[0]}"; }

mode=rolling
case ${1:-} in
  -h | --help) usage; exit 0 ;;
  --canary) mode=canary; shift ;;
  --canary-auto) mode=canary-auto; watch_s=${2:?--canary-auto needs seconds}; shift 2 ;;
  --promote) mode=promote; shift ;;
  --abort) mode=abort; shift ;;
  --stop) mode=stop; shift ;;
  --plan) mode=plan; shift ;;
  -*) usage >&2; exit 2 ;;
esac
if [[ $# -gt 0 ]]; then services=("$@"); else mapfile -t services < <(service_names); fi
for service in "${services[@]}"; do require_service "$service"; done
# A caller is deployed after what it calls (jafflr after chillybin: no package dependency
# says so, their deploy blocks do).
order=$(describe order "${services[@]}") || exit 2
mapfile -t services <<<"$order"
# Stopping goes the other way: a caller stops before what it calls, so it never serves
# with nothing behind it (jafflr, then chillybin).
if [[ $mode == stop ]]; then
  reversed=()
  for ((i = ${#services[@]} - 1; i >= 0; i--)); do reversed+=("${services[i]}"); done
  services=("${reversed[@]}")
fi

# The build runs as a background job in a process group of its own (set -m), and this
# script waits for it with the `wait` builtin. Why: bash acts on a Ctrl-C only once its
# foreground child has exited, and npm ignores the first SIGINT while it retries a registry
# it cannot reach; `wait` is interrupted at once, and the trap takes the whole group down.
build_group=''
partial=''
# shellcheck disable=SC2317 # called by the traps below
interrupted() {
  local status=$1 tries=0
  trap - INT TERM
  if [[ -n $build_group ]]; then
    kill -TERM -- "-$build_group" 2>/dev/null || true
    # Give it a moment to take its temporary files along, then make sure.
    while kill -0 -- "-$build_group" 2>/dev/null && ((tries++ < 50)); do sleep 0.1; done
    kill -KILL -- "-$build_group" 2>/dev/null || true
  fi
  [[ -z $partial ]] || rm -rf "$partial"
  say "interrupted${partial:+: removed the half-built release $partial}"
  exit "$status"
}
trap 'interrupted 130' INT
trap 'interrupted 143' TERM

build_release() {
  local service=$1 tag=$2 dir started=$SECONDS status=0
  dir=$(service_dir "$service")
  [[ -d $dir/releases/$tag ]] && { say "$service: release $tag already built"; return 0; }
  partial=$dir/releases/$tag.partial
  rm -rf "$partial"
  say "$service: building release $tag (offline, from the npm cache; Ctrl-C stops it)"
  # PRUNED_BUILD: tests put a fast stand-in here; the real build is release-rehearsal.sh's to test.
  set -m
  "${PRUNED_BUILD:-$repo_root/scripts/pruned-build.sh}" --offline --reuse-native-from "$repo_root" "$service" "$partial" </dev/null &
  build_group=$!
  set +m
  wait "$build_group" || status=$?
  build_group=''
  if [[ $status -ne 0 ]]; then
    rm -rf "$partial"
    partial=''
    say "$service: the build of $tag failed (exit $status); nothing was switched"
    return 1
  fi
  # The release knows its own version: every worker it starts reports it on /health.
  printf '%s\n' "$tag" >"$partial/services/$service/VERSION"
  mv "$partial" "$dir/releases/$tag"
  partial=''
  say "$service: built $tag in $((SECONDS - started)) s"
}

# Data outlives releases (chillybin's database); a migration is preceded by an online
# backup when the service's deploy block asks for one and there is something to copy.
migrate_database() {
  local service=$1 tag=$2 dir release file name migration backup
  migration=$(describe migrate "$service") && backup=$(describe backup "$service") || return 1
  [[ -n $migration ]] || return 0
  dir=$(service_dir "$service")
  release=$dir/releases/$tag
  if [[ -n $backup ]]; then
    mapfile -t backup <<<"$backup"
    file=$(env_value "$service" "${backup[0]}")
    name=$(basename "$file")
    [[ $name == *.* ]] && name=.${name##*.} || name=
    if [[ -f $file ]]; then
      mkdir -p "$dir/backups"
      (enter_service "$service" "$release" && "${backup[@]:1}" "$dir/backups/$(date -u +%Y%m%dT%H%M%SZ)-before-$tag$name") >&2
    fi
  fi
  mapfile -t migration <<<"$migration"
  (enter_service "$service" "$release" && "${migration[@]}") >&2
}

rolling() {
  local service=$1 tag previous signal=${2:-HUP} want=${3:-all}
  tag=$("$repo_root/last_commit.sh" "$service")
  ensure_env "$service"
  already_live "$service" "$tag" "$want" && return 0
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
    return_to "$service" "$previous" || say "$service: the rollback to $previous was not confirmed either: look at $(service_dir "$service")/service.log"
  fi
  return 1
}

# A deploy or canary of what already serves would reload workers for nothing, and record
# the tag in the history again (then "the release before" is the same one): say so, in
# one line, and do nothing.
already_live() {
  local service=$1 tag=$2 want=$3
  running_pid "$service" >/dev/null || return 1
  if confirm_quietly "$service" "$tag"; then
    if [[ $want == all ]]; then
      say "$service: already running $tag; skipped"
    else
      say "$service: already running $tag on every worker; no canary to start (commit a change first)"
    fi
    return 0
  fi
  if [[ $want == 1 && $(current_tag "$service" || true) == "$tag" ]] && confirm_quietly "$service" "$tag" 1; then
    say "$service: the canary of $tag is already up; next: npm run deploy -- --promote $service (or --abort $service)"
    return 0
  fi
  return 1
}

promote() {
  local service=$1 tag
  tag=$(current_tag "$service")
  if running_pid "$service" >/dev/null && confirm_quietly "$service" "$tag"; then
    say "$service: already running $tag on every worker; nothing to promote"
    return 0
  fi
  signal_service "$service" HUP
  confirm "$service" "$tag" && record "$service" "$tag"
}

abort() {
  local service=$1 previous
  previous=$(previous_tag "$service") || return 1
  return_to "$service" "$previous"
}

# Canary, then let the metrics decide: the canary's 5xx rate against the other workers'.
canary_auto() {
  local service=$1 tag
  already_live "$service" "$("$repo_root/last_commit.sh" "$service")" 1 && return 0
  rolling "$service" USR2 1 || return 1
  tag=$(current_tag "$service")
  if node "$repo_root/scripts/lib/canary-verdict.js" "$(service_url "$service")" "$tag" "$watch_s"; then
    promote "$service"
  else
    say "$service: the canary is not better than what it replaces; aborting"
    abort "$service"
    return 1
  fi
}

# What rolling() would do, said and not done: nothing is built, written or signalled.
plan() {
  local service=$1 tag
  tag=$("$repo_root/last_commit.sh" "$service")
  if running_pid "$service" >/dev/null && [[ -f $(service_dir "$service")/env ]] && confirm_quietly "$service" "$tag"; then
    say "plan: $service: already running $tag; would skip"
  else
    say "plan: $service: would deploy $tag; $(describe plan "$service")"
  fi
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
    canary-auto) canary_auto "$service" || status=1 ;;
    promote) promote "$service" || status=1 ;;
    abort) abort "$service" || status=1 ;;
    stop) stop "$service" ;;
    plan) plan "$service" || status=1 ;;
  esac
  # A failed service stops the deploy: what comes after it may depend on it.
  [[ $status -eq 0 ]] || break
done
exit "$status"
