#!/bin/sh
# The nginx stand-in's entrypoint. The official image's entrypoint runs its helper scripts
# (IPv6 listener, templates) before `nginx`; the stand-in has none of them and runs the command.
set -eu
exec "$@"
