# shellcheck shell=bash
# Sourced by scripts/image-test.sh: removes what earlier builds of the services' images left
# in the engine's store, keeping what the next build needs to be fast.
#   prune_service_images <engine> <build log>... -- <image>...
# <image>... are the toasties/<service>:<tag> just built: every other tag of those
# repositories goes (toasties/*-stand-in and other images are not touched). Then the
# dangling images (no tag, no child) go, except the steps the build logs name: podman keeps
# each build step as an untagged image, and a stage's last step (prune, build) is dangling
# although the next build starts from it. Docker's BuildKit keeps its cache apart from
# images, so there a plain prune of dangling images is enough.
# An image a container still uses is not removed (no --force): another run may be using it.
# Status 1 if the engine could not list its images; every step is checked, so a caller may
# run it under || (errexit is off there).

prune_service_images() {
  local engine=$1 logs=() keep=() repositories=() image ref refs id ids removed round steps tags=0 dangling=0
  shift
  while [[ $# -gt 0 && $1 != -- ]]; do logs+=("$1"); shift; done
  shift
  keep=("$@")
  for image in "${keep[@]}"; do repositories+=("${image%:*}"); done

  refs=$("$engine" images --format '{{.Repository}}:{{.Tag}}' "${repositories[@]/#/--filter=reference=}") || return 1
  for ref in $refs; do
    ref=${ref#localhost/}
    [[ " ${keep[*]} " == *" $ref "* ]] && continue
    if "$engine" rmi "$ref" >/dev/null 2>&1; then tags=$((tags + 1)); else echo "image-test: kept $ref (in use?)"; fi
  done

  if [[ $engine != podman ]]; then
    "$engine" image prune --force >/dev/null || return 1
    echo "image-test: removed $tags older tag(s) of ${repositories[*]}, and the dangling images"
    return 0
  fi
  # Each step's image, as podman build prints it: "--> <id, 11 or 64 hex digits>".
  steps=$(sed -n 's/^--> \(Using cache \)\{0,1\}\([0-9a-f]\{11\}\)[0-9a-f]*$/\2/p' "${logs[@]}" | sort -u)
  if [[ -z $steps ]]; then
    echo "image-test: no build steps in the build logs; dangling images kept"
    return 0
  fi
  # Removing a stage's last step can leave its parent dangling: again until nothing goes,
  # bounded by the longest stage there could be.
  for ((round = 0; round < 100; round++)); do
    removed=0
    ids=$("$engine" images --quiet --no-trunc --filter dangling=true) || return 1
    for id in $ids; do
      id=${id#sha256:}
      grep -qx "${id:0:11}" <<<"$steps" && continue
      if "$engine" rmi "$id" >/dev/null 2>&1; then removed=$((removed + 1)); fi
    done
    dangling=$((dangling + removed))
    ((removed > 0)) || break
  done
  echo "image-test: removed $tags older tag(s) of ${repositories[*]}, and $dangling dangling image(s) no build step of this run is"
}
