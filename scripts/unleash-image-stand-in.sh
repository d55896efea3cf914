#!/usr/bin/env bash
# A STAND-IN for unleashorg/unleash-server, for machines that reach the npm registry but no
# container registry; anywhere the real image can be pulled, use it. The same server, the npm
# package unleash-server at the version docker/compose.yml names, on the Node 20 root of
# scripts/node-image-stand-in.sh, started the way the real image starts it: from its
# environment (DATABASE_URL, INIT_*_API_TOKENS ...), on port 4242, as an unprivileged user.
# Prints the image name:
#   scripts/unleash-image-stand-in.sh    # localhost/toasties/unleash-stand-in:7.5.1
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/stand-in-image.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/stand-in-image.sh"

if [[ $# -ne 0 ]]; then
  echo "usage: unleash-image-stand-in.sh   prints the stand-in image's name on stdout" >&2
  exit 2
fi
# The version of the image it stands in for, as docker/compose.yml names it.
version=$(sed -n 's|^ *image: unleashorg/unleash-server:\([0-9.]*\)$|\1|p' "$(dirname "${BASH_SOURCE[0]}")/../docker/compose.yml")
if [[ -z $version ]]; then
  echo "unleash-image-stand-in: docker/compose.yml names no unleashorg/unleash-server:<version> image" >&2
  exit 1
fi
image=localhost/toasties/unleash-stand-in:$version

write_context() {
  cat >"$1/Dockerfile" <<DOCKERFILE
FROM $2
WORKDIR /unleash
RUN npm install --omit=dev --ignore-scripts --no-audit --no-fund unleash-server@$version \\
 && npm cache clean --force
USER node
EXPOSE 4242
CMD ["node", "/unleash/node_modules/unleash-server/dist/server.js"]
DOCKERFILE
}
stand_in_image "$image" "npm's unleash-server@$version" write_context
