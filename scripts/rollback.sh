#!/usr/bin/env bash
# Roll a service back (npm run rollback -- <service> [tag]): switch to the release deployed
# before the current one (or to <tag>, which must have been built), reload its workers one
# by one and confirm on /health. The database is left alone: migrations are written to be
# backward compatible (docs/deploying.md); restoring a backup is its own, explicit command.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/release.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/release.sh"

if [[ $# -lt 1 || $# -gt 2 || $1 == -* ]]; then
  say "usage: rollback.sh <service> [tag]"
  exit 2
fi
service=$1
is_service "$service" || { say "rollback: unknown service '$service'; known: $(service_names | paste -sd ' ' -)"; exit 2; }
if [[ $# -eq 2 ]]; then
  target=$2
else
  target=$(previous_tag "$service") || { say "$service: no earlier release in $(service_dir "$service")/history"; exit 1; }
fi
from=$(current_tag "$service" || echo none)
say "$service: rolling back from $from to $target"
switch_to "$service" "$target"
signal_service "$service" HUP
confirm "$service" "$target"
record "$service" "$target"
