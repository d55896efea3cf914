# shellcheck shell=bash
# Sourced by the *-image-stand-in.sh scripts: a stand-in image is built once, FROM the Debian
# root of node-image-stand-in.sh, and found in the engine's store after that.
#   stand_in_image <image> <what it adds, for the log line> <function>
# The function is given the build context's directory and the base image, and writes the
# context (a Dockerfile, files it copies). Prints the image's name on stdout.
# shellcheck source-path=SCRIPTDIR source=container-engine.sh
source "$(dirname "${BASH_SOURCE[0]}")/container-engine.sh"

stand_in_context=
stand_in_image() {
  local image=$1 adds=$2 write_context=$3 engine base
  engine=$(container_engine)
  if "$engine" image inspect "$image" >/dev/null 2>&1; then
    echo "$image"
    return 0
  fi
  base=$("$(dirname "${BASH_SOURCE[0]}")/../node-image-stand-in.sh")
  stand_in_context=$(mktemp -d)
  trap 'rm -rf "$stand_in_context"' EXIT
  "$write_context" "$stand_in_context" "$base"
  echo "$(basename "$0" .sh): building $image from $base and $adds" >&2
  if ! "$engine" build -t "$image" "$stand_in_context" >"$stand_in_context/build.log" 2>&1; then
    tail -n 40 "$stand_in_context/build.log" >&2
    return 1
  fi
  echo "$image"
}
