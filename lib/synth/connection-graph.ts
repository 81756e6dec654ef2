import { MessageModel, ParameterModel, StackModel, WorkloadModel, isRenderedOnKubernetes } from '../model';
import { namesAServiceHost } from '../model/host-references';
import { reachesOf } from './reachable-ports';

/**
 * Warnings for hosts a workload is configured to reach that will not resolve: a host that is
 * no workload of the stack (written as a host: in a URL or with a port), a one-shot job (it
 * serves nothing), a workload on no Compose network it shares, or one left out on Kubernetes.
 * The ports themselves always resolve: synth adds those others reach (reachable-ports.ts).
 */
export function connectionWarnings(
  model: Pick<StackModel, 'workloads' | 'networks' | 'profiles' | 'targets'>,
  parameters: readonly ParameterModel[],
): MessageModel[] {
  const byName = new Map(model.workloads.map((w) => [w.name, w]));
  const networksOf = (w: WorkloadModel) => (w.networks.length > 0 ? w.networks : ['default']);
  const external = new Set(model.networks.filter((n) => n.external).map((n) => n.name));
  const messages: MessageModel[] = [];
  for (const workload of model.workloads) {
    const seen = new Set<string>();
    for (const reach of reachesOf(workload, parameters)) {
      const { host, port, where, reference } = reach;
      const address = `${host}${port !== undefined ? `:${port}` : ''}`;
      if (host === workload.name || seen.has(`${address} ${where}`)) continue;
      seen.add(`${address} ${where}`);
      const warn = (message: string) => messages.push({ level: 'warning', path: workload.path, message: `reaches ${address} (${where}), ${message}` });
      const target = byName.get(host);
      if (!target) {
        if (namesAServiceHost(reference) && !networksOf(workload).some((n) => external.has(n))) {
          warn('which is no workload of this stack: the name resolves on neither target unless the deployment provides it');
        }
        continue;
      }
      if (target.kind === 'job') {
        warn(`which is a one-shot job: it serves nothing once done, and has no Service on Kubernetes; use \`after\` to wait for it`);
        continue;
      }
      if (model.targets.includes('compose') && !networksOf(workload).some((n) => networksOf(target).includes(n))) {
        warn(`but on Compose ${host} is on network ${networksOf(target).join(', ')}, which ${workload.name} does not join; add the network to both`);
      }
      if (model.targets.includes('kubernetes') && isRenderedOnKubernetes(workload, model.profiles) && !isRenderedOnKubernetes(target, model.profiles)) {
        const profile = target.profiles.find((p) => !model.profiles.includes(p));
        warn(
          target.composeOnly === undefined && profile !== undefined && workload.profiles.length === 0
            ? `but ${host} is in profile ${profile}, off by default on both targets: the name resolves only with it on ` +
                `(docker compose --profile ${profile}; kubectl apply -k k8s-profiles/${profile})`
            : `but ${host} is left out on Kubernetes (its profiles are not enabled there), so the name does not resolve there`,
        );
      }
    }
  }
  return messages;
}

/**
 * The workloads with the hosts each reaches through an external network that no workload of
 * the stack provides: on Compose the engine resolves them there; on Kubernetes they must be
 * Services of a stack deployed into the same namespace, which the pod says (an annotation).
 */
export function withHostsElsewhere(model: Pick<StackModel, 'workloads' | 'networks'>, parameters: readonly ParameterModel[]): WorkloadModel[] {
  const names = new Set(model.workloads.map((w) => w.name));
  const external = new Set(model.networks.filter((n) => n.external).map((n) => n.name));
  return model.workloads.map((workload) => {
    if (!workload.networks.some((n) => external.has(n))) return workload;
    const hosts = new Set<string>();
    for (const { host, reference } of reachesOf(workload, parameters)) {
      if (!names.has(host) && namesAServiceHost(reference)) hosts.add(host);
    }
    return hosts.size > 0 ? { ...workload, hostsElsewhere: [...hosts].sort() } : workload;
  });
}

/**
 * Each workload's `connectsTo`, completed with what its configuration reaches by name (its
 * environment values and command) and, for a reverse proxy, the workloads it routes to: the
 * edges isolation opens, and only those.
 */
export function withConnectionGraph(workloads: readonly WorkloadModel[], parameters: readonly ParameterModel[]): WorkloadModel[] {
  const names = new Set(workloads.map((w) => w.name));
  const routed = new Map<string, string[]>();
  for (const workload of workloads) {
    const proxy = workload.publicEndpoint?.composeProxy;
    if (proxy) routed.set(proxy, [...(routed.get(proxy) ?? []), workload.name]);
  }
  return workloads.map((workload) => {
    const targets = new Set(workload.connectsTo);
    for (const { host } of reachesOf(workload, parameters)) if (names.has(host) && host !== workload.name) targets.add(host);
    for (const name of routed.get(workload.name) ?? []) targets.add(name);
    const connectsTo = [...targets].filter((t) => t !== workload.name).sort();
    return connectsTo.join() === workload.connectsTo.join() ? workload : { ...workload, connectsTo };
  });
}
