# shellcheck shell=bash
# Sourced by deploy.sh and rollback.sh: the layout of a single-host deploy and the steps
# both take (switch a release, signal the primary, confirm what /health reports, go back).
# What differs between services (port, environment, order, migrations) is not here: each
# service describes it in the "deploy" block of its package.json, read by lib/services.mjs.
#
#   $DEPLOY_ROOT/<service>/releases/<tag>/   a pruned build of the service at commit <tag>
#   $DEPLOY_ROOT/<service>/current           symlink to the release that serves
#   $DEPLOY_ROOT/<service>/history           the tags deployed, oldest first
#   $DEPLOY_ROOT/<service>/env               the service's environment (written once)
#   $DEPLOY_ROOT/<service>/primary.pid       written by the running primary
#   $DEPLOY_ROOT/<service>/service.log       its output, when the deploy started it
#   $DEPLOY_ROOT/<service>/data/, backups/   its data (chillybin's database), outside every release
#   $DEPLOY_ROOT/<service>/.build.XXXXXX/     a release being built, private to its deploy
#   $DEPLOY_ROOT/deploy.lock, deploy.holder  one deploy at a time, and who holds it
#   $DEPLOY_ROOT/logs/                        each deploy's full log

# shellcheck source-path=SCRIPTDIR source=workspaces.sh
source "$(dirname "${BASH_SOURCE[0]}")/workspaces.sh"
DEPLOY_ROOT=${DEPLOY_ROOT:-$repo_root/.deploy}
read_health=$repo_root/scripts/lib/read-health.mjs
services_reader=$repo_root/scripts/lib/services.mjs

# What a service's deploy block says (see lib/services.mjs for the questions it answers).
describe() { node "$services_reader" "$@"; }
CONFIRM_TIMEOUT_S=${CONFIRM_TIMEOUT_S:-60}
DEPLOY_LOCK_WAIT_S=${DEPLOY_LOCK_WAIT_S:-0}

# What the operator reads: one line, on stderr and in the deploy's full log once it is begun.
say() {
  printf '%s\n' "$*" >&2
  if [[ -f ${DEPLOY_LOG:-} ]]; then printf '%s %s\n' "$(date -u +%T)" "$*" >>"$DEPLOY_LOG"; fi
}

# A tag as a person reads it (12 hex digits, as git's short form); files and labels keep all 40.
short() { printf '%s' "${1:0:12}"; }

# Each deploy (or rollback) writes everything its steps print to a file of its own; the
# terminal gets one line a step. Exported: deploy-one.sh, run per service, appends to it.
# The file is made by begin_log, when there is something to do: a deploy of what already
# serves leaves none (and says nothing of one).
open_log() {
  [[ -z ${DEPLOY_LOG:-} ]] || return 0
  mkdir -p "$DEPLOY_ROOT/logs"
  DEPLOY_LOG=$DEPLOY_ROOT/logs/$(date -u +%Y%m%dT%H%M%SZ)-$1-$$.log
  export DEPLOY_LOG
}
begin_log() { : >>"$DEPLOY_LOG"; }

# One deploy at a time per deploy root: an flock on fd 9, held until this script and every
# step it runs have exited (deploy-one.sh inherits the fd; the primaries a deploy starts and
# its builds do not, or they would hold it for ever). A second deploy waits up to
# DEPLOY_LOCK_WAIT_S (0: not at all), then refuses with exit 75, naming the holder.
take_deploy_lock() {
  local what=$1 holder
  mkdir -p "$DEPLOY_ROOT"
  exec 9>>"$DEPLOY_ROOT/deploy.lock"
  if ! flock --wait "$DEPLOY_LOCK_WAIT_S" 9; then
    holder=$(cat "$DEPLOY_ROOT/deploy.holder" 2>/dev/null) || holder='(unknown)'
    say "another deploy is under way in $DEPLOY_ROOT: $holder; nothing was done"
    exit 75
  fi
  lock_since=$(date -u +%FT%TZ)
  lock_what=$what
  lock_pid=$$
  # For deploy-one.sh, run per service under this lock: it names the release once it knows it.
  export lock_since lock_what lock_pid
  holding ''
}

# Says what the lock's holder is doing now (a service, then the release), for a deploy that
# finds it taken.
holding() {
  printf 'pid %s (%s)%s, since %s\n' "$lock_pid" "$lock_what" "${1:+, now $1}" "$lock_since" >"$DEPLOY_ROOT/deploy.holder"
}

service_dir() { printf '%s/%s' "$DEPLOY_ROOT" "$1"; }

# The service's environment, created with laptop-friendly values the first time: its deploy
# block's port and env, then what every service gets.
ensure_env() {
  local service=$1 dir env lines dirs
  dir=$(service_dir "$service")
  env=$dir/env
  [[ -f $env ]] && return 0
  lines=$(describe env "$service" "$dir") && dirs=$(describe dirs "$service" "$dir") || return 1
  mkdir -p "$dir"
  while IFS= read -r named; do [[ -z $named ]] || mkdir -p "$named"; done <<<"$dirs"
  printf '%s\nWORKERS=%s\nLOG_FORMAT=json\n' "$lines" "${DEPLOY_WORKERS:-2}" >"$env"
}

# A value from the service's env file.
env_value() {
  sed -n "s/^$2=//p" "$(service_dir "$1")/env" | tail -n 1
}

service_url() { printf 'http://127.0.0.1:%s' "$(env_value "$1" PORT)"; }

# The pid of the running primary, or status 1.
running_pid() {
  local pidfile pid
  pidfile=$(service_dir "$1")/primary.pid
  [[ -f $pidfile ]] || return 1
  pid=$(<"$pidfile")
  kill -0 "$pid" 2>/dev/null || return 1
  printf '%s' "$pid"
}

current_tag() {
  local link
  link=$(readlink "$(service_dir "$1")/current" 2>/dev/null) || return 1
  basename "$link"
}

# Point `current` at a release in one rename: nothing ever sees a missing link.
switch_to() {
  local service=$1 tag=$2 dir
  dir=$(service_dir "$service")
  [[ -d $dir/releases/$tag ]] || { say "$service: no release $tag in $dir/releases"; return 1; }
  ln -sfn "releases/$tag" "$dir/current.next" && mv -Tf "$dir/current.next" "$dir/current"
}

# For a subshell: take the service's env file and go to its directory in <release>, as it runs.
# Checked by hand, as its callers must: they run where errexit does not apply (a step's command
# runs in the background from a function checked with ||, put_back runs from an EXIT trap), and
# a command must never run without its env or in another directory.
enter_service() {
  local service=$1 release=$2
  set -a
  # shellcheck disable=SC1091 # written by ensure_env
  source "$(service_dir "$service")/env" || { set +a; return 1; }
  set +a
  cd "$release/services/$service" || return
}

# Start the primary from `current` (through the symlink, so that workers forked after
# a switch load the new release), with the env file and a pid file. Started means: it wrote
# its pid file; a primary that exits first (or writes none within CONFIRM_TIMEOUT_S) did not.
start_service() {
  local service=$1 dir pid deadline=$((SECONDS + CONFIRM_TIMEOUT_S))
  dir=$(service_dir "$service")
  (
    enter_service "$service" "$dir/current" || exit
    unset lock_since lock_what lock_pid # the primary outlives this deploy and its lock
    PID_FILE=$dir/primary.pid exec nohup node "$dir/current/services/$service/dist/main.js" >>"$dir/service.log" 2>&1
  ) 9>&- &
  pid=$!
  # Known before its pid file is: a deploy stopped while it starts stops it too (put_back).
  starting_pid=$pid
  while [[ $(running_pid "$service") != "$pid" ]]; do
    if ! kill -0 "$pid" 2>/dev/null || ((SECONDS >= deadline)); then
      say "$service: the primary did not start (see $dir/service.log)"
      kill -TERM "$pid" 2>/dev/null || true
      return 1
    fi
    sleep 0.2
  done
  starting_pid=''
  say "$service: started primary $pid"
}

# SIGTERM to a service's primary <pid>, then wait while it drains, but not for ever (the
# caller holds the deploy lock): up to the service's SHUTDOWN_TIMEOUT_MS (packages/config's
# default, 10 s, when its env sets none) plus 5 s for its workers to exit. A primary still
# there then is said, with status 1.
stop_primary() {
  local service=$1 pid=$2 timeout_ms wait_s deadline
  timeout_ms=$(env_value "$service" SHUTDOWN_TIMEOUT_MS 2>/dev/null) || timeout_ms=''
  [[ $timeout_ms =~ ^[0-9]+$ ]] || timeout_ms=10000
  wait_s=$(((timeout_ms + 999) / 1000 + 5))
  deadline=$((SECONDS + wait_s))
  kill -TERM "$pid" 2>/dev/null || return 0 # gone already
  while kill -0 "$pid" 2>/dev/null; do
    if ((SECONDS >= deadline)); then
      say "$service: primary $pid still running $wait_s s after SIGTERM; gave up waiting (see $(service_dir "$service")/service.log)"
      return 1
    fi
    sleep 0.2
  done
}

# SIGHUP (replace every worker) or SIGUSR2 (one canary worker); starts the service if it is not running.
signal_service() {
  local service=$1 signal=$2 pid
  if pid=$(running_pid "$service"); then
    say "$service: reload: SIG$signal to primary $pid"
    kill "-$signal" "$pid"
  else
    start_service "$service"
  fi
}

# The versions /health reports: the worker list in a cluster, else the one version. While
# the primary is still replacing workers it answers nothing: a half-done reload is not done.
# (Why not is left out: confirm() says what /health reported when it gives up.)
reported_versions() {
  local body
  body=$(curl --silent --fail --max-time 2 "$(service_url "$1")/health") || return 1
  node "$read_health" versions "$body" 2>/dev/null
}

# Wait until /health says `want` of the workers run <tag> (all, or 1 for a canary). Asks at
# least once, so CONFIRM_TIMEOUT_S=0 means "is it so right now?".
confirm() {
  local service=$1 tag=$2 want=${3:-all} deadline=$((SECONDS + CONFIRM_TIMEOUT_S)) versions='' expected total matching
  expected=$(env_value "$service" WORKERS)
  while :; do
    if versions=$(reported_versions "$service"); then
      total=$(grep -c . <<<"$versions" || true)
      matching=$(grep -cx "$tag" <<<"$versions" || true)
      if [[ $want == all && $matching -eq $total && $total -ge ${expected:-1} ]] || [[ $want == 1 && $matching -ge 1 ]]; then
        say "$service: confirmed $(short "$tag") on $matching of $total workers"
        return 0
      fi
    fi
    ((SECONDS < deadline)) || break
    sleep 0.5
  done
  say "$service: $(short "$tag") not confirmed within ${CONFIRM_TIMEOUT_S} s; /health reports: $(cut -c1-12 <<<"${versions:-nothing}" | tr '\n' ' ')"
  return 1
}

# Is it so right now? (confirm's question, asked once, silently)
confirm_quietly() { CONFIRM_TIMEOUT_S=0 confirm "$@" 2>/dev/null; }

# The built release a tag, or any unambiguous prefix of one, names (as git takes a prefix of
# a commit); otherwise says why not (none, or the candidates) and returns 1.
resolve_release() {
  local service=$1 prefix=${2,,} releases release candidates=()
  releases=$(service_dir "$service")/releases
  if [[ ! $prefix =~ ^[0-9a-f]{4,40}$ ]]; then
    say "$service: '$2' is not a release tag: give 4 to 40 of its hex digits"
    return 1
  fi
  for release in "$releases/$prefix"*; do
    [[ -d $release && $release != *.partial ]] && candidates+=("$(basename "$release")")
  done
  case ${#candidates[@]} in
    1) printf '%s' "${candidates[0]}" ;;
    0)
      say "$service: no release $2 in $releases"
      return 1
      ;;
    *)
      say "$service: $2 is ambiguous: it begins ${#candidates[@]} releases:"
      printf '  %s\n' "${candidates[@]}" >&2
      return 1
      ;;
  esac
}

# Append a tag to the history, unless it is already the last line: the same release twice
# in a row would make "the release before" the one that serves.
record() {
  local history
  history=$(service_dir "$1")/history
  [[ -f $history && $(tail -n 1 "$history") == "$2" ]] && return 0
  printf '%s\n' "$2" >>"$history"
}

# The tag deployed before the current one, from the history; says so when there is none.
previous_tag() {
  local history current
  history=$(service_dir "$1")/history
  if current=$(current_tag "$1") && [[ -f $history ]] && grep -vx "$current" "$history" | tail -n 1 | grep .; then
    return 0
  fi
  say "$1: no earlier release in $history"
  return 1
}

# Back to a release built before: switch, reload every worker, confirm (deploy.sh --abort;
# rollback.sh takes the same steps one at a time, so that its EXIT trap knows which it stopped at).
return_to() {
  local service=$1 tag=$2
  switch_to "$service" "$tag" || return 1
  signal_service "$service" HUP
  confirm "$service" "$tag"
}

# Back to what served before a deploy or rollback that stopped from its switch on: <before>,
# the release `current` named then (switched back; reloaded and confirmed when the workers
# were <signalled>), or, when nothing served (<was_running> empty: a first deploy, a stopped
# service), nothing, as before. Run by EXIT traps, where errexit does not apply: every command
# is checked here, and the first that fails ends it with status 1 (never a reload onto the
# release that failed).
#   put_back <service> <before> <was_running> <signalled>
put_back() {
  local service=$1 before=$2 was_running=$3 signalled=$4 dir pid
  dir=$(service_dir "$service")
  if [[ -n $before ]]; then
    if [[ $(current_tag "$service") != "$before" ]]; then
      switch_to "$service" "$before" || return 1
    fi
  elif [[ -L $dir/current ]]; then
    rm -f "$dir/current" || return 1
  fi
  if [[ -z $was_running ]]; then
    # A primary stopped while it started (start_service) has no pid file yet.
    if pid=$(running_pid "$service") || { [[ -n ${starting_pid:-} ]] && kill -0 "$starting_pid" 2>/dev/null && pid=$starting_pid; }; then
      stop_primary "$service" "$pid" || return 1
      say "$service: rolled back: stopped the primary this deploy started; nothing serves, as before"
    else
      say "$service: rolled back: nothing serves, as before"
    fi
    return 0
  fi
  if [[ -z $signalled ]]; then
    say "$service: rolled back: current is $(short "$before") again; its workers were never signalled"
    return 0
  fi
  say "$service: rolling back to $(short "$before")"
  signal_service "$service" HUP || return 1
  if confirm "$service" "$before"; then
    say "$service: rolled back: $(short "$before") serves on every worker"
  else
    say "$service: the rollback to $(short "$before") was not confirmed either: look at $dir/service.log"
    return 1
  fi
}
