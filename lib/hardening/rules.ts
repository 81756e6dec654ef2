import { DEVELOPMENT_ENVIRONMENTS, isDevelopmentEnvironment } from '../core/environment';
import { StackModel, WorkloadModel } from '../model';
import { kubernetesHostPaths } from './pod-security';

/** A hardening rule: what it asks for, and the problem it finds in a workload (or undefined). */
export interface HardeningRule {
  readonly id: string;
  readonly title: string;
  readonly check: (workload: WorkloadModel, stack: StackModel) => string | undefined;
}

/** Capabilities that amount to (nearly) root on the host. */
const DANGEROUS_CAPABILITIES = ['ALL', 'SYS_ADMIN', 'NET_ADMIN', 'SYS_PTRACE', 'SYS_MODULE', 'DAC_READ_SEARCH', 'BPF'];

/**
 * The rule pack run at every synth, in the spirit of cdk-nag. Each finding can be acknowledged
 * with a written reason (`Hardening.of(construct).acknowledge(...)`); `--strict` fails on the
 * findings that are not.
 */
export const HARDENING_RULES: readonly HardeningRule[] = [
  {
    id: 'CKC-USER',
    title: 'runs as a non-root user',
    check: (w) =>
      w.security.runAsUser === undefined
        ? 'runs as the image\'s user, which is often root; set security.user to a numeric non-root id'
        : w.security.runAsUser === 0
          ? 'runs as root (security.user is 0); use a non-root id'
          : undefined,
  },
  {
    id: 'CKC-READ-ONLY',
    title: 'has a read-only root filesystem',
    check: (w) =>
      w.security.readOnlyRootFilesystem
        ? undefined
        : 'can write to its root filesystem; set security.readOnlyRootFilesystem and mount Mount.tmpfs where it writes',
  },
  {
    id: 'CKC-CAPABILITIES',
    title: 'drops every Linux capability it does not need',
    check: (w) => {
      if (!w.security.dropCapabilities.includes('ALL')) {
        return "keeps the default Linux capabilities; set security.dropCapabilities: ['ALL'] and add back only what it needs";
      }
      // Those beyond baseline are CKC-PRIVILEGE's; these are what the restricted Pod Security Standard refuses besides.
      const added = w.security.addCapabilities.filter((c) => c !== 'NET_BIND_SERVICE' && !DANGEROUS_CAPABILITIES.includes(c));
      return added.length > 0
        ? `adds back ${added.join(', ')}, which the restricted Pod Security Standard refuses (only NET_BIND_SERVICE); run as a user that does not need them`
        : undefined;
    },
  },
  {
    id: 'CKC-PRIVILEGE',
    title: 'cannot gain privileges',
    check: (w) => {
      const dangerous = w.security.addCapabilities.filter((c) => DANGEROUS_CAPABILITIES.includes(c));
      if (dangerous.length > 0) return `adds capabilities that amount to root on the host: ${dangerous.join(', ')}`;
      return w.security.noNewPrivileges ? undefined : 'allows privilege escalation (security.noNewPrivileges is false)';
    },
  },
  {
    id: 'CKC-HOST-PATH',
    title: 'mounts no host path on Kubernetes',
    check: (w) => {
      const hostPaths = kubernetesHostPaths(w);
      return hostPaths.length > 0
        ? `mounts host paths (${hostPaths.join(', ')}) on Kubernetes, which the baseline and restricted Pod Security Standards refuse; deploy it to a namespace of its own`
        : undefined;
    },
  },
  {
    id: 'CKC-LIMITS',
    title: 'has CPU and memory limits',
    check: (w) => {
      const missing = [w.limits.cpuMillis === undefined ? 'cpu' : '', w.limits.memoryBytes === undefined ? 'memory' : ''].filter(Boolean);
      return missing.length > 0 ? `has no ${missing.join(' or ')} limit; set resources.limits so it cannot starve its neighbours` : undefined;
    },
  },
  {
    id: 'CKC-PINNED',
    title: 'uses an image pinned by tag or digest',
    check: (w) => {
      if (w.image === undefined) return undefined;
      if (w.image.includes('@sha256:')) return undefined;
      const lastSegment = w.image.split('/').pop() ?? w.image;
      const tag = lastSegment.includes(':') ? lastSegment.split(':').pop() : undefined;
      if (tag === undefined) return `image ${w.image} has no tag, which means :latest; pin a version or a digest`;
      if (tag === 'latest') return `image ${w.image} uses :latest, which changes under you; pin a version or a digest`;
      return undefined;
    },
  },
  {
    id: 'CKC-DATABASE-PORT',
    title: 'publishes no database port outside development',
    check: (w, stack) => {
      const published = w.ports.filter((p) => p.hostPort !== undefined);
      if (!w.stateful || published.length === 0 || isDevelopmentEnvironment(stack.environment)) return undefined;
      return (
        `publishes its data port on host port ${published.map((p) => p.hostPort).join(', ')} in ` +
        `${stack.environment ? `environment "${stack.environment}"` : 'a stack with no environment'}; ` +
        `publish it only in a development stack (environment ${DEVELOPMENT_ENVIRONMENTS.map((e) => `'${e}'`).join(', ')}, or a name starting with one)`
      );
    },
  },
  {
    id: 'CKC-HEALTH',
    title: 'has a health check',
    check: (w) =>
      w.kind === 'service' && w.healthCheck === undefined
        ? 'has no health check, so nothing can wait for it to be ready and a hung process is never restarted; add healthCheck'
        : undefined,
  },
];
