#!/bin/bash
# Stand-in for the OpenSearch image's opensearch-docker-entrypoint.sh: `opensearch [-E...]` runs
# the node (standins/opensearch/opensearch); any other command runs as given.
set -e
if [ "${1:-opensearch}" = opensearch ]; then
  [ $# -gt 0 ] && shift
  exec opensearch "$@"
fi
exec "$@"
