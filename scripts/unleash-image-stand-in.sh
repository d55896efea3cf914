#!/usr/bin/env bash
# A STAND-IN for unleashorg/unleash-server, for machines that reach the npm registry but no
# container registry; anywhere the real image can be pulled, use it. The same server, the npm
# package unleash-server at the version docker/compose.yml names, on the Node 20 root of
# scripts/node-image-stand-in.sh, started the way the real image starts it: from its
# environment (DATABASE_URL, INIT_*_API_TOKENS ...), on port 4242, as an unprivileged user.
# Prints the image name:
#   scripts/unleash-image-stand-in.sh    # localhost/toasties/unleash-stand-in:7.5.1
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/container-engine.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/container-engine.sh"

if [[ $# -ne 0 ]]; then
  echo "usage: unleash-image-stand-in.sh   prints the stand-in image's name on stdout" >&2
  exit 2
fi
version=7.5.1 # as docker/compose.yml's unleash service and testkit's UNLEASH_SERVER_VERSION
engine=$(container_engine)
image=localhost/toasties/unleash-stand-in:$version
if "$engine" image inspect "$image" >/dev/null 2>&1; then
  echo "$image"
  exit 0
fi

base=$("$(dirname "${BASH_SOURCE[0]}")/node-image-stand-in.sh")
context=$(mktemp -d)
trap 'rm -rf "$context"' EXIT
cat >"$context/Dockerfile" <<DOCKERFILE
FROM $base
WORKDIR /unleash
RUN npm install --omit=dev --ignore-scripts --no-audit --no-fund unleash-server@$version \\
 && npm cache clean --force
USER node
EXPOSE 4242
CMD ["node", "/unleash/node_modules/unleash-server/dist/server.js"]
DOCKERFILE
echo "unleash-image-stand-in: building $image from $base and npm's unleash-server@$version" >&2
"$engine" build -t "$image" "$context" >"$context/build.log" 2>&1 || { tail -n 40 "$context/build.log" >&2; exit 1; }
echo "$image"
