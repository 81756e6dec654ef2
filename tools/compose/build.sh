#!/usr/bin/env bash
# Builds the Docker Compose v2 CLI pinned in tools/compose/go.mod into tools/.bin/docker-compose-v2,
# from the sources the Go module proxy serves (nothing of compose is kept in this repository).
# Does nothing when that binary already reports the pinned version. Needs Go >= 1.26.8 (go.mod).
#
#   tools/compose/build.sh           build if needed
#   tools/compose/build.sh --force   build even if the pinned version is there
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
bin_dir="$(dirname "$here")/.bin"
binary="$bin_dir/docker-compose-v2"
module=github.com/docker/compose/v5

# The version go.mod pins (its require line), e.g. v5.6.0; `version --short` prints 5.6.0.
version="$(awk -v m="$module" '$1 == m { print $2 }' "$here/go.mod")"
if [ -z "$version" ]; then
  echo "tools/compose/build.sh: $here/go.mod does not require $module" >&2
  exit 1
fi

if [ "${1:-}" != "--force" ] && [ -x "$binary" ] && [ "$("$binary" version --short 2>/dev/null)" = "${version#v}" ]; then
  echo "docker compose ${version} is built: $binary"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  echo "tools/compose/build.sh: Go is not installed; it builds docker compose $version (go.mod needs Go >= 1.26.8)" >&2
  exit 1
fi

echo "building docker compose $version with $(go version | cut -d' ' -f3) into $binary" >&2
started=$SECONDS
mkdir -p "$bin_dir"
# As compose's own release build does (its Dockerfile and Makefile): no cgo, trimmed paths, the
# version stamped in. -s -w drop the symbol and debug tables, a third of the size and link time.
# Built to a temporary name and moved, so an interrupted build never leaves a binary that looks done.
(
  cd "$here"
  CGO_ENABLED=0 go build -mod=readonly -trimpath \
    -ldflags "-s -w -X $module/internal.Version=$version" \
    -o "$binary.partial" "$module/cmd"
)
mv -f "$binary.partial" "$binary"
echo "built $("$binary" version) in $((SECONDS - started)) s: $binary" >&2
