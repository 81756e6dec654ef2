#!/bin/bash
# The redis stand-in's entrypoint, with the official image's contract on Debian's redis-server:
# flags alone (or a .conf file) run redis-server, which drops root to the redis user and keeps its
# files in the working directory /data. The official image builds Redis with protected mode off
# (a container is reached over its network, not loopback); Debian's build has it on, so the
# stand-in says so on the command line unless a configuration file is given.
set -euo pipefail

if [ "${1:0:1}" = '-' ] || [ "${1%.conf}" != "$1" ]; then
  set -- redis-server "$@"
fi

if [ "$1" = 'redis-server' ]; then
  if [ "${2:-}" = "${2%.conf}" ] && [[ " $* " != *' --protected-mode '* ]]; then
    set -- redis-server --protected-mode no "${@:2}"
  fi
  if [ "$(id -u)" = '0' ]; then
    find . \! -user redis -exec chown redis '{}' +
    exec setpriv --reuid=redis --regid=redis --init-groups "$@"
  fi
fi

exec "$@"
