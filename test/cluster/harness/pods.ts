import type { KubeObject } from '../examples';
import type { Cluster } from './cluster';

/** Where the ServiceAccount admission plugin mounts a pod's API token. */
export const TOKEN_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';

const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job'];

export function isWorkload(object: KubeObject): boolean {
  return WORKLOAD_KINDS.includes(object.kind);
}

/** `kubectl get -o json` of one object or a list; undefined when it does not exist. */
export function getJson(cluster: Cluster, namespace: string, args: string[]): any {
  const result = cluster.kubectl(['-n', namespace, 'get', ...args, '-o', 'json']);
  if (result.status !== 0) {
    if (/NotFound|not found/.test(result.stderr)) return undefined;
    throw new Error(`kubectl get ${args.join(' ')} failed: ${result.stderr}`);
  }
  return JSON.parse(result.stdout);
}

/** How many pods the controller of `workload` creates while none of them ever becomes ready (no node). */
export function expectedPodCount(workload: KubeObject): number {
  const spec = workload.spec ?? {};
  switch (workload.kind) {
    case 'Deployment':
      return spec.replicas ?? 1;
    case 'StatefulSet':
      // OrderedReady waits for pod N to be ready before it creates pod N+1.
      return spec.podManagementPolicy === 'Parallel' ? (spec.replicas ?? 1) : Math.min(1, spec.replicas ?? 1);
    case 'DaemonSet':
      return 1; // one per node, and the cluster has one (harness/cluster.ts NODE_NAME)
    case 'Job':
      return Math.min(spec.parallelism ?? 1, spec.completions ?? spec.parallelism ?? 1);
    default:
      return 0;
  }
}

/** The pods the controllers made for `workload`, found through their owner references. */
export function podsOf(pods: any[], replicaSets: any[], workload: KubeObject): any[] {
  const ownedBy = (object: any, kind: string, name: string) =>
    (object.metadata.ownerReferences ?? []).some((ref: any) => ref.controller && ref.kind === kind && ref.name === name);
  if (workload.kind === 'Deployment') {
    const sets = replicaSets.filter((rs) => ownedBy(rs, 'Deployment', workload.metadata.name)).map((rs) => rs.metadata.name);
    return pods.filter((pod) => sets.some((set) => ownedBy(pod, 'ReplicaSet', set)));
  }
  return pods.filter((pod) => ownedBy(pod, workload.kind, workload.metadata.name));
}

/**
 * The controllers' complaints about `workload` or its ReplicaSets (FailedCreate when admission
 * refuses a pod, and the like), as `Reason: message`.
 */
export function warningsAbout(events: any[], replicaSets: any[], workload: KubeObject): string[] {
  const owned = new Set(
    replicaSets
      .filter((rs) => (rs.metadata.ownerReferences ?? []).some((ref: any) => ref.kind === workload.kind && ref.name === workload.metadata.name))
      .map((rs) => `ReplicaSet/${rs.metadata.name}`),
  );
  const about = (e: any) => {
    const key = `${e.involvedObject.kind}/${e.involvedObject.name}`;
    return key === `${workload.kind}/${workload.metadata.name}` || owned.has(key);
  };
  // The controller retries with a new random pod name each time: one line per distinct complaint.
  const line = (e: any) => `${e.reason}: ${String(e.message).replace(/^\(combined from similar events\): /, '').replace(/pods "[^"]+"/g, 'pods "…"')}`;
  return [...new Set(events.filter((e) => e.type === 'Warning' && about(e)).map(line))];
}

function allContainers(spec: any): any[] {
  return [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
}

/** `kubectl wait ... job/<name>` in a container's command: the Job it waits for. */
export function waitedForJob(container: any): string | undefined {
  const command: string[] = [...(container.command ?? []), ...(container.args ?? [])];
  // `kubectl [global options] wait ...`
  if (command[0] !== 'kubectl' || command.find((word, i) => i > 0 && !word.startsWith('-')) !== 'wait') return undefined;
  const target = command.find((word) => word.startsWith('job/'));
  return target?.slice('job/'.length);
}

/** `nc -z -w 2 <host> <port>` loops in a container's shell command: the Services it waits for. */
export function waitedForServices(container: any): Array<{ host: string; port: number }> {
  const script = [...(container.command ?? []), ...(container.args ?? [])].join(' ');
  return [...script.matchAll(/\bnc -z(?: -w \d+)? ([a-z0-9.-]+) (\d+)/g)].map((m) => ({ host: m[1], port: Number(m[2]) }));
}

/** Everything in a namespace that pods can refer to, fetched once. */
export interface NamespaceState {
  readonly secrets: Map<string, any>;
  readonly configMaps: Map<string, any>;
  readonly claims: Map<string, any>;
  readonly serviceAccounts: Map<string, any>;
  readonly services: Map<string, any>;
  readonly jobs: Map<string, any>;
}

export function namespaceState(cluster: Cluster, namespace: string): NamespaceState {
  const byName = (resource: string) => new Map<string, any>((getJson(cluster, namespace, [resource])?.items ?? []).map((o: any) => [o.metadata.name, o]));
  return {
    secrets: byName('secrets'),
    configMaps: byName('configmaps'),
    claims: byName('persistentvolumeclaims'),
    serviceAccounts: byName('serviceaccounts'),
    services: byName('services'),
    jobs: byName('jobs'),
  };
}

function hasKey(object: any, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(object.data ?? {}, key) || Object.prototype.hasOwnProperty.call(object.binaryData ?? {}, key);
}

/**
 * What is wrong with a pod the controllers created, as the kubelet would find it: a Secret,
 * ConfigMap, key or claim it refers to that does not exist, a ServiceAccount that does not
 * exist, a `kubectl wait` without an API token or without the right to watch its Job, a waited-for
 * Job or Service that is not there. Empty when the pod could start on a node.
 */
export function podProblems(pod: any, state: NamespaceState): string[] {
  const problems: string[] = [];
  const spec = pod.spec;
  const secret = (name: string, key: string | undefined, optional: boolean | undefined, where: string) => {
    if (optional) return;
    const found = state.secrets.get(name);
    if (!found) problems.push(`${where} refers to Secret ${name}, which does not exist`);
    else if (key !== undefined && !hasKey(found, key)) problems.push(`${where} refers to key ${key} of Secret ${name}, which it does not have`);
  };
  const configMap = (name: string, key: string | undefined, optional: boolean | undefined, where: string) => {
    if (optional) return;
    const found = state.configMaps.get(name);
    if (!found) problems.push(`${where} refers to ConfigMap ${name}, which does not exist`);
    else if (key !== undefined && !hasKey(found, key)) problems.push(`${where} refers to key ${key} of ConfigMap ${name}, which it does not have`);
  };

  for (const container of allContainers(spec)) {
    const where = `container ${container.name}`;
    for (const env of container.env ?? []) {
      const from = env.valueFrom ?? {};
      if (from.secretKeyRef) secret(from.secretKeyRef.name, from.secretKeyRef.key, from.secretKeyRef.optional, `${where} env ${env.name}`);
      if (from.configMapKeyRef) configMap(from.configMapKeyRef.name, from.configMapKeyRef.key, from.configMapKeyRef.optional, `${where} env ${env.name}`);
    }
    for (const source of container.envFrom ?? []) {
      if (source.secretRef) secret(source.secretRef.name, undefined, source.secretRef.optional, `${where} envFrom`);
      if (source.configMapRef) configMap(source.configMapRef.name, undefined, source.configMapRef.optional, `${where} envFrom`);
    }
    const job = waitedForJob(container);
    if (job !== undefined) {
      if (!state.jobs.has(job)) problems.push(`${where} waits for Job ${job}, which does not exist`);
      const mounted = (container.volumeMounts ?? []).some((m: any) => m.mountPath === TOKEN_MOUNT_PATH);
      if (!mounted) problems.push(`${where} runs kubectl but has no ServiceAccount token mounted at ${TOKEN_MOUNT_PATH}`);
    }
    for (const { host, port } of waitedForServices(container)) {
      const service = state.services.get(host);
      if (!service) problems.push(`${where} waits for ${host}:${port}, but there is no Service ${host}`);
      else if (!(service.spec.ports ?? []).some((p: any) => p.port === port)) problems.push(`${where} waits for ${host}:${port}, but Service ${host} has no port ${port}`);
    }
  }

  for (const volume of spec.volumes ?? []) {
    const where = `volume ${volume.name}`;
    if (volume.persistentVolumeClaim && !state.claims.has(volume.persistentVolumeClaim.claimName)) {
      problems.push(`${where} mounts claim ${volume.persistentVolumeClaim.claimName}, which does not exist`);
    }
    if (volume.configMap) {
      const items: any[] = volume.configMap.items ?? [{}];
      for (const item of items) configMap(volume.configMap.name, item.key, volume.configMap.optional, where);
    }
    if (volume.secret) {
      const items: any[] = volume.secret.items ?? [{}];
      for (const item of items) secret(volume.secret.secretName, item.key, volume.secret.optional, where);
    }
    for (const source of volume.projected?.sources ?? []) {
      // kube-root-ca.crt is published into every namespace by the controller-manager.
      if (source.configMap) for (const item of source.configMap.items ?? [{}]) configMap(source.configMap.name, item.key, source.configMap.optional, where);
      if (source.secret) for (const item of source.secret.items ?? [{}]) secret(source.secret.name, item.key, source.secret.optional, where);
    }
  }

  const account = spec.serviceAccountName ?? 'default';
  if (!state.serviceAccounts.has(account)) problems.push(`ServiceAccount ${account} does not exist`);
  return problems;
}
