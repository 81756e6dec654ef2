import { PodSecurityLevel, WorkloadModel } from '../model';

/** One control of the Pod Security Standards a workload's pods fail, and what to set instead. */
export interface PodSecurityViolation {
  /** The control's name as the Kubernetes docs ("Pod Security Standards") give it. */
  readonly control: string;
  readonly level: Exclude<PodSecurityLevel, 'privileged'>;
  readonly message: string;
}

/** Capabilities "baseline" lets a container add; "restricted" only NET_BIND_SERVICE. */
const BASELINE_CAPABILITIES = [
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
];
const RESTRICTED_CAPABILITIES = ['NET_BIND_SERVICE'];

/** Host paths the pods of a workload mount on Kubernetes (the renderer keeps them for per-node workloads only). */
export function kubernetesHostPaths(workload: WorkloadModel): string[] {
  if (!workload.perNode) return [];
  return workload.mounts.flatMap((m) => (m.kind === 'hostPath' && m.targets.includes('kubernetes') ? [m.source] : []));
}

/**
 * The controls of `level` the pods rendered for `workload` fail, judged from the model as the
 * Kubernetes renderer writes it: every pod has the RuntimeDefault seccomp profile, no host
 * namespaces, ports or privileged containers, and the library's own init containers pass
 * "restricted"; what is left is what the workload's `security` and mounts decide. The cluster
 * suite holds this to the API server's own verdict on the examples.
 */
export function podSecurityViolations(workload: WorkloadModel, level: PodSecurityLevel): PodSecurityViolation[] {
  if (level === 'privileged') return [];
  const s = workload.security;
  const violations: PodSecurityViolation[] = [];
  const hostPaths = kubernetesHostPaths(workload);
  // Restricted's allowed volume types leave hostPath out as well: one finding, named for the level asked.
  if (hostPaths.length > 0) {
    violations.push({
      control: level === 'restricted' ? 'Volume Types' : 'HostPath Volumes',
      level: 'baseline',
      message: `mounts host paths (${hostPaths.join(', ')}); deploy it to a namespace of its own at level "privileged"`,
    });
  }
  const beyondBaseline = s.addCapabilities.filter((c) => !BASELINE_CAPABILITIES.includes(c));
  if (beyondBaseline.length > 0) {
    violations.push({ control: 'Capabilities', level: 'baseline', message: `adds ${beyondBaseline.join(', ')}, beyond what baseline allows; remove it from security.addCapabilities` });
  }
  if (level === 'baseline') return violations;

  if (!s.noNewPrivileges) {
    violations.push({ control: 'Privilege Escalation', level: 'restricted', message: 'allows privilege escalation; leave security.noNewPrivileges at its default (true)' });
  }
  if (s.runAsUser === undefined) {
    violations.push({ control: 'Running as Non-root', level: 'restricted', message: "runs as the image's user, which may be root; set security.user to a numeric non-root id" });
  } else if (s.runAsUser === 0) {
    violations.push({ control: 'Running as Non-root user', level: 'restricted', message: 'runs as root (security.user is 0); set a non-root id' });
  }
  if (!s.dropCapabilities.includes('ALL')) {
    violations.push({ control: 'Capabilities', level: 'restricted', message: "keeps the default capabilities; set security.dropCapabilities: ['ALL']" });
  }
  const beyondRestricted = s.addCapabilities.filter((c) => !RESTRICTED_CAPABILITIES.includes(c) && BASELINE_CAPABILITIES.includes(c));
  if (beyondRestricted.length > 0) {
    violations.push({ control: 'Capabilities', level: 'restricted', message: `adds ${beyondRestricted.join(', ')}; restricted allows adding back NET_BIND_SERVICE only` });
  }
  return violations;
}
