import { DNS_LABEL_MAX, startedServiceNameOf, withDigest } from '../../core/names';
import { CrossStackWaitModel, DependencyModel, WorkloadModel } from '../../model';
import { portWaitCommand } from '../port-wait';
import type { PodContext } from './pod';

/** The ServiceAccount of pods that wait for a Job: it may read those Jobs, and nothing else. */
export const JOB_WAITER = 'cdk-compose-job-waiter';

/** The pod volume that carries the job waiter's token, mounted into the waiting containers only. */
const TOKEN_VOLUME = 'job-waiter-token';
/** Where kubectl's in-cluster configuration looks for the token, the CA and the namespace. */
const TOKEN_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
/** kubectl keeps a discovery cache; the root file system is read-only. */
const CACHE_VOLUME = 'job-waiter-cache';
const CACHE_PATH = '/tmp/kubectl';

/**
 * What every container the library adds runs with: the restricted Pod Security Standard
 * (non-root with a group of its own, no privilege escalation, every capability dropped, the
 * runtime's seccomp profile from the pod), a read-only root file system and small resources.
 */
const SECURITY = {
  runAsNonRoot: true,
  runAsUser: 65534,
  runAsGroup: 65534,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
};

/**
 * Whether waiting for `dependency` to have started needs the target's `-started` Service: its
 * own Service resolves to ready pods only, which is what healthy means, not started.
 */
export function waitsForStartOnly(dependency: DependencyModel, target: WorkloadModel): boolean {
  return dependency.condition === 'started' && target.kind !== 'job' && target.healthCheck !== undefined && !target.resolvableBeforeReady;
}

/** The Service that resolves to the target's pods once they run, ready or not (decision 15). */
export function startedServiceName(target: WorkloadModel): string {
  return startedServiceNameOf(target.name);
}

/**
 * The init container that makes `workload` wait for a dependency on Kubernetes: `kubectl wait`
 * for a Job to complete; else `nc -z` until the target answers on its first port: through its
 * Service, which answers once a pod is ready (a Service routes to ready pods only), for
 * 'healthy'; through its `-started` Service, which publishes pods that are not ready yet, for
 * 'started': the pod runs and its process listens, the closest a pod comes to Compose's
 * `service_started` (decision 15).
 */
export function renderWait(workload: WorkloadModel, dependency: DependencyModel, context: PodContext): Record<string, unknown>[] {
  const targetName = dependency.target;
  const target = context.workload(targetName);
  if (!target) return [];
  const name = waitContainerName(workload, targetName);
  if (target.kind === 'job') {
    return [
      {
        name,
        image: context.model.kubectlImage,
        command: ['kubectl', `--cache-dir=${CACHE_PATH}`, 'wait', '--for=condition=complete', '--timeout=600s', `job/${context.jobName(target.name)}`],
        resources: {
          limits: { cpu: '200m', memory: '128Mi', 'ephemeral-storage': '32Mi' },
          requests: { cpu: '10m', memory: '32Mi', 'ephemeral-storage': '8Mi' },
        },
        volumeMounts: [
          { name: TOKEN_VOLUME, mountPath: TOKEN_PATH, readOnly: true },
          { name: CACHE_VOLUME, mountPath: CACHE_PATH },
        ],
        securityContext: SECURITY,
      },
    ];
  }
  const port = target.ports[0];
  if (!port) {
    context.messages.push({
      level: 'warning',
      path: workload.path,
      message: `waits for ${target.name}, which has no port to wait for on Kubernetes; ${workload.name} may start first there`,
    });
    return [];
  }
  const host = waitsForStartOnly(dependency, target) ? startedServiceName(target) : target.name;
  return [portWaitContainer(name, context.model.waitImage, portWaitCommand(host, port.containerPort))];
}

/**
 * The init container that makes `workload` wait for a workload of another stack applied to the
 * same namespace: `nc -z` on its Service until it answers, which it does once a pod is ready
 * (decision 16).
 */
export function renderCrossStackWait(
  workload: WorkloadModel,
  wait: CrossStackWaitModel,
  context: Pick<PodContext, 'model'>,
  host: string = wait.target,
): Record<string, unknown> {
  return portWaitContainer(waitContainerName(workload, wait.target), context.model.waitImage, portWaitCommand(host, wait.port, wait.stack));
}

function portWaitContainer(name: string, image: string, command: string[]): Record<string, unknown> {
  return {
    name,
    image,
    command,
    resources: {
      limits: { cpu: '100m', memory: '32Mi', 'ephemeral-storage': '8Mi' },
      requests: { cpu: '10m', memory: '16Mi', 'ephemeral-storage': '1Mi' },
    },
    securityContext: SECURITY,
  };
}

/**
 * The volumes of a pod that waits for a Job: the ServiceAccount token (with the cluster's CA and
 * the namespace, as the automatic mount would have them) and kubectl's cache. The pod turns the
 * automatic mount off, so the workload's own container never holds the token.
 */
export function jobWaiterVolumes(): Record<string, unknown>[] {
  return [
    {
      name: TOKEN_VOLUME,
      projected: {
        sources: [
          { serviceAccountToken: { path: 'token', expirationSeconds: 3607 } },
          { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
          { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
        ],
      },
    },
    { name: CACHE_VOLUME, emptyDir: { sizeLimit: '32Mi' } },
  ];
}

/**
 * The name of an init container that waits for `targetName`: `wait-for-<target>`; when that
 * is longer than a container name may be, or is the name of the main container, its first 52
 * characters and `-<digest of the target>`.
 */
function waitContainerName(workload: WorkloadModel, targetName: string): string {
  const name = `wait-for-${targetName}`;
  return name.length <= DNS_LABEL_MAX && name !== workload.name ? name : withDigest(name, targetName);
}
