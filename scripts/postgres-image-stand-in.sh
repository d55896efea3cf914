#!/usr/bin/env bash
# A STAND-IN for postgres:15, for machines that reach Debian's package repository but no
# container registry; anywhere the real image can be pulled, use it. Debian bookworm's own
# PostgreSQL 15 on the Debian root of scripts/node-image-stand-in.sh, started the way the real
# image starts: its entrypoint makes the cluster on first start from POSTGRES_USER,
# POSTGRES_PASSWORD and POSTGRES_DB in PGDATA (/var/lib/postgresql/data), takes `postgres
# -c name=value ...` as its command, runs the server as the user postgres and listens on
# 5432 with password authentication; pg_isready is on PATH for a health check.
# Prints the image name:
#   scripts/postgres-image-stand-in.sh    # localhost/toasties/postgres-stand-in:15-bookworm
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/stand-in-image.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/stand-in-image.sh"

if [[ $# -ne 0 ]]; then
  echo "usage: postgres-image-stand-in.sh   prints the stand-in image's name on stdout" >&2
  exit 2
fi
image=localhost/toasties/postgres-stand-in:15-bookworm

write_context() {
  cp "$(dirname "${BASH_SOURCE[0]}")/lib/postgres-stand-in-entrypoint.sh" "$1/docker-entrypoint.sh"
  cat >"$1/Dockerfile" <<DOCKERFILE
FROM $2
# No "main" cluster at install: the entrypoint makes the one cluster, in PGDATA.
RUN mkdir -p /etc/postgresql-common \\
 && echo 'create_main_cluster = false' >/etc/postgresql-common/createcluster.conf \\
 && apt-get update \\
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends -o Dpkg::Options::=--force-confold postgresql-15 \\
 && rm -rf /var/lib/apt/lists/* \\
 && mkdir -p /var/lib/postgresql/data && chown postgres:postgres /var/lib/postgresql/data && chmod 700 /var/lib/postgresql/data
COPY docker-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
ENV PGDATA=/var/lib/postgresql/data
EXPOSE 5432
STOPSIGNAL SIGINT
ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]
CMD ["postgres"]
DOCKERFILE
  chmod 755 "$1/docker-entrypoint.sh"
}
stand_in_image "$image" "Debian's postgresql-15 package" write_context
