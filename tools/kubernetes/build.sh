#!/usr/bin/env bash
# Builds kube-apiserver, kube-controller-manager and etcd, at the versions pinned in
# tools/kubernetes/go.mod, into tools/.bin/ for the API server tests (test/cluster/,
# docs/api-server.md). Does nothing when the binaries there were built from this go.mod, go.sum
# and script. Needs only Go and the Go module proxy; the first build takes minutes.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bin="$(dirname "$here")/.bin"
binaries=(kube-apiserver kube-controller-manager etcd)
stamp="$bin/kubernetes.stamp"

# The stamp names what the binaries were built from: a changed pin or flag rebuilds them.
wanted="$(cd "$here" && cat go.mod go.sum build.sh | sha256sum | cut -d' ' -f1)"
up_to_date() {
  [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ] || return 1
  for name in "${binaries[@]}"; do [ -x "$bin/$name" ] || return 1; done
}
if up_to_date; then
  echo "tools/.bin: kube-apiserver, kube-controller-manager and etcd are up to date" >&2
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  echo "ERROR: Go is needed to build the API server tests' binaries (tools/kubernetes/go.mod names the version)" >&2
  exit 1
fi
cd "$here"
kube_version="$(go list -m -f '{{.Version}}' k8s.io/kubernetes)"
etcd_version="$(go list -m -f '{{.Version}}' go.etcd.io/etcd/server/v3)"
echo "building kube-apiserver and kube-controller-manager $kube_version, etcd $etcd_version into tools/.bin (minutes the first time)" >&2

# Without these the binaries call themselves v0.0.0-master, and the API server derives its
# emulated version and the version `kubectl version` shows from them.
major="${kube_version#v}"; major="${major%%.*}"
minor="${kube_version#v*.}"; minor="${minor%%.*}"
pkg=k8s.io/component-base/version
ldflags="-s -w -X $pkg.gitVersion=$kube_version -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"

# Built into a scratch folder and moved in place, so a stopped build never leaves a half binary.
mkdir -p "$bin"
scratch="$(mktemp -d "$bin/.build.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT
export CGO_ENABLED=0
started=$SECONDS
# -buildvcs=false: the binaries do not depend on this repository's commit or its ownership.
go build -trimpath -buildvcs=false -ldflags "$ldflags" -o "$scratch/" \
  k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager
go build -trimpath -buildvcs=false -ldflags '-s -w' -o "$scratch/etcd" go.etcd.io/etcd/server/v3
for name in "${binaries[@]}"; do mv -f "$scratch/$name" "$bin/$name"; done
echo "$wanted" > "$stamp"
echo "built in $((SECONDS - started)) s: $("$bin/kube-apiserver" --version), etcd $("$bin/etcd" --version | sed -n 's/^etcd Version: //p')" >&2
