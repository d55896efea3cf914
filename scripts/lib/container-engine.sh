# shellcheck shell=bash
# Sourced by the image scripts: which container engine to drive. CONTAINER_ENGINE names
# one (docker or podman); otherwise docker when its daemon answers, else podman. The two
# take the same commands for everything these scripts do.

container_engine() {
  if [[ -n ${CONTAINER_ENGINE:-} ]]; then
    echo "$CONTAINER_ENGINE"
  elif command -v docker >/dev/null && docker info >/dev/null 2>&1; then
    echo docker
  elif command -v podman >/dev/null; then
    echo podman
  else
    echo "no container engine: install Docker, or podman (apt-get install podman runc uidmap)" >&2
    return 1
  fi
}
