import { CrossStackWaitModel, WorkloadModel } from '../../model';
import { crossStackWaiterName } from '../../core/names';
import { portWaitCommand } from '../port-wait';
import { escapeInterpolation } from './format';

/**
 * The one-shot services that stand for waits across stacks on Compose, by service name: each
 * probes a workload of another project over the network both join, and the workloads that
 * wait for it start once it has completed (`service_completed_successfully`). Compose has no
 * `depends_on` across projects; this is the same wait the init container makes on Kubernetes
 * (decision 16). It runs as nobody, read-only, without capabilities; it belongs to its
 * waiters' profiles when every one of them has some, so that it starts only with them.
 */
export function crossStackWaiters(workloads: readonly WorkloadModel[], waitImage: string): Record<string, Record<string, unknown>> {
  const waiters = new Map<string, { wait: CrossStackWaitModel; consumers: WorkloadModel[] }>();
  for (const workload of workloads) {
    for (const wait of workload.waitsAcrossStacks) {
      const name = crossStackWaiterName(wait.target);
      const entry = waiters.get(name) ?? { wait, consumers: [] };
      entry.consumers.push(workload);
      waiters.set(name, entry);
    }
  }
  const services: Record<string, Record<string, unknown>> = {};
  for (const [name, { wait, consumers }] of [...waiters].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const profiles = consumers.every((c) => c.profiles.length > 0) ? [...new Set(consumers.flatMap((c) => c.profiles))].sort() : [];
    services[name] = escapeInterpolation({
      image: waitImage,
      command: portWaitCommand(wait.target, wait.port, wait.stack),
      ...(profiles.length > 0 ? { profiles } : {}),
      networks: [wait.network],
      restart: 'no',
      deploy: { resources: { limits: { cpus: '0.1', memory: '32M' } } },
      user: '65534:65534',
      read_only: true,
      cap_drop: ['ALL'],
      security_opt: ['no-new-privileges:true'],
    });
  }
  return services;
}
