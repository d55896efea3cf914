#!/usr/bin/env bash
# One service's deploy, run by deploy.sh in a bash of its own and judged by its exit status:
#
#   deploy-one.sh rolling|canary|promote|abort <service>
#   deploy-one.sh canary-auto <seconds> <service>
#
# The steps run one after the other as plain commands under errexit, never on the left of
# || or inside an if: the first that fails ends this script, and the EXIT trap (finish) is
# the one place that decides what that leaves. Before the switch nothing that serves was
# touched, so it only tidies up; from the switch on it puts back the release that served
# before and reloads it (or stops the primary this deploy started). A SIGTERM (deploy.sh
# passes a Ctrl-C on as one) ends the step under way the same way.
set -euo pipefail
shopt -s inherit_errexit
# shellcheck source-path=SCRIPTDIR source=release.sh
source "$(dirname "${BASH_SOURCE[0]}")/release.sh"

mode=$1
shift
if [[ $mode == canary-auto ]]; then
  watch_s=$1
  shift
fi
service=$1
dir=$(service_dir "$service")

step=''          # the step under way, named if the deploy stops there
tag=''           # the release being deployed
before=''        # the release `current` named before (empty on a first deploy)
was_running=''   # yes if a primary served before
signalled=''     # yes once the primary may have been signalled (or started) for the new release
building=''      # this deploy's private build directory, until it is moved into releases/
job=''           # the process group of the command a step runs, while it runs
job_status=0     # how the last command run_job ran ended
checking=''      # the scratch directory of a contract check (a provider's copy of its data)
provider=''      # the pid of the provider a contract check started

# Runs a command in a process group of its own and awaits it with the `wait` builtin: a
# signal reaches the traps at once (bash acts on one only after a foreground child exits, and
# npm ignores the first SIGINT while it retries a registry), a terminal's Ctrl-C does not
# reach the command itself, and the EXIT trap ends it (settle_job). Every command a step
# runs goes through here; its status is the command's. Its output (stdout and stderr) is
# appended to <output>, or left where this script's goes with -: the redirection is the
# command's own, not this function's, so that what the traps say while it runs still reaches
# the terminal. (Not /dev/stderr: that cannot be opened when it is a socket.) It returns 0
# and leaves the command's status in job_status: called as a plain command, never on the left
# of || or in an if, so the command (often a function such as in_release) runs under errexit.
#   run_job <output>|- <command> [args...]
run_job() {
  local output=$1
  shift
  set -m
  if [[ $output == - ]]; then
    "$@" </dev/null 9>&- &
  else
    "$@" >>"$output" 2>&1 </dev/null 9>&- &
  fi
  job=$!
  set +m
  job_status=0
  wait "$job" || job_status=$?
  job=''
}

# A step's command, with its output in the full log (run_job).
run_step() {
  run_job "$DEPLOY_LOG" "$@"
  # A command that failed (rather than one stopped by a signal): its last words, which say why.
  if ((job_status > 0 && job_status < 128)); then tail -n 3 "$DEPLOY_LOG" | sed 's/^/  | /' >&2; fi
  return "$job_status"
}

# For run_step: a command run in <release>'s directory of <service>, with its environment and
# the VAR=value arguments given before the command.
in_release() {
  enter_service "$1" "$2" || return
  shift 2
  while [[ $1 == *=* ]]; do
    export "${1?}"
    shift
  done
  exec "$@"
}

# The command of a step that was interrupted: a build or a backup is stopped (TERM to its
# group, KILL after 5 s), a migration is let finish (stopping one half way is worse than either).
settle_job() {
  local watchdog
  if [[ $step == migrate ]]; then
    say "$service: letting the migration finish"
    wait "$job" || true
    return 0
  fi
  kill -TERM -- "-$job" 2>/dev/null || true
  (sleep 5 && kill -KILL -- "-$job" 2>/dev/null) 9>&- &
  watchdog=$!
  wait "$job" || true
  kill "$watchdog" 2>/dev/null || true
  wait "$watchdog" || true
}

build_release() {
  step=build
  say "$service: build $(short "$tag") (offline, from the npm cache)"
  # Private to this deploy, on the same file system as releases/: moved there only complete.
  mkdir -p "$dir/releases"
  building=$(mktemp -d "$dir/.build.XXXXXX")
  # PRUNED_BUILD: tests put a fast stand-in here; the real build is release-rehearsal.sh's to test.
  run_step "${PRUNED_BUILD:-$repo_root/scripts/pruned-build.sh}" --offline --reuse-native-from "$repo_root" "$service" "$building/release"
  # The release knows its own version: every worker it starts reports it on /health.
  printf '%s\n' "$tag" >"$building/release/services/$service/VERSION"
  # -T: never into an existing directory of that name (a release already there stays as it is).
  mv -T "$building/release" "$dir/releases/$tag"
  rm -rf "$building"
  building=''
}

# Can this release be deployed beside what is deployed? Consumer-driven contracts, checked
# here rather than by a broker: each deployed caller's recorded expectations of this service
# (kept with its release: services/<caller>/contract/<service>.json) against this release,
# and this release's own expectations of each service it calls against the deployed one.
# Either way the provider runs as one process on a spare port, with a copy of its data, and
# is stopped after: nothing that serves is touched.
check_contracts() {
  local callers calls other expectations checked=0
  step=check
  callers=$(describe callers "$service")
  calls=$(describe calls "$service")
  for other in $callers; do
    expectations=$(service_dir "$other")/current/services/$other/contract/$service.json
    if [[ -f $expectations ]]; then
      say "$service: check $(short "$tag") against the expectations of the deployed $other $(short "$(current_tag "$other")")"
      check_provider "$service" "$dir/releases/$tag" "$expectations" "$other"
      checked=$((checked + 1))
    fi
  done
  for other in $calls; do
    expectations=$dir/releases/$tag/services/$service/contract/$other.json
    if [[ -f $expectations && -d $(service_dir "$other")/current ]]; then
      say "$service: check its expectations against the deployed $other $(short "$(current_tag "$other")")"
      check_provider "$other" "$(service_dir "$other")/current" "$expectations" "$service"
      checked=$((checked + 1))
    fi
  done
  if ((checked == 0)); then say "$service: check: no deployed service to check against"; fi
}

# Start <service>'s <release> on a spare port with a copy of its data, replay <expectations>
# of <consumer> against it (lib/can-i-deploy.mjs; what broke goes to the terminal), and stop
# it. The consumer's env values its interactions' conditions read ("unless") are passed on:
# a call the deployed consumer no longer makes is not asked of the provider.
# The scratch provider writes (the expectations restock and place orders), so it must never
# reach what serves: DATABASE_URL is emptied (empty counts as unset in packages/config), so
# it runs on SQLite, on the copy of DATABASE_PATH's file (a fresh file when there is none:
# a PostgreSQL database is not copied); ADMIN_TOKEN is emptied too, since only this loopback
# check, on a copy, can reach it and the expectations carry no token.
check_provider() {
  local of=$1 release=$2 expectations=$3 consumer=$4 backup file copy port deadline verdict name names values=() data=(DATABASE_URL= ADMIN_TOKEN=)
  names=$(node "$repo_root/scripts/lib/can-i-deploy.mjs" --needs "$expectations")
  for name in $names; do values+=("$name=$(env_value "$consumer" "$name")"); done
  checking=$(mktemp -d "$(service_dir "$of")/.check.XXXXXX")
  backup=$(describe backup "$of")
  if [[ -n $backup ]]; then
    mapfile -t backup <<<"$backup"
    file=$(env_value "$of" "${backup[0]}")
    copy=$checking/$(basename "${file:-data}")
    data+=("${backup[0]}=$copy")
    # The online backup the deploy takes, into the scratch directory.
    if [[ -f $file ]]; then run_step in_release "$of" "$release" DATABASE_URL= "${backup[@]:1}" "$copy"; fi
  fi
  port=$(node -e 'const s = require("node:net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')
  in_release "$of" "$release" "${data[@]}" PORT="$port" WORKERS=0 node "$release/services/$of/dist/main.js" >>"$DEPLOY_LOG" 2>&1 </dev/null 9>&- &
  provider=$!
  deadline=$((SECONDS + CONFIRM_TIMEOUT_S))
  until curl --silent --fail --max-time 2 --output /dev/null "http://127.0.0.1:$port/health/ready"; do
    if ! kill -0 "$provider" 2>/dev/null || ((SECONDS >= deadline)); then
      say "$service: $of $(short "$(basename "$(readlink -f "$release")")") did not become ready on a spare port for the check"
      return 1
    fi
    sleep 0.2
  done
  verdict=$checking/verdict
  run_job "$verdict" node "$repo_root/scripts/lib/can-i-deploy.mjs" "$expectations" "http://127.0.0.1:$port" "${values[@]}"
  if ((job_status != 0)); then
    say "$(<"$verdict")"
    return 1
  fi
  cat "$verdict" >>"$DEPLOY_LOG"
  stop_checking
}

# The provider a check started, and its copy of the data: gone.
stop_checking() {
  if [[ -n $provider ]]; then
    kill -TERM "$provider" 2>/dev/null || true
    wait "$provider" || true
    provider=''
  fi
  rm -rf "$checking"
  checking=''
}

# Data outlives releases (chillybin's database): before a migration, an online backup when
# the service's deploy block asks for one and there is something to copy.
migrate_data() {
  local release=$dir/releases/$tag migration backup file name target
  migration=$(describe migrate "$service")
  backup=$(describe backup "$service")
  [[ -n $migration ]] || return 0
  if [[ -n $backup ]]; then
    step=backup
    mapfile -t backup <<<"$backup"
    file=$(env_value "$service" "${backup[0]}")
    if [[ -f $file ]]; then
      name=$(basename "$file")
      if [[ $name == *.* ]]; then name=.${name##*.}; else name=''; fi
      target=$dir/backups/$(date -u +%Y%m%dT%H%M%SZ)-before-$tag$name
      say "$service: backup $file → $target"
      mkdir -p "$dir/backups"
      run_step in_release "$service" "$release" "${backup[@]:1}" "$target"
    fi
  fi
  step=migrate
  say "$service: migrate (the new release's migrations)"
  mapfile -t migration <<<"$migration"
  run_step in_release "$service" "$release" "${migration[@]}"
}

# Build, back up, migrate, switch, reload (SIGHUP, or SIGUSR2 for one canary worker), confirm.
deploy_release() {
  local signal=$1 want=$2
  tag=$("$repo_root/last_commit.sh" "$service")
  holding "$service $(short "$tag")"
  ensure_env "$service"
  if already_live "$want"; then exit 0; fi
  begin_log
  before=$(current_tag "$service") || before=''
  if running_pid "$service" >/dev/null; then was_running=yes; fi
  if [[ -d $dir/releases/$tag ]]; then
    say "$service: release $(short "$tag") already built"
  else
    build_release
  fi
  check_contracts
  migrate_data
  step=switch
  say "$service: switch to $(short "$tag")${before:+ (from $(short "$before"))}"
  switch_to "$service" "$tag"
  step=reload
  signalled=yes
  signal_service "$service" "$signal"
  step=confirm
  confirm "$service" "$tag" "$want"
  if [[ $want == 1 ]]; then
    say "$service: canary up; next: npm run deploy -- --promote $service (or --abort $service)"
  else
    record "$service" "$tag"
  fi
  step=deployed
}

# A deploy or canary of what already serves would reload workers for nothing, and record
# the tag in the history again (then "the release before" is the same one): say so, in
# one line, and do nothing.
already_live() {
  local want=$1
  if ! running_pid "$service" >/dev/null; then return 1; fi
  if confirm_quietly "$service" "$tag"; then
    if [[ $want == all ]]; then
      say "$service: already running $(short "$tag"); skipped"
    else
      say "$service: already running $(short "$tag") on every worker; no canary to start (commit a change first)"
    fi
    return 0
  fi
  if [[ $want == 1 && $(current_tag "$service") == "$tag" ]] && confirm_quietly "$service" "$tag" 1; then
    say "$service: the canary of $(short "$tag") is already up; next: npm run deploy -- --promote $service (or --abort $service)"
    return 0
  fi
  return 1
}

promote() {
  tag=$(current_tag "$service")
  holding "$service $(short "$tag")"
  if running_pid "$service" >/dev/null && confirm_quietly "$service" "$tag"; then
    say "$service: already running $(short "$tag") on every worker; nothing to promote"
    exit 0
  fi
  begin_log
  # Should the promotion fail, back to the release before the canary, on every worker.
  before=$(previous_tag "$service")
  was_running=yes
  step=reload
  signalled=yes
  signal_service "$service" HUP
  step=confirm
  confirm "$service" "$tag"
  record "$service" "$tag"
  step=deployed
}

abort() {
  tag=$(previous_tag "$service")
  holding "$service $(short "$tag")"
  begin_log
  step=abort
  return_to "$service" "$tag"
  step=deployed
}

# Canary, then let the metrics decide: the canary's 5xx rate against the other workers'.
canary_auto() {
  deploy_release USR2 1 # exits if the canary is already up, or there is nothing to deploy
  step=watch
  run_job - node "$repo_root/scripts/lib/canary-verdict.js" "$(service_url "$service")" "$tag" "$watch_s"
  if ((job_status != 0)); then
    say "$service: the canary is not better than what it replaces"
    exit 1
  fi
  step=reload
  signal_service "$service" HUP
  step=confirm
  confirm "$service" "$tag"
  record "$service" "$tag"
  step=deployed
}

# The EXIT trap: what a stop at each step leaves, said in one line (docs/deploying.md has the
# table). Not interrupted itself: a second Ctrl-C must not leave a rollback half done.
finish() {
  local status=$? why
  trap '' INT TERM
  if [[ -n $job ]]; then settle_job; fi
  if [[ -n $checking ]]; then stop_checking; fi
  if [[ -n $building ]]; then rm -rf "$building"; fi
  if [[ $status -eq 0 ]]; then exit 0; fi
  if ((status >= 128)); then why='was interrupted'; else why="failed (exit $status)"; fi
  case $step in
    '' | build | check | backup)
      say "$service: the ${step:-preparation} step $why; stopped there: nothing was switched${before:+, $(short "$before") still serves}"
      ;;
    migrate)
      say "$service: the migrate step $why; stopped there: nothing was switched${before:+, $(short "$before") still serves} (migrations keep the release before working; the backup is in $dir/backups)"
      ;;
    switch | reload | confirm | watch)
      say "$service: the $step step $why; rolling back"
      # Back to what served before this deploy. put_back checks each of its commands itself,
      # since on the left of || errexit is off inside it (rollback.sh calls it the same way).
      put_back "$service" "$before" "$was_running" "$signalled" || status=1
      ;;
    abort)
      say "$service: the abort $why: $(short "$tag") not confirmed; look at $dir/service.log"
      ;;
    *)
      say "$service: stopped ($why) at $step"
      ;;
  esac
  exit "$status"
}
trap finish EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

case $mode in
  rolling) deploy_release HUP all ;;
  canary) deploy_release USR2 1 ;;
  canary-auto) canary_auto ;;
  promote) promote ;;
  abort) abort ;;
  *)
    say "deploy-one.sh: unknown mode $mode"
    exit 2
    ;;
esac
