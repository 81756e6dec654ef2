import { Stack } from '../../core/stack';
import { CrossStackWaitModel } from '../../model';
import { Network } from '../network';

/** What the cross-stack checks need to know of a workload. */
export interface CrossStackParty {
  readonly workloadName: string;
  readonly stack: Stack;
  readonly networks: readonly Network[];
  readonly isJob: boolean;
  readonly primaryPort?: number;
}

/**
 * The wait of `consumer` for `target`, a workload of another stack, or the reason it cannot
 * be one. Across stacks there is no `depends_on` on Compose (each stack is its own project) and
 * no Job a pod of another release may watch, so the consumer waits until the target answers on
 * its first port, over a network the target's stack shares and the consumer's joins as
 * external; on Kubernetes both stacks must be applied to one namespace, where the target's
 * Service name resolves (decision 16).
 */
export function crossStackWait(consumer: CrossStackParty, target: CrossStackParty, origin: string): CrossStackWaitModel | string {
  const theirs = target.stack.stackName;
  const what = `${origin} waits for ${target.workloadName} of stack ${theirs}`;
  if (target.isJob) {
    return `${what}, a job: another stack's jobs cannot be waited for (Compose cannot see another project's containers); run the job in this stack, or wait for a service of ${theirs} that the job prepares`;
  }
  if (target.primaryPort === undefined) {
    return `${what}, which has no port: across stacks a workload waits until its target answers on its first port; give ${target.workloadName} a port, or remove the dependency`;
  }
  const shared = target.networks.filter((n) => n._toModel().shared).map((n) => n.networkName);
  const joined = consumer.networks.filter((n) => n._toModel().external && shared.includes(n.networkName)).map((n) => n.networkName);
  if (joined.length === 0) {
    const fix =
      shared.length > 0
        ? `put ${consumer.workloadName} on new Network(<this stack>, '${shared[0]}', { external: true })`
        : `put ${target.workloadName} on a new Network(<stack ${theirs}>, 'name', { shared: true }) and ${consumer.workloadName} on the same name with { external: true }`;
    return `${what}, but they share no network, so ${consumer.workloadName} cannot reach it on Compose; ${fix}`;
  }
  const own = consumer.stack.namespace;
  if (own !== target.stack.namespace) {
    const names = (ns: string | undefined) => (ns === undefined ? 'no namespace' : `namespace ${ns}`);
    return `${what}, but its stack has ${names(target.stack.namespace)} and this one ${names(own)}: on Kubernetes the Service name resolves in its own namespace only; give both stacks the same namespace`;
  }
  return { stack: theirs, target: target.workloadName, port: target.primaryPort, network: joined.sort()[0] };
}
