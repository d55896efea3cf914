#!/usr/bin/env bash
# Roll a service back (npm run rollback -- <service> [tag]): switch to the release deployed
# before the current one (or to <tag>, which must have been built; any unambiguous prefix of
# it will do, as with git), reload its workers one
# by one and confirm on /health. The database is left alone: migrations are written to be
# backward compatible (docs/deploying.md); restoring a backup is its own, explicit command.
# The steps are deploy.sh's way back (return_to, in lib/release.sh). It takes the deploy lock
# as deploy.sh does: a rollback never runs beside a deploy.
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
if [[ $# -eq 2 ]]; then
  target=$(resolve_release "$service" "$2") || exit 1
else
  target=$(previous_tag "$service") || exit 1
fi
# Back to what already serves everywhere: nothing to do, and nothing to record.
if running_pid "$service" >/dev/null && [[ $(current_tag "$service" || true) == "$target" ]] && confirm_quietly "$service" "$target"; then
  say "$service: already running $(short "$target"); nothing to roll back"
  exit 0
fi
begin_log
from=$(current_tag "$service") || from=none
say "$service: rolling back from $(short "$from") to $(short "$target")"
return_to "$service" "$target"
record "$service" "$target"
say "full log: $DEPLOY_LOG"
