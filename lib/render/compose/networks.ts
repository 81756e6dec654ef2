import { StackModel } from '../../model';

/**
 * The networks each service joins on Compose. With the stack's network isolation, a workload
 * that others connect to gets a network of its own (`reach-<name>`) that only it and they join,
 * so a database shares no network with a service that never connected to it; a workload with
 * isolation 'none' is on the project's default network, which every service then joins too.
 * The user's own networks are kept as they are. Returns each workload's list (empty: the
 * default network, as Compose does) and the networks to declare.
 */
export function composeNetworks(model: StackModel): { joined: Map<string, string[]>; declared: string[] } {
  const joined = new Map(model.workloads.map((w) => [w.name, [...w.networks]]));
  if (!model.networkIsolation) return { joined, declared: [] };
  const names = new Set(model.workloads.map((w) => w.name));
  const taken = new Set(model.networks.map((n) => n.name));
  const reach = new Map<string, string>();
  const networkOf = (target: string): string => {
    let name = reach.get(target);
    if (name) return name;
    name = `reach-${target}`;
    for (let i = 2; taken.has(name); i++) name = `reach-${target}-${i}`;
    taken.add(name);
    reach.set(target, name);
    return name;
  };
  for (const workload of model.workloads) {
    for (const target of workload.connectsTo) {
      if (!names.has(target)) continue;
      const network = networkOf(target);
      joined.get(workload.name)!.push(network);
      joined.get(target)!.push(network);
    }
  }
  const everyone = model.workloads.some((w) => w.isolation === 'none');
  for (const [name, list] of joined) {
    const unique = [...new Set(list)].sort();
    if (everyone && unique.length > 0) unique.push('default');
    joined.set(name, unique);
  }
  return { joined, declared: [...reach.values()].sort() };
}
