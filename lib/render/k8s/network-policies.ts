import { StackModel, WorkloadModel } from '../../model';
import { objectLabels, selectorLabels } from './format';
import { KubernetesObject } from './workload-objects';

/**
 * The NetworkPolicies of a stack's connection graph: a default deny of ingress to every pod of
 * the stack, and for each workload with ports an allow from the workloads that connect to it,
 * on its ports. A workload that only waits for another (`after`) may open the one port its wait
 * probes; the ingress controller reaches a public endpoint's port; a workload on a network that
 * other stacks join (`shared`) or of another stack (`external`), or with isolation 'none', takes
 * every pod of the namespace.
 * Egress is not restricted: DNS and the API server stay reachable. A stack of one workload
 * gets none.
 */
export function renderNetworkPolicies(model: StackModel, rendered: readonly WorkloadModel[]): KubernetesObject[] {
  // A lone workload has no neighbour in its stack to be kept from.
  if (!model.networkIsolation || rendered.length < 2) return [];
  const labels = objectLabels(model);
  const policies: KubernetesObject[] = [
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: `${model.name}-default-deny-ingress`, labels },
      spec: { podSelector: { matchLabels: { 'app.kubernetes.io/part-of': model.name } }, policyTypes: ['Ingress'] },
    },
  ];
  // A network other stacks join, or another stack's that this one joins: on Compose every
  // container on it reaches every port of the workload, so every pod of the namespace may.
  const shared = new Set(model.networks.filter((n) => n.shared || n.external).map((n) => n.name));
  // Who connects to and who waits for each workload, in the order of `rendered`: one pass, not one per target.
  const clientsOf = new Map<string, WorkloadModel[]>();
  const waitersOf = new Map<string, WorkloadModel[]>();
  for (const w of rendered) {
    const connects = new Set(w.connectsTo);
    for (const target of connects) append(clientsOf, target, w);
    for (const target of new Set(w.dependsOn.map((d) => d.target))) if (!connects.has(target)) append(waitersOf, target, w);
  }
  for (const target of rendered) {
    if (target.kind === 'job' || target.ports.length === 0) continue;
    const allPorts = target.ports.map((p) => ({ protocol: p.protocol, port: p.containerPort }));
    const rules: Record<string, unknown>[] = [];
    const open = target.isolation === 'none' || target.networks.some((n) => shared.has(n));
    if (open) {
      rules.push({ from: [{ podSelector: {} }], ports: allPorts });
    } else {
      const clients = (clientsOf.get(target.name) ?? []).filter((w) => w !== target);
      if (clients.length > 0) rules.push({ from: clients.map((c) => ({ podSelector: { matchLabels: selectorLabels(model, c) } })), ports: allPorts });
      const waiters = (waitersOf.get(target.name) ?? []).filter((w) => w !== target);
      if (waiters.length > 0) {
        const probed = target.ports[0];
        rules.push({ from: waiters.map((w) => ({ podSelector: { matchLabels: selectorLabels(model, w) } })), ports: [{ protocol: probed.protocol, port: probed.containerPort }] });
      }
    }
    const endpoint = target.publicEndpoint;
    const endpointPort = endpoint ? target.ports.find((p) => p.name === endpoint.portName) : undefined;
    if (endpointPort && !open) {
      const { namespaceLabels, podLabels } = model.ingressController;
      rules.push({
        from: [
          {
            namespaceSelector: Object.keys(namespaceLabels).length > 0 ? { matchLabels: { ...namespaceLabels } } : {},
            ...(Object.keys(podLabels).length > 0 ? { podSelector: { matchLabels: { ...podLabels } } } : {}),
          },
        ],
        ports: [{ protocol: endpointPort.protocol, port: endpointPort.containerPort }],
      });
    }
    if (rules.length === 0) continue;
    policies.push({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: `${target.name}-ingress`, labels: objectLabels(model, target) },
      spec: { podSelector: { matchLabels: selectorLabels(model, target) }, policyTypes: ['Ingress'], ingress: rules },
    });
  }
  return policies;
}

function append<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
