#!/bin/bash
# The mongo stand-in's entrypoint, with the part of the official image's contract the stacks use:
# flags alone run mongod; on a data folder without a WiredTiger file, MONGO_INITDB_ROOT_USERNAME
# and MONGO_INITDB_ROOT_PASSWORD create that user (role root, database admin) before mongod
# starts; whenever both are set, mongod runs with --auth, as in the official image.
set -euo pipefail

if [ "${1:0:1}" = '-' ]; then
  set -- mongod "$@"
fi

if [ "$1" = 'mongod' ]; then
  dbpath=/data/db
  for ((i = 2; i <= $#; i++)); do
    if [ "${!i}" = '--dbpath' ]; then j=$((i + 1)); dbpath="${!j}"; fi
  done
  if [ -n "${MONGO_INITDB_ROOT_USERNAME:-}" ] && [ -n "${MONGO_INITDB_ROOT_PASSWORD:-}" ]; then
    if [ ! -e "$dbpath/WiredTiger" ]; then
      mongod --dbpath "$dbpath" --standin-create-root-user "$MONGO_INITDB_ROOT_USERNAME" "$MONGO_INITDB_ROOT_PASSWORD"
    fi
    if [[ " $* " != *' --auth '* ]]; then set -- "$@" --auth; fi
  elif [ -n "${MONGO_INITDB_ROOT_USERNAME:-}${MONGO_INITDB_ROOT_PASSWORD:-}" ]; then
    echo 'error: MONGO_INITDB_ROOT_USERNAME and MONGO_INITDB_ROOT_PASSWORD are set together or not at all' >&2
    exit 1
  fi
fi

exec "$@"
