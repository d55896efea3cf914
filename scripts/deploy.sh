#!/usr/bin/env bash
# Single-host deploy (npm run deploy): for each service, build the release of the commit
# that last changed it, check it against what is deployed (the callers' recorded expectations
# of it, its own of what it calls: lib/can-i-deploy.mjs), back up and migrate its data, switch
# to it, reload the workers one by one, and confirm on /health that every worker runs it.
# Each step either succeeds or stops the deploy there, with what served before serving again
# (lib/deploy-one.sh; the table is in docs/deploying.md); a failed service stops the ones
# after it, and Ctrl-C or SIGTERM at any step does the same (exit 130 or 143). One deploy at
# a time per DEPLOY_ROOT (exit 75 when another holds it). Nothing else needs to run: the
# first deploy starts the services. A deploy or canary of what already serves says so and
# does nothing. One line a step on the terminal; the full log is in $DEPLOY_ROOT/logs/.
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
# first deploy; CONFIRM_TIMEOUT_S (60); DEPLOY_LOCK_WAIT_S (0: refuse at once when another
# deploy holds the lock).
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

# What a deploy would do, said and not done: nothing is built, written or signalled.
plan() {
  local service=$1 tag
  tag=$("$repo_root/last_commit.sh" "$service")
  if running_pid "$service" >/dev/null && [[ -f $(service_dir "$service")/env ]] && confirm_quietly "$service" "$tag"; then
    say "plan: $service: already running $(short "$tag"); would skip"
  else
    say "plan: $service: would deploy $(short "$tag"); $(describe plan "$service")"
  fi
}

stop() {
  local service=$1 pid
  if ! pid=$(running_pid "$service"); then
    say "$service: not running"
    return 0
  fi
  stop_primary "$service" "$pid"
  say "$service: stopped"
}

if [[ $mode == plan ]]; then
  for service in "${services[@]}"; do plan "$service"; done
  exit 0
fi

take_deploy_lock "deploy.sh, $mode ${services[*]}"
if [[ $mode == stop ]]; then
  for service in "${services[@]}"; do stop "$service"; done
  exit 0
fi
open_log deploy

# Each service's deploy runs in a bash of its own (lib/deploy-one.sh), as a background job
# this script awaits with `wait`: its exit status is all that decides what happens next, and
# no errexit is lost on the left of a || here. A Ctrl-C or SIGTERM is passed on to it as a
# SIGTERM (a background job ignores SIGINT), and it ends the step under way as
# docs/deploying.md says; this script then stops, without starting the services after it.
child=''
interrupted=''
# shellcheck disable=SC2317 # called by the traps below
pass_on() {
  interrupted=$1
  if [[ -n $child ]]; then kill -TERM "$child" 2>/dev/null || true; fi
}
trap 'pass_on 130' INT
trap 'pass_on 143' TERM

status=0
for index in "${!services[@]}"; do
  service=${services[index]}
  if [[ -n $interrupted ]]; then
    say "interrupted; not started: ${services[*]:index}"
    exit "$interrupted"
  fi
  holding "$service"
  bash "$repo_root/scripts/lib/deploy-one.sh" "$mode" ${watch_s:+"$watch_s"} "$service" &
  child=$!
  # `wait` returns early when a trap runs: wait again until the child itself has exited.
  while :; do
    status=0
    wait "$child" || status=$?
    if [[ $status -eq 127 ]] || ! kill -0 "$child" 2>/dev/null; then break; fi
  done
  child=''
  rest=("${services[@]:index+1}")
  if [[ -n $interrupted ]]; then
    say "interrupted${rest[*]:+; not started: ${rest[*]}}; full log: $DEPLOY_LOG"
    exit "$interrupted"
  fi
  # A failed service stops the deploy: what comes after it may call it.
  if [[ $status -ne 0 ]]; then
    say "deploy stopped at $service${rest[*]:+; not started: ${rest[*]}}; full log: $DEPLOY_LOG"
    exit 1
  fi
done
if [[ -f $DEPLOY_LOG ]]; then say "full log: $DEPLOY_LOG"; fi
