#!/usr/bin/env bash
# The node step (issue 19, item 4; docs/api-server.md, "The node step"): how far a real node gets
# on this machine. Builds kubelet, kube-proxy and kube-scheduler from the wrapper module in this
# folder (the Kubernetes version pinned in go.mod) and a minimal CoreDNS from coredns/; starts
# etcd, kube-apiserver and kube-controller-manager on loopback as test/cluster/harness/cluster.ts
# does, Debian's containerd (its own root, state and socket) with runc and a bridge CNI network of
# its own, imports a BusyBox stand-in image into containerd, starts CoreDNS and a kubelet
# registered to the API server, and then checks, in order: a pod runs (logs, exec); Service names
# resolve; a ClusterIP answers without and with kube-proxy (nftables mode); the scheduler runs a
# Job to completion and a Deployment whose init container waits for a late Service. It prints
# what worked and the first error that stopped it, and removes everything it started or created.
#
# Test infrastructure only: neither .ci/run nor npm test runs it. It needs root, Go, the Go
# module proxy (the first build takes minutes), and Debian's containerd, runc,
# containernetworking-plugins, nftables, busybox-static, openssl and kubectl.
#
#   bash tools/kubernetes/node-probe.sh               # build if needed, probe, clean up (as root)
#   NODE_PROBE_KEEP_LOGS=/some/dir bash ...           # copy every log there before cleaning up
#   NODE_PROBE_HOLD=600 bash ...                      # keep it all running 600 s before cleaning up
#   NODE_PROBE_RESTRICT_OOM_SCORE_ADJ=false bash ...  # without the workaround for obstacle 1
#   NODE_PROBE_FAIL_CGROUP_V1=true bash ...           # without the workaround for obstacle 2
#   NODE_PROBE_RUNC=/path/to/runc-wrapper bash ...    # another runc binary (e.g. one adding --debug)
#
# It touches nothing another process uses: no system containerd or Docker, no iptables rules, no
# global forwarding (forwarding on its own bridge only; kube-proxy's rules in its own nftables
# tables). The kernel settings the kubelet changes (vm.overcommit_memory, kernel.panic,
# kernel.panic_on_oops) are put back.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bin="${KUBE_BIN_DIR:-$(dirname "$here")/.bin}"

# The node's network: a bridge of its own, its address is the node's, pods get the rest.
BRIDGE=cdkcnode0
NODE_IP=10.244.77.1
POD_SUBNET=10.244.77.0/24
SERVICE_RANGE=10.96.0.0/16
NODE_NAME=probe-node
PAUSE_IMAGE=cdk-compose.local/pause:probe
BUSYBOX_IMAGE=busybox:1.36
SYSCTLS=(vm.overcommit_memory kernel.panic kernel.panic_on_oops net.ipv4.ip_forward net.ipv4.conf.all.route_localnet
  net.netfilter.nf_conntrack_max net.netfilter.nf_conntrack_tcp_be_liberal
  net.netfilter.nf_conntrack_tcp_timeout_established net.netfilter.nf_conntrack_tcp_timeout_close_wait)

say() { echo "[node-probe] $*" >&2; }
die() { say "STOPPED: $*"; exit 1; }

[ "$(id -u)" = 0 ] || die "needs root (containerd, runc, network namespaces, cgroups)"
for tool in go containerd runc ctr openssl kubectl busybox python3 ip nft; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool is missing (apt-get install containerd runc busybox-static openssl nftables ...)"
done
[ -x /usr/lib/cni/bridge ] && [ -x /usr/lib/cni/host-local ] && [ -x /usr/lib/cni/loopback ] \
  || die "the CNI plugins are missing: apt-get install containernetworking-plugins"
file -L "$(command -v busybox)" 2>/dev/null | grep -q 'statically linked' || die "busybox is not the static one: apt-get install busybox-static"
kubepods_existed="$(ls -d /sys/fs/cgroup/*/kubepods 2>/dev/null)"
[ -z "$kubepods_existed" ] || die "kubepods cgroups exist already ($kubepods_existed): another kubelet runs here, or one left them"
ip link show "$BRIDGE" >/dev/null 2>&1 && die "a $BRIDGE interface already exists: another probe is running, or one left it behind"

# --- kubelet, kube-proxy and kube-scheduler, from the wrapper module ---------------------------------------------
# Stamped by go.mod and go.sum, as build.sh stamps the other binaries.
build_node_binary() { # NAME: a command of k8s.io/kubernetes/cmd
  local name="$1" stamp="$bin/$1.stamp" wanted
  wanted="$(cd "$here" && cat go.mod go.sum | sha256sum | cut -d' ' -f1)"
  if [ -x "$bin/$name" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then return 0; fi
  local version major minor pkg=k8s.io/component-base/version scratch
  version="$(cd "$here" && go list -m -f '{{.Version}}' k8s.io/kubernetes)" || return 1
  major="${version#v}"; major="${major%%.*}"; minor="${version#v*.}"; minor="${minor%%.*}"
  say "building $name $version into $bin (minutes the first time)"
  mkdir -p "$bin"
  scratch="$(mktemp -d "$bin/.build.XXXXXX")"
  (cd "$here" && CGO_ENABLED=0 nice -n 10 go build -trimpath -buildvcs=false \
    -ldflags "-s -w -X $pkg.gitVersion=$version -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean" \
    -o "$scratch/$name" "k8s.io/kubernetes/cmd/$name") || { rm -rf "$scratch"; return 1; }
  mv -f "$scratch/$name" "$bin/$name" && rm -rf "$scratch" && echo "$wanted" > "$stamp"
}
build_node_binary kubelet || die "the kubelet build failed"
build_node_binary kube-proxy || die "the kube-proxy build failed"
build_node_binary kube-scheduler || die "the kube-scheduler build failed"

# --- CoreDNS, from its own wrapper module (coredns/) -----------------------------------------------
build_coredns() {
  local stamp="$bin/coredns.stamp" wanted scratch
  wanted="$(cd "$here/coredns" && cat go.mod go.sum main.go | sha256sum | cut -d' ' -f1)"
  if [ -x "$bin/coredns" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then return 0; fi
  say "building CoreDNS $(cd "$here/coredns" && go list -m -f '{{.Version}}' github.com/coredns/coredns) into $bin"
  scratch="$(mktemp -d "$bin/.build.XXXXXX")"
  (cd "$here/coredns" && CGO_ENABLED=0 nice -n 10 go build -trimpath -buildvcs=false -ldflags '-s -w' -o "$scratch/coredns" .) \
    || { rm -rf "$scratch"; return 1; }
  mv -f "$scratch/coredns" "$bin/coredns" && rm -rf "$scratch" && echo "$wanted" > "$stamp"
}
build_coredns || die "the CoreDNS build failed"
# etcd, kube-apiserver and kube-controller-manager as the API server tests use them.
for name in etcd kube-apiserver kube-controller-manager; do
  [ -x "$bin/$name" ] || { bash "$here/build.sh" || die "tools/kubernetes/build.sh failed"; break; }
done

root="$(mktemp -d /tmp/cdkc-node-XXXXXX)"
chmod 755 "$root"
pids=()
netns_before="$(ls /run/netns 2>/dev/null | sort)"
cni_cache_existed="$([ -d /var/lib/cni ] && echo yes)"
declare -A sysctl_before
for key in "${SYSCTLS[@]}"; do sysctl_before[$key]="$(sysctl -n "$key")"; done
iptables_before="$(iptables-save 2>/dev/null | grep -E '^[:*-]' | sed 's/\[[0-9:]*\]//' | sort)"

k() { KUBECONFIG="$root/admin.kubeconfig" HOME="$root" kubectl "$@"; }

cleanup() {
  set +e
  if [ -n "${NODE_PROBE_HOLD:-}" ]; then say "holding for $NODE_PROBE_HOLD s: KUBECONFIG=$root/admin.kubeconfig, containerd at $root/containerd/containerd.sock"; sleep "$NODE_PROBE_HOLD"; fi
  say "cleaning up"
  if [ -n "${NODE_PROBE_KEEP_LOGS:-}" ]; then mkdir -p "$NODE_PROBE_KEEP_LOGS" && cp "$root"/*.log "$NODE_PROBE_KEEP_LOGS"/ 2>/dev/null; fi
  # Pods first, while the kubelet runs: it stops their containers and tears down their networks.
  if [ -f "$root/admin.kubeconfig" ] && kill -0 "${kubelet_pid:-0}" 2>/dev/null; then
    timeout 60 env KUBECONFIG="$root/admin.kubeconfig" HOME="$root" kubectl delete pods --all --all-namespaces --grace-period=1 --wait=true >/dev/null 2>&1
  fi
  # Whatever the kubelet left: every task in containerd's k8s.io namespace.
  if [ -S "$root/containerd/containerd.sock" ]; then
    local c
    for c in $(ctr -a "$root/containerd/containerd.sock" -n k8s.io tasks ls -q 2>/dev/null); do
      ctr -a "$root/containerd/containerd.sock" -n k8s.io tasks kill -s SIGKILL "$c" >/dev/null 2>&1
    done
  fi
  local index pid
  for ((index = ${#pids[@]} - 1; index >= 0; index--)); do
    pid="${pids[$index]}"
    kill -TERM "$pid" 2>/dev/null || continue
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -KILL "$pid" 2>/dev/null
  done
  # containerd's shims outlive it; they are the processes whose command line names its socket.
  for pid in $(pgrep -f -- "-address $root/containerd/containerd.sock" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null; done
  # Network namespaces the CRI made and did not remove (a kept pod), then mounts below the folder.
  local ns
  for ns in $(comm -13 <(echo "$netns_before") <(ls /run/netns 2>/dev/null | sort)); do
    case "$ns" in cni-*) umount "/run/netns/$ns" 2>/dev/null; rm -f "/run/netns/$ns" ;; esac
  done
  local mount
  for mount in $(findmnt -rn -o TARGET | grep -F "$root/" | sort -r); do umount -l "$mount" 2>/dev/null; done
  ip link delete "$BRIDGE" 2>/dev/null
  # kube-proxy's nftables tables: its own, nothing else is in them.
  nft delete table ip kube-proxy 2>/dev/null; nft delete table ip6 kube-proxy 2>/dev/null
  # The kubelet's cgroups (/kubepods in every hierarchy), empty once its pods are gone.
  local group
  for group in /sys/fs/cgroup/*/kubepods; do [ -d "$group" ] && find "$group" -depth -type d -exec rmdir {} \; 2>/dev/null; done
  # containerd's CNI library caches results in /var/lib/cni (no setting moves it in containerd 1.6).
  rm -f /var/lib/cni/results/cdkc-node-probe-* 2>/dev/null
  [ -n "$cni_cache_existed" ] || rm -rf /var/lib/cni
  for key in "${SYSCTLS[@]}"; do
    [ "$(sysctl -n "$key")" = "${sysctl_before[$key]}" ] || { say "restoring $key=${sysctl_before[$key]} (was $(sysctl -n "$key"))"; sysctl -qw "$key=${sysctl_before[$key]}"; }
  done
  # The kubelet's canary chains (KUBE-KUBELET-CANARY), if it made any: nothing else of ours is there.
  local table
  for table in mangle nat filter; do
    iptables -t "$table" -L KUBE-KUBELET-CANARY -n >/dev/null 2>&1 && { iptables -t "$table" -F KUBE-KUBELET-CANARY; iptables -t "$table" -X KUBE-KUBELET-CANARY; }
    ip6tables -t "$table" -L KUBE-KUBELET-CANARY -n >/dev/null 2>&1 && { ip6tables -t "$table" -F KUBE-KUBELET-CANARY; ip6tables -t "$table" -X KUBE-KUBELET-CANARY; }
  done
  local iptables_after
  iptables_after="$(iptables-save 2>/dev/null | grep -E '^[:*-]' | sed 's/\[[0-9:]*\]//' | sort)"
  [ "$iptables_before" = "$iptables_after" ] || say "iptables differ from before the probe:
$(diff <(echo "$iptables_before") <(echo "$iptables_after"))"
  rm -rf "$root"
  local left
  left="$(pgrep -f -- "$root" 2>/dev/null; findmnt -rn -o TARGET | grep -F "$root"; ip -br link show "$BRIDGE" 2>/dev/null; ls -d /sys/fs/cgroup/*/kubepods 2>/dev/null)"
  [ -z "$left" ] && say "cleaned up" || say "LEFT BEHIND: $left"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# launch NAME COMMAND...: in the background, output to $root/NAME.log
launch() {
  local name="$1"; shift
  "$@" >"$root/$name.log" 2>&1 &
  pids+=("$!")
  eval "${name//-/_}_pid=$!"
}

# wait_for WHAT SECONDS COMMAND...: polls the command; fails with the logs when it never succeeds
wait_for() {
  local what="$1" seconds="$2"; shift 2
  local deadline=$((SECONDS + seconds)) pid
  until "$@" >/dev/null 2>&1; do
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null || { say "a process exited while waiting for $what"; show_logs; return 1; }; done
    [ $SECONDS -lt $deadline ] || { say "timed out after $seconds s waiting for $what"; show_logs; return 1; }
    sleep 1
  done
}
show_logs() {
  local log
  for log in "$root"/*.log; do echo "--- $(basename "$log")" >&2; tail -n 15 "$log" >&2; done
}

# --- certificates (as test/cluster/harness/certificates.ts, plus the kubelet's) -------------------
pki="$root/pki"; mkdir -p "$pki"
ossl() { (cd "$pki" && openssl "$@" >/dev/null 2>&1) || die "openssl $1 failed"; }
ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ca.key
ossl req -x509 -new -key ca.key -subj /CN=cdk-compose-node-probe-ca -days 2 -sha256 \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign -out ca.crt
issue() { # NAME SUBJECT EXTENDED-KEY-USAGE [SUBJECT-ALT-NAMES]
  ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key"
  ossl req -new -key "$1.key" -subj "$2" -out "$1.csr"
  printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=%s\n%s' \
    "$3" "${4:+subjectAltName=$4}" > "$pki/$1.ext"
  ossl x509 -req -in "$1.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -sha256 -extfile "$1.ext" -out "$1.crt"
}
issue apiserver /CN=kube-apiserver serverAuth IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc
issue admin /O=system:masters/CN=cdk-compose-test-admin clientAuth
# The API server's client certificate towards the kubelet (logs, exec): an admin's, for brevity.
issue apiserver-kubelet-client /O=system:masters/CN=kube-apiserver-kubelet-client clientAuth
# The kubelet's identity as the Node authorizer wants it, and its serving certificate.
issue kubelet "/O=system:nodes/CN=system:node:$NODE_NAME" clientAuth
issue kubelet-serving "/CN=$NODE_NAME" serverAuth "IP:$NODE_IP,DNS:$NODE_NAME"
ossl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out sa.key
ossl pkey -in sa.key -pubout -out sa.pub

kubeconfig() { # FILE USER
  cat > "$1" <<EOF
apiVersion: v1
kind: Config
clusters: [{name: test, cluster: {server: "https://127.0.0.1:$api_port", certificate-authority: "$pki/ca.crt"}}]
users: [{name: $2, user: {client-certificate: "$pki/$2.crt", client-key: "$pki/$2.key"}}]
contexts: [{name: test, context: {cluster: test, user: $2}}]
current-context: test
EOF
  chmod 600 "$1"
}

# --- etcd, kube-apiserver, kube-controller-manager, as the harness starts them ----------------
etcd_port="$(free_port)"; etcd_peer_port="$(free_port)"; api_port="$(free_port)"
kubeconfig "$root/admin.kubeconfig" admin
kubeconfig "$root/kubelet.kubeconfig" kubelet
launch etcd "$bin/etcd" --name=test --data-dir="$root/etcd" \
  --listen-client-urls="http://127.0.0.1:$etcd_port" --advertise-client-urls="http://127.0.0.1:$etcd_port" \
  --listen-peer-urls="http://127.0.0.1:$etcd_peer_port" --initial-advertise-peer-urls="http://127.0.0.1:$etcd_peer_port" \
  --initial-cluster="test=http://127.0.0.1:$etcd_peer_port" --unsafe-no-fsync=true --log-level=warn
wait_for etcd 120 curl -sf "http://127.0.0.1:$etcd_port/health" || exit 1
launch kube-apiserver "$bin/kube-apiserver" --etcd-servers="http://127.0.0.1:$etcd_port" \
  --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port="$api_port" --cert-dir="$root/apiserver" \
  --tls-cert-file="$pki/apiserver.crt" --tls-private-key-file="$pki/apiserver.key" --client-ca-file="$pki/ca.crt" \
  --anonymous-auth=false --authorization-mode=Node,RBAC --enable-admission-plugins=NodeRestriction \
  --service-account-issuer=https://kubernetes.default.svc.cluster.local \
  --service-account-key-file="$pki/sa.pub" --service-account-signing-key-file="$pki/sa.key" \
  --service-cluster-ip-range="$SERVICE_RANGE" --endpoint-reconciler-type=none --allow-privileged=true --profiling=false \
  --kubelet-client-certificate="$pki/apiserver-kubelet-client.crt" --kubelet-client-key="$pki/apiserver-kubelet-client.key" \
  --kubelet-certificate-authority="$pki/ca.crt" --kubelet-preferred-address-types=InternalIP
wait_for "kube-apiserver /readyz" 180 curl -sf --cacert "$pki/ca.crt" --cert "$pki/admin.crt" --key "$pki/admin.key" \
  "https://127.0.0.1:$api_port/readyz" || exit 1
launch kube-controller-manager "$bin/kube-controller-manager" --kubeconfig="$root/admin.kubeconfig" --secure-port=0 \
  --cert-dir="$root/controller-manager" --leader-elect=false --service-account-private-key-file="$pki/sa.key" \
  --root-ca-file="$pki/ca.crt" --profiling=false
wait_for "ServiceAccount default/default" 180 k -n default get serviceaccount default || exit 1
say "API server $(k version -o json | python3 -c 'import json,sys; print(json.load(sys.stdin)["serverVersion"]["gitVersion"])') ready on 127.0.0.1:$api_port"

# --- the node's network: a bridge with the node's address, no forwarding, no NAT ---------------
ip link add "$BRIDGE" type bridge || die "cannot create the bridge $BRIDGE"
ip addr add "$NODE_IP/24" dev "$BRIDGE" && ip link set "$BRIDGE" up || die "cannot configure the bridge $BRIDGE"
mkdir -p "$root/cni/net.d" "$root/cni/ipam"
cat > "$root/cni/net.d/10-probe.conflist" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "cdkc-node-probe",
  "plugins": [{
    "type": "bridge", "bridge": "$BRIDGE", "isGateway": false, "ipMasq": false, "hairpinMode": true,
    "ipam": {
      "type": "host-local", "dataDir": "$root/cni/ipam",
      "ranges": [[{"subnet": "$POD_SUBNET", "rangeStart": "10.244.77.10", "gateway": "$NODE_IP"}]],
      "routes": [{"dst": "0.0.0.0/0", "gw": "$NODE_IP"}]
    }
  }]
}
EOF

# --- containerd, of its own -------------------------------------------------------------------
mkdir -p "$root/containerd"
cat > "$root/containerd/config.toml" <<EOF
version = 2
root = "$root/containerd/root"
state = "$root/containerd/state"
plugin_dir = ""
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.zfs"]
[grpc]
  address = "$root/containerd/containerd.sock"
[ttrpc]
  address = "$root/containerd/containerd.sock.ttrpc"
[debug]
  address = ""
[metrics]
  address = ""
[plugins."io.containerd.internal.v1.opt"]
  path = "$root/containerd/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$PAUSE_IMAGE"
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  enable_selinux = false
  # The CRI gives a pod's sandbox oom_score_adj -998 (and a Guaranteed pod's containers -997);
  # lowering it needs CAP_SYS_RESOURCE, which this machine's processes do not have (docs/api-server.md).
  # true: no container gets less than containerd's own, 0 here.
  restrict_oom_score_adj = ${NODE_PROBE_RESTRICT_OOM_SCORE_ADJ:-true}
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "${NODE_PROBE_SNAPSHOTTER:-overlayfs}"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
        Root = "$root/containerd/runc"
        BinaryName = "${NODE_PROBE_RUNC:-runc}"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$root/cni/net.d"
EOF
launch containerd containerd --config "$root/containerd/config.toml" --log-level info
wait_for containerd 60 ctr -a "$root/containerd/containerd.sock" version || exit 1
say "containerd $(containerd --version | awk '{print $3}'), runc $(runc --version | awk 'NR==1{print $3}'), CNI plugins $(dpkg-query -W -f '${Version}' containernetworking-plugins 2>/dev/null)"

# --- stand-in images: BusyBox, as test/e2e/harness/rootfs.ts builds it; a pause image on it -----
rootfs="$root/images/rootfs"; archive="$root/images/archive"
mkdir -p "$rootfs/bin" "$rootfs/tmp" "$rootfs/root" "$rootfs/etc" "$archive/busybox"
cp "$(command -v busybox)" "$rootfs/bin/busybox" && chmod 755 "$rootfs/bin/busybox"
chroot "$rootfs" /bin/busybox --install -s /bin
chmod 1777 "$rootfs/tmp"; chmod 700 "$rootfs/root"
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$rootfs/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$rootfs/etc/group"
tar --numeric-owner -C "$rootfs" -cf "$archive/busybox/layer.tar" .
diff_id="sha256:$(sha256sum "$archive/busybox/layer.tar" | cut -d' ' -f1)"
image_config() { # FILE CONFIG-JSON
  printf '{"architecture":"amd64","os":"linux","created":"2026-01-01T00:00:00Z","config":%s,"rootfs":{"type":"layers","diff_ids":["%s"]},"history":[{"created":"2026-01-01T00:00:00Z","created_by":"cdk-compose node probe stand-in"}]}' \
    "$2" "$diff_id" > "$archive/$1"
}
# The pause container only holds the pod's namespaces: BusyBox's sleep, as PID 1, does that.
image_config pause.json '{"Env":["PATH=/bin"],"Entrypoint":["/bin/sleep","2147483647"]}'
image_config busybox.json '{"Env":["PATH=/bin"],"Cmd":["sh"]}'
printf '[{"Config":"pause.json","RepoTags":["%s"],"Layers":["busybox/layer.tar"]},{"Config":"busybox.json","RepoTags":["%s"],"Layers":["busybox/layer.tar"]}]' \
  "$PAUSE_IMAGE" "$BUSYBOX_IMAGE" > "$archive/manifest.json"
tar -C "$archive" -cf "$root/images/images.tar" .
ctr -a "$root/containerd/containerd.sock" -n k8s.io images import --no-unpack=false "$root/images/images.tar" >"$root/import.log" 2>&1 \
  || { cat "$root/import.log" >&2; die "ctr images import failed"; }
rm -rf "$rootfs" "$archive"
say "images in containerd: $(ctr -a "$root/containerd/containerd.sock" -n k8s.io images ls -q | grep -v '^sha256:' | tr '\n' ' ')"

# --- CoreDNS on the host, on the node's address, answering from the API server ---------------------
cat > "$root/Corefile" <<EOF
.:53 {
  bind $NODE_IP
  errors
  log
  kubernetes cluster.local in-addr.arpa {
    kubeconfig $root/admin.kubeconfig test
  }
}
EOF
launch coredns "$bin/coredns" -conf "$root/Corefile"
wait_for "CoreDNS on $NODE_IP:53" 60 grep -q 'CoreDNS-' "$root/coredns.log" || exit 1

# --- the kubelet ------------------------------------------------------------------------------
kubelet_port="$(free_port)"
mkdir -p "$root/kubelet" "$root/pod-logs"
cp /etc/resolv.conf "$root/resolv.conf"
cat > "$root/kubelet-config.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $NODE_IP
port: $kubelet_port
readOnlyPort: 0
healthzPort: 0
tlsCertFile: $pki/kubelet-serving.crt
tlsPrivateKeyFile: $pki/kubelet-serving.key
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $pki/ca.crt}
authorization: {mode: Webhook}
containerRuntimeEndpoint: unix://$root/containerd/containerd.sock
cgroupDriver: cgroupfs
# This machine has cgroup v1 only (docs/api-server.md, "The node step").
failCgroupV1: ${NODE_PROBE_FAIL_CGROUP_V1:-false}
failSwapOn: false
makeIPTablesUtilChains: false
podLogsDir: $root/pod-logs
resolvConf: $root/resolv.conf
clusterDomain: cluster.local
# CoreDNS on the node's address: pods reach it on their bridge, with no Service routing.
clusterDNS: [$NODE_IP]
serializeImagePulls: false
evictionHard: {memory.available: 100Mi, nodefs.available: 1%, imagefs.available: 1%}
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
EOF
launch kubelet "$bin/kubelet" --config="$root/kubelet-config.yaml" --kubeconfig="$root/kubelet.kubeconfig" \
  --root-dir="$root/kubelet" --hostname-override="$NODE_NAME" --node-ip="$NODE_IP" --v=2
node_ready() { [ "$(k get node "$NODE_NAME" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)" = True ]; }
wait_for "node $NODE_NAME Ready" 180 node_ready || exit 1
say "node $NODE_NAME is Ready: $(k get node "$NODE_NAME" -o wide --no-headers)"

# --- a pod ------------------------------------------------------------------------------------
k apply -f - >/dev/null <<EOF || die "the test pod was refused"
apiVersion: v1
kind: Pod
metadata: {name: probe, namespace: default}
spec:
  nodeName: $NODE_NAME
  automountServiceAccountToken: false
  containers:
    - name: probe
      image: $BUSYBOX_IMAGE
      imagePullPolicy: Never
      command: [sh, -c, 'echo "hello from \$(hostname), uid \$(id -u)"; ip -4 -o addr show eth0; ip route; exec sleep 3600']
EOF
pod_running() { [ "$(k -n default get pod probe -o jsonpath='{.status.phase}' 2>/dev/null)" = Running ]; }
if ! wait_for "pod probe Running" 120 pod_running; then
  k -n default describe pod probe >&2
  die "the pod did not run"
fi
say "pod probe is Running: $(k -n default get pod probe -o wide --no-headers)"
sleep 2
say "kubectl logs probe:"; k -n default logs probe >&2 || die "kubectl logs failed"
say "kubectl exec probe -- cat /proc/self/cgroup:"; k -n default exec probe -- cat /proc/self/cgroup >&2 || die "kubectl exec failed"
pod_ip="$(k -n default get pod probe -o jsonpath='{.status.podIP}')"
say "the node reaches the pod at $pod_ip: $(busybox ping -c 1 -W 2 "$pod_ip" >/dev/null 2>&1 && echo yes || echo no)"
say "PODS RUN"

# --- Service names: a web server behind a ClusterIP Service and a headless one -------------------
k apply -f - >/dev/null <<EOF || die "the web pod and Services were refused"
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: default, labels: {app: web}}
spec:
  nodeName: $NODE_NAME
  automountServiceAccountToken: false
  containers:
    - name: web
      image: $BUSYBOX_IMAGE
      imagePullPolicy: Never
      command: [sh, -c, 'mkdir -p /www && echo "served by \$(hostname)" > /www/index.html && exec httpd -f -v -p 8080 -h /www']
      ports: [{containerPort: 8080}]
      readinessProbe: {tcpSocket: {port: 8080}, periodSeconds: 2}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: default}
spec: {selector: {app: web}, ports: [{port: 80, targetPort: 8080}]}
---
apiVersion: v1
kind: Service
metadata: {name: web-headless, namespace: default}
spec: {clusterIP: None, selector: {app: web}, ports: [{port: 8080}]}
EOF
web_ready() { [ "$(k -n default get pod web -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)" = True ]; }
wait_for "pod web Ready (its readiness probe, from the kubelet)" 120 web_ready || die "the web pod did not become ready"
say "pod web is Ready: $(k -n default get pod web -o wide --no-headers)"
say "Services: $(k -n default get service web web-headless --no-headers | awk '{print $1 " " $3}' | tr '\n' ';')"
say "EndpointSlices: $(k -n default get endpointslices -l kubernetes.io/service-name=web -o jsonpath='{.items[*].endpoints[*].addresses}')"
in_probe() { # COMMAND...: in the probe pod; prints its output and its exit status
  local output status
  output="$(k -n default exec probe -- "$@" 2>&1)"; status=$?
  echo "\$ $*" >&2; echo "$output" | sed 's/^/  /' >&2; echo "  (exit $status)" >&2
  return $status
}
say "the probe pod's /etc/resolv.conf:"; in_probe cat /etc/resolv.conf
say "Service names through CoreDNS:"
in_probe nslookup web.default.svc.cluster.local && dns_clusterip=yes || dns_clusterip=no
in_probe nslookup web-headless.default.svc.cluster.local && dns_headless=yes || dns_headless=no
say "the library's wait-for command (lib/render/k8s/wait-containers.ts) in the BusyBox stand-in:"
in_probe nc -z -w 2 web-headless 8080 && nc_z=yes || nc_z="no (the stand-in's nc has no -z)"
say "connections by name:"
# BusyBox's nc, not its wget: the static BusyBox's wget crashes (SIGSEGV) in a root file system
# without glibc's shared libraries, before it connects anywhere.
http_get() { in_probe sh -c "printf 'GET / HTTP/1.0\r\n\r\n' | nc -w 5 $1 $2 | grep 'served by'"; }
http_get web-headless 8080 && via_headless=yes || via_headless=no
http_get web 80 && via_clusterip=yes || via_clusterip=no
# --- Service routing: kube-proxy in nftables mode (tables of its own), forwarding on the bridge only ---
cat > "$root/kube-proxy-config.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection: {kubeconfig: $root/admin.kubeconfig}
mode: nftables
hostnameOverride: $NODE_NAME
clusterCIDR: $POD_SUBNET
nodePortAddresses: [$NODE_IP/32]
healthzBindAddress: 127.0.0.1:$(free_port)
metricsBindAddress: 127.0.0.1:$(free_port)
# The host's conntrack settings stay as they are.
conntrack: {maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
EOF
# A pod's packet to a ClusterIP goes to its gateway, the host, which rewrites it to a pod and sends
# it back out of the same bridge: forwarding, here only for what comes in on this bridge.
sysctl -qw "net.ipv4.conf.$BRIDGE.forwarding=1"
launch kube-proxy "$bin/kube-proxy" --config="$root/kube-proxy-config.yaml" --v=2
cluster_ip="$(k -n default get service web -o jsonpath='{.spec.clusterIP}')"
wait_for "kube-proxy's rule for $cluster_ip" 120 sh -c "nft list table ip kube-proxy | grep -qF '$cluster_ip'" \
  && { http_get web 80 && via_kube_proxy=yes || via_kube_proxy=no; } || via_kube_proxy="no (kube-proxy did not program the Service)"
# --- a small stack through the scheduler: a one-shot Job, and a Deployment that waits for a Service
# whose server starts 15 s late -------------------------------------------------------------------
launch kube-scheduler "$bin/kube-scheduler" --kubeconfig="$root/admin.kubeconfig" --secure-port=0 --leader-elect=false --profiling=false
k apply -f - >/dev/null <<EOF || die "the stack was refused"
apiVersion: batch/v1
kind: Job
metadata: {name: migrate, namespace: default}
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      automountServiceAccountToken: false
      containers:
        - {name: migrate, image: $BUSYBOX_IMAGE, imagePullPolicy: Never, command: [sh, -c, 'echo migrated; sleep 2']}
---
apiVersion: v1
kind: Pod
metadata: {name: late, namespace: default, labels: {app: late}}
spec:
  automountServiceAccountToken: false
  containers:
    - {name: late, image: $BUSYBOX_IMAGE, imagePullPolicy: Never, command: [sh, -c, 'sleep 15; mkdir -p /www && echo late > /www/index.html && exec httpd -f -p 8080 -h /www']}
---
apiVersion: v1
kind: Service
metadata: {name: late, namespace: default}
spec: {selector: {app: late}, ports: [{port: 80, targetPort: 8080}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: app, namespace: default}
spec:
  replicas: 2
  selector: {matchLabels: {app: app}}
  template:
    metadata: {labels: {app: app}}
    spec:
      automountServiceAccountToken: false
      initContainers:
        # As the library's wait-for init containers do (lib/render/k8s/wait-containers.ts), until the
        # Service's name answers on its port; a request instead of its \`nc -z\`, which Debian's BusyBox lacks.
        - name: wait-for-late
          image: $BUSYBOX_IMAGE
          imagePullPolicy: Never
          command: [sh, -c, 'until printf "HEAD / HTTP/1.0\\r\\n\\r\\n" | nc -w 2 late 80 >/dev/null; do echo waiting for late:80; sleep 2; done; echo late is up']
      containers:
        - name: app
          image: $BUSYBOX_IMAGE
          imagePullPolicy: Never
          command: [sh, -c, 'sleep 3; mkdir -p /www && echo app > /www/index.html && exec httpd -f -p 8080 -h /www']
          readinessProbe: {httpGet: {path: /, port: 8080}, periodSeconds: 2}
EOF
job_done() { [ "$(k -n default get job migrate -o jsonpath='{.status.succeeded}' 2>/dev/null)" = 1 ]; }
app_ready() { [ "$(k -n default get deployment app -o jsonpath='{.status.readyReplicas}' 2>/dev/null)" = 2 ]; }
wait_for "Job migrate Complete" 180 job_done && job_result=yes || job_result=no
wait_for "Deployment app: 2 ready replicas" 180 app_ready && deployment_result=yes || deployment_result=no
say "Job: $(k -n default get job migrate --no-headers); its log: $(k -n default logs job/migrate 2>&1)"
say "Deployment: $(k -n default get deployment app --no-headers)"
say "pods: $(k -n default get pods -o wide --no-headers | awk '{print $1 " " $3 " " $6}' | tr '\n' ';')"
say "app pod, init container then container (started, finished):"
k -n default get pods -l app=app -o jsonpath='{range .items[*]}{.metadata.name}: init {.status.initContainerStatuses[0].state.terminated.startedAt} {.status.initContainerStatuses[0].state.terminated.finishedAt} exit {.status.initContainerStatuses[0].state.terminated.exitCode}; app started {.status.containerStatuses[0].state.running.startedAt}{"\n"}{end}' >&2
say "one wait-for-late log: $(k -n default logs deployment/app -c wait-for-late 2>&1 | tr '\n' ';')"

say "SUMMARY: pods run; name lookup ClusterIP Service: $dns_clusterip, headless Service: $dns_headless;" \
  "connection through the headless name (pod IP): $via_headless, through the ClusterIP without kube-proxy: $via_clusterip," \
  "with kube-proxy (nftables): $via_kube_proxy; \`nc -z\` in the stand-in: $nc_z; scheduled Job completed: $job_result, Deployment behind a wait-for init container ready: $deployment_result"
# The two "no"s above are expected (no kube-proxy yet; Debian's BusyBox); any other is a failure.
for result in "$dns_clusterip" "$dns_headless" "$via_headless" "$via_kube_proxy" "$job_result" "$deployment_result"; do
  [ "$result" = yes ] || die "a step after the first pod failed (SUMMARY above)"
done
