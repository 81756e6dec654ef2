#!/bin/bash
# The postgres stand-in's entrypoint. It keeps the contract the official image documents, on
# Debian's own PostgreSQL: POSTGRES_PASSWORD (required), POSTGRES_USER (default postgres),
# POSTGRES_DB (default the user), POSTGRES_INITDB_ARGS, POSTGRES_HOST_AUTH_METHOD, PGDATA, the
# scripts in /docker-entrypoint-initdb.d on the first start of an empty data directory
# (*.sh run when executable and sourced when not, *.sql and *.sql.gz fed to psql), dropping root
# to the postgres user, and any other command run as it is.
set -Eeo pipefail

if [ "${1:0:1}" = '-' ]; then
  set -- postgres "$@"
fi
if [ "$1" != 'postgres' ]; then
  exec "$@"
fi

export PGDATA="${PGDATA:-/var/lib/postgresql/data}"

if [ "$(id -u)" = '0' ]; then
  mkdir -p "$PGDATA" /var/run/postgresql
  chown postgres:postgres "$PGDATA" /var/run/postgresql
  chmod 700 "$PGDATA"
  chmod 3777 /var/run/postgresql
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$BASH_SOURCE" "$@"
fi

mkdir -p "$PGDATA"
chmod 700 "$PGDATA" 2>/dev/null || :

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  auth_method="${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}"
  if [ -z "${POSTGRES_PASSWORD:-}" ] && [ "$auth_method" != 'trust' ]; then
    echo 'Error: the database is uninitialized and the superuser password is not specified.' >&2
    echo '       Set POSTGRES_PASSWORD (or POSTGRES_HOST_AUTH_METHOD=trust).' >&2
    exit 1
  fi
  user="${POSTGRES_USER:-postgres}"
  database="${POSTGRES_DB:-$user}"

  # initdb reads the password from a file so that it never shows in a process list.
  password_file="$(mktemp)"
  printf '%s\n' "${POSTGRES_PASSWORD:-}" > "$password_file"
  # shellcheck disable=SC2086
  initdb --username="$user" --pwfile="$password_file" ${POSTGRES_INITDB_ARGS:-}
  rm -f "$password_file"
  echo "listen_addresses = '*'" >> "$PGDATA/postgresql.conf"

  # The initialization server listens on a private socket only: nothing outside this script,
  # a health check included, can reach a database that is still being set up.
  init_socket="$(mktemp -d)"
  pg_ctl -D "$PGDATA" -w -o "-c listen_addresses='' -c unix_socket_directories=$init_socket" start
  export PGHOST="$init_socket" PGUSER="$user" PGPASSWORD="${POSTGRES_PASSWORD:-}"
  if [ "$database" != 'postgres' ]; then
    psql -v ON_ERROR_STOP=1 --no-psqlrc --dbname postgres --set db="$database" \
      <<<'CREATE DATABASE :"db";'
  fi
  for f in /docker-entrypoint-initdb.d/*; do
    [ -e "$f" ] || continue
    case "$f" in
      *.sh)
        if [ -x "$f" ]; then
          echo "$0: running $f"
          "$f"
        else
          echo "$0: sourcing $f"
          # shellcheck disable=SC1090
          . "$f"
        fi
        ;;
      *.sql) echo "$0: running $f"; psql -v ON_ERROR_STOP=1 --no-psqlrc --dbname "$database" -f "$f" ;;
      *.sql.gz) echo "$0: running $f"; gunzip -c "$f" | psql -v ON_ERROR_STOP=1 --no-psqlrc --dbname "$database" ;;
      *) echo "$0: ignoring $f" ;;
    esac
  done
  pg_ctl -D "$PGDATA" -m fast -w stop
  rmdir "$init_socket"
  unset PGHOST PGUSER PGPASSWORD
  echo "host all all all $auth_method" >> "$PGDATA/pg_hba.conf"
  echo 'PostgreSQL init process complete; ready for start up.'
fi

exec "$@"
