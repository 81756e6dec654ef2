import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as https from 'https';
import * as http from 'http';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { stringify } from 'yaml';
import { attempt, CommandResult, RunOptions, tail } from '../../e2e/harness/commands';
import { Certificates, makeCertificates } from './certificates';

const REPO = path.resolve(__dirname, '..', '..', '..');

/** Where tools/kubernetes/build.sh puts the binaries; `KUBE_BIN_DIR` points elsewhere. */
export const BIN_DIR = process.env.KUBE_BIN_DIR ?? path.join(REPO, 'tools', '.bin');

const BINARIES = ['etcd', 'kube-apiserver', 'kube-controller-manager'] as const;
type Binary = (typeof BINARIES)[number];

/** The one Node the cluster has: an object only, nothing runs there, so every pod stays Pending. */
export const NODE_NAME = 'node-1';

/** How long each server may take to become ready: the machine has two cores and may be busy. */
const READY_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 15_000;

export interface KubectlOptions extends Pick<RunOptions, 'input' | 'timeoutMs'> {
  /**
   * Error output into standard output, in the order kubectl wrote them: a warning is then
   * followed by the line of the object it is about.
   *
   * @default false
   */
  readonly combined?: boolean;
}

/** A running etcd, kube-apiserver and kube-controller-manager on loopback, and a kubeconfig for them. */
export interface Cluster {
  /** The temporary folder that holds everything: certificates, etcd's data, logs, the kubeconfig. */
  readonly root: string;
  /** `https://127.0.0.1:<port>` */
  readonly server: string;
  readonly kubeconfig: string;
  readonly certificates: Certificates;
  /** Runs kubectl against the cluster, with a clean environment; returns whatever happened. */
  kubectl(args: readonly string[], options?: KubectlOptions): CommandResult;
  /** The last lines of one server's log. */
  logTail(binary: Binary, lines?: number): string;
  /** Stops every server and deletes `root`; safe to call twice. */
  stop(): Promise<void>;
}

/** The binaries the cluster needs, or an error that says how to build them. */
export function clusterBinaries(): Record<Binary, string> {
  const missing = BINARIES.filter((name) => !fs.existsSync(path.join(BIN_DIR, name)));
  if (missing.length > 0) {
    throw new Error(
      `${missing.join(', ')} not found in ${BIN_DIR}: run \`bash tools/kubernetes/build.sh\` ` +
        '(builds them from the Go module proxy; docs/api-server.md), or set KUBE_BIN_DIR',
    );
  }
  return Object.fromEntries(BINARIES.map((name) => [name, path.join(BIN_DIR, name)])) as Record<Binary, string>;
}

/** A port that was free a moment ago on 127.0.0.1. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** One GET; resolves with the status code and body, or undefined when nothing answered. */
function get(url: string, tls?: https.RequestOptions): Promise<{ status: number; body: string } | undefined> {
  return new Promise((resolve) => {
    const client = url.startsWith('https:') ? https : http;
    const request = client.get(url, { ...tls, timeout: 5_000 }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(undefined));
  });
}

function writeKubeconfig(file: string, server: string, certificates: Certificates): void {
  const kubeconfig = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'test', cluster: { server, 'certificate-authority': certificates.caCert } }],
    users: [{ name: 'admin', user: { 'client-certificate': certificates.adminCert, 'client-key': certificates.adminKey } }],
    contexts: [{ name: 'test', context: { cluster: 'test', user: 'admin' } }],
    'current-context': 'test',
  };
  fs.writeFileSync(file, stringify(kubeconfig), { mode: 0o600 });
}

/**
 * Starts etcd, kube-apiserver and kube-controller-manager on 127.0.0.1 with free ports, all their
 * files in a new temporary folder, and waits until the API server is ready and the
 * controller-manager has created the `default` ServiceAccount. There is no scheduler and no
 * kubelet (one Node object, NODE_NAME, for the DaemonSet controller): pods are created,
 * admitted and validated, and stay Pending. On failure everything started is stopped
 * and the folder removed before the error is thrown.
 */
export async function startCluster(): Promise<Cluster> {
  const bin = clusterBinaries();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cdkc-cluster-'));
  const home = path.join(root, 'home');
  fs.mkdirSync(home);
  const processes: Array<{ name: Binary; child: ChildProcess; log: string }> = [];
  let stopped = false;

  // The last resort when the test process ends without calling stop(): no server outlives it.
  const killAll = () => processes.forEach(({ child }) => child.exitCode === null && child.kill('SIGKILL'));
  // Ctrl-C or a CI time-out: no 'exit' event comes, so clean up, then let the signal do its work.
  const onSignal = (signal: NodeJS.Signals) => {
    killAll();
    fs.rmSync(root, { recursive: true, force: true });
    unhook();
    process.kill(process.pid, signal);
  };
  const unhook = () => {
    process.off('exit', killAll);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  process.on('exit', killAll);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const logOf = (name: Binary) => path.join(root, `${name}.log`);
  const logTail = (name: Binary, lines = 30) => (fs.existsSync(logOf(name)) ? tail(fs.readFileSync(logOf(name), 'utf8'), lines) : '(no log)');

  const launch = (name: Binary, args: string[]) => {
    const fd = fs.openSync(logOf(name), 'a');
    try {
      const child = spawn(bin[name], args, { cwd: root, stdio: ['ignore', fd, fd], env: { PATH: process.env.PATH, HOME: home } });
      child.on('error', () => undefined); // reported through exitCode and the log
      processes.push({ name, child, log: logOf(name) });
    } finally {
      fs.closeSync(fd);
    }
  };

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    // Reverse order: the controller-manager and the API server still want their storage while they stop.
    for (const { child } of [...processes].reverse()) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    }
    unhook();
    fs.rmSync(root, { recursive: true, force: true });
  };

  /** Polls `check` until it is true; fails early, with its log, when a server has exited. */
  const waitFor = async (what: string, check: () => Promise<boolean>) => {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      const dead = processes.find(({ child }) => child.exitCode !== null || child.signalCode !== null);
      if (dead) throw new Error(`${dead.name} exited (${dead.child.exitCode ?? dead.child.signalCode}) while waiting for ${what}:\n${logTail(dead.name)}`);
      if (await check()) return;
      if (Date.now() > deadline) {
        const logs = processes.map(({ name }) => `--- ${name}\n${logTail(name, 15)}`).join('\n');
        throw new Error(`timed out after ${READY_TIMEOUT_MS / 1000} s waiting for ${what}:\n${logs}`);
      }
      await sleep(250);
    }
  };

  try {
    const certificates = makeCertificates(path.join(root, 'pki'));
    const [etcdClientPort, etcdPeerPort, apiPort] = [await freePort(), await freePort(), await freePort()];
    const etcdUrl = `http://127.0.0.1:${etcdClientPort}`;
    const etcdPeerUrl = `http://127.0.0.1:${etcdPeerPort}`;
    const server = `https://127.0.0.1:${apiPort}`;
    const kubeconfig = path.join(root, 'kubeconfig');
    writeKubeconfig(kubeconfig, server, certificates);

    launch('etcd', [
      '--name=test',
      `--data-dir=${path.join(root, 'etcd')}`,
      `--listen-client-urls=${etcdUrl}`,
      `--advertise-client-urls=${etcdUrl}`,
      `--listen-peer-urls=${etcdPeerUrl}`,
      `--initial-advertise-peer-urls=${etcdPeerUrl}`,
      `--initial-cluster=test=${etcdPeerUrl}`,
      // The data is thrown away after the run: durability only costs time here.
      '--unsafe-no-fsync=true',
      '--log-level=warn',
    ]);
    await waitFor('etcd', async () => (await get(`${etcdUrl}/health`))?.body.includes('"health":"true"') ?? false);

    launch('kube-apiserver', [
      `--etcd-servers=${etcdUrl}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${apiPort}`,
      `--cert-dir=${path.join(root, 'apiserver')}`,
      `--tls-cert-file=${certificates.serverCert}`,
      `--tls-private-key-file=${certificates.serverKey}`,
      `--client-ca-file=${certificates.caCert}`,
      '--anonymous-auth=false',
      '--authorization-mode=RBAC',
      // ServiceAccount tokens (TokenRequest, the kube-api-access volume every pod gets).
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${certificates.serviceAccountPublicKey}`,
      `--service-account-signing-key-file=${certificates.serviceAccountKey}`,
      // Only an allocation range for Service ClusterIPs: nothing here routes or sends to it.
      '--service-cluster-ip-range=10.96.0.0/16',
      // The `kubernetes` Endpoints may not hold a loopback address; no pod runs to reach it anyway.
      '--endpoint-reconciler-type=none',
      // A cluster's default: Pod Security admission, not this flag, is what refuses privileged pods.
      '--allow-privileged=true',
      '--profiling=false',
    ]);
    const tls: https.RequestOptions = {
      ca: fs.readFileSync(certificates.caCert),
      cert: fs.readFileSync(certificates.adminCert),
      key: fs.readFileSync(certificates.adminKey),
    };
    await waitFor('kube-apiserver /readyz', async () => (await get(`${server}/readyz`, tls))?.status === 200);

    launch('kube-controller-manager', [
      `--kubeconfig=${kubeconfig}`,
      // Its own HTTPS endpoint serves only health and metrics, which the tests do not read.
      '--secure-port=0',
      `--cert-dir=${path.join(root, 'controller-manager')}`,
      '--leader-elect=false',
      `--service-account-private-key-file=${certificates.serviceAccountKey}`,
      `--root-ca-file=${certificates.caCert}`,
      // Nothing would keep the tests' node (below) alive: no kubelet sends it heartbeats.
      '--controllers=*,-node-lifecycle-controller',
      '--profiling=false',
    ]);

    const kubectl = (args: readonly string[], options: KubectlOptions = {}) =>
      attempt(options.combined ? 'sh' : 'kubectl', options.combined ? ['-c', 'exec kubectl "$@" 2>&1', 'sh', ...args] : args, {
        cwd: root,
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, LANG: 'C.UTF-8', KUBECONFIG: kubeconfig },
        input: options.input,
        timeoutMs: options.timeoutMs ?? 120_000,
      });
    // The serviceaccount controller creates `default` in every namespace; pods need it to be admitted.
    await waitFor('the controller-manager (ServiceAccount default/default)', async () => kubectl(['-n', 'default', 'get', 'serviceaccount', 'default']).status === 0);
    // One Node object, with no kubelet behind it: the DaemonSet controller makes a pod per node.
    const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: NODE_NAME, labels: { 'kubernetes.io/hostname': NODE_NAME, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64' } } };
    const created = kubectl(['create', '-f', '-'], { input: JSON.stringify(node) });
    if (created.status !== 0) throw new Error(`registering node ${NODE_NAME} failed: ${created.stderr}`);
    // Admission (TaintNodesByCondition) taints a new node not-ready until its kubelet reports;
    // DaemonSet pods do not tolerate that taint, and no kubelet will report.
    const untainted = kubectl(['taint', 'node', NODE_NAME, 'node.kubernetes.io/not-ready:NoSchedule-']);
    if (untainted.status !== 0) throw new Error(`untainting node ${NODE_NAME} failed: ${untainted.stderr}`);

    return { root, server, kubeconfig, certificates, kubectl, logTail, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
