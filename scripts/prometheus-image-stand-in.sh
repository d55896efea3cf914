#!/usr/bin/env bash
# A STAND-IN for prom/prometheus, for machines that reach Debian's package repository but no
# container registry; anywhere the real image can be pulled, use it. Debian's own Prometheus
# package (bookworm: 2.42, where the compose file names 3.x) on the Debian root of
# scripts/node-image-stand-in.sh, started the way the real image starts: /bin/prometheus
# reading /etc/prometheus/prometheus.yml, data in /prometheus, as the user nobody.
# Prints the image name:
#   scripts/prometheus-image-stand-in.sh    # localhost/toasties/prometheus-stand-in:bookworm
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/stand-in-image.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/stand-in-image.sh"

if [[ $# -ne 0 ]]; then
  echo "usage: prometheus-image-stand-in.sh   prints the stand-in image's name on stdout" >&2
  exit 2
fi
image=localhost/toasties/prometheus-stand-in:bookworm

write_context() {
  cat >"$1/Dockerfile" <<DOCKERFILE
FROM $2
RUN apt-get update \\
 && apt-get install -y --no-install-recommends prometheus \\
 && rm -rf /var/lib/apt/lists/* \\
 && mkdir /prometheus && chown nobody:nogroup /prometheus
USER nobody
WORKDIR /prometheus
EXPOSE 9090
ENTRYPOINT ["/bin/prometheus"]
CMD ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"]
DOCKERFILE
}
stand_in_image "$image" "Debian's prometheus package" write_context
