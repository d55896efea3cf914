#!/usr/bin/env bash
# Roll a service back (npm run rollback -- <service> [tag]): switch to the release deployed
# before the current one (or to <tag>, which must have been built; any unambiguous prefix of
# it will do, as with git), reload its workers one
# by one and confirm on /health. The database is left alone: migrations are written to be
# backward compatible (docs/deploying.md); restoring a backup is its own, explicit command.
# The steps are deploy.sh's way back (switch, reload, confirm). It takes the deploy lock as
# deploy.sh does: a rollback never runs beside a deploy. It is all or nothing as a deploy is:
# stopped from its switch on (a failure, Ctrl-C, SIGTERM), the EXIT trap puts back the release
# that served before (put_back, in lib/release.sh) and says so.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/release.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/release.sh"

if [[ $# -lt 1 || $# -gt 2 || $1 == -* ]]; then
  say "usage: rollback.sh <service> [tag]"
  exit 2
fi
service=$1
require_service "$service"
take_deploy_lock "rollback.sh $*"
open_log rollback

step=''        # the step under way, once anything that serves is touched: switch, reload, confirm
from=''        # the release `current` named before
was_running='' # yes if a primary served before
signalled=''   # yes once the primary may have been signalled (or started) for the target

# The EXIT trap. Before the switch nothing was touched (a failure there has said why); from it
# on, what served before is put back. Not interrupted itself: a second Ctrl-C must not leave
# the way back half done.
finish() {
  local status=$? why back
  trap '' INT TERM
  if [[ $status -eq 0 ]]; then exit 0; fi
  if ((status >= 128)); then why='was interrupted'; else why="failed (exit $status)"; fi
  if [[ -z $step ]]; then
    if ((status >= 128)); then say "$service: the rollback was interrupted before the switch; nothing was switched"; fi
    exit "$status"
  fi
  if [[ -n $from ]]; then back=$(short "$from"); else back='what served before'; fi
  say "$service: the $step step of the rollback $why; putting back $back"
  put_back "$service" "$from" "$was_running" "$signalled" || status=1
  exit "$status"
}
trap finish EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

if [[ $# -eq 2 ]]; then
  target=$(resolve_release "$service" "$2") || exit 1
else
  target=$(previous_tag "$service") || exit 1
fi
holding "$service $(short "$target")"
# Back to what already serves everywhere: nothing to do, and nothing to record.
if running_pid "$service" >/dev/null && [[ $(current_tag "$service" || true) == "$target" ]] && confirm_quietly "$service" "$target"; then
  say "$service: already running $(short "$target"); nothing to roll back"
  exit 0
fi
begin_log
from=$(current_tag "$service") || from=''
if running_pid "$service" >/dev/null; then was_running=yes; fi
say "$service: rolling back from $(short "${from:-none}") to $(short "$target")"
step=switch
switch_to "$service" "$target"
step=reload
signalled=yes
signal_service "$service" HUP
step=confirm
confirm "$service" "$target"
record "$service" "$target"
say "full log: $DEPLOY_LOG"
