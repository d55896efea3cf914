#!/bin/bash
# The entrypoint of scripts/postgres-image-stand-in.sh's image, doing what postgres:15's does
# for the variables docker/compose.yml sets: on first start (an empty PGDATA), a cluster whose
# superuser is POSTGRES_USER with POSTGRES_PASSWORD, and the database POSTGRES_DB (by default
# the user's name); then the server, as the user postgres, listening on every address.
# The command is `postgres [-c name=value ...]`, as for the real image.
set -euo pipefail
bin=/usr/lib/postgresql/15/bin
data=${PGDATA:-/var/lib/postgresql/data}
user=${POSTGRES_USER:-postgres}
database=${POSTGRES_DB:-$user}
if [[ ${1:-} != postgres ]]; then
  exec "$@"
fi
shift

# Started as root (as the real image is): the data and socket directories made the server's,
# then every program run as postgres, which the server insists on.
as_postgres=()
if [[ $(id -u) -eq 0 ]]; then
  mkdir -p "$data" /var/run/postgresql
  chown postgres:postgres "$data" /var/run/postgresql
  chmod 700 "$data"
  as_postgres=(setpriv --reuid=postgres --regid=postgres --init-groups --)
fi

if [[ ! -s $data/PG_VERSION ]]; then
  if [[ -z ${POSTGRES_PASSWORD:-} ]]; then
    echo "postgres-stand-in: POSTGRES_PASSWORD is not set" >&2
    exit 1
  fi
  password_file=$(mktemp)
  printf '%s\n' "$POSTGRES_PASSWORD" >"$password_file"
  if [[ $(id -u) -eq 0 ]]; then
    chown postgres:postgres "$password_file"
  fi
  "${as_postgres[@]}" "$bin/initdb" -D "$data" -U "$user" --pwfile="$password_file" --auth-local=trust --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8
  rm -f "$password_file"
  echo 'host all all all scram-sha-256' >>"$data/pg_hba.conf"
  if [[ $database != postgres ]]; then
    echo "CREATE DATABASE \"$database\" OWNER \"$user\"" | "${as_postgres[@]}" "$bin/postgres" --single -D "$data" postgres >/dev/null
  fi
fi
exec "${as_postgres[@]}" "$bin/postgres" -D "$data" -c listen_addresses='*' "$@"
