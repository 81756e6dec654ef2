#!/usr/bin/env bash
# Builds the Kubernetes linters that test/linters/ runs over every example's manifests
# (docs/linters.md) into tools/.bin/, from the versions go.mod beside this script pins.
# Idempotent: a second run only re-links from Go's build cache (about a second).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bin="$(cd "$here/.." && pwd)/.bin"
cd "$here"

if ! command -v go >/dev/null 2>&1; then
  echo "ERROR: go not found on PATH; the linters are built from the Go module proxy (Go >= 1.24)" >&2
  exit 1
fi
mkdir -p "$bin"

# kube-score prints this with `kube-score version`; goreleaser would set it for a release build.
score_version="$(go list -m -f '{{.Version}}' github.com/zegl/kube-score)"
go build -trimpath -ldflags="-s -w -X main.version=${score_version}" \
  -o "$bin/kube-score" github.com/zegl/kube-score/cmd/kube-score
"$bin/kube-score" version
