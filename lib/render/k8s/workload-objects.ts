import { StackModel, WorkloadModel } from '../../model';
import { nameDigest } from '../../core/names';
import { configMapName, envFileConfigMapName, envFileEntries, objectLabels, quantity, selectorLabels } from './format';
import { PodContext, renderPodTemplate } from './pod';

/** A Kubernetes object as plain data. */
export interface KubernetesObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  readonly [field: string]: unknown;
}

/**
 * The controller of a workload: a Deployment for a stateless service, a StatefulSet for one
 * with its own data, a Job for a one-shot.
 */
export function renderController(workload: WorkloadModel, context: PodContext): KubernetesObject {
  const { model } = context;
  const template = renderPodTemplate(workload, context);
  const kubernetesLabels = workload.labels.filter((l) => l.onKubernetes);
  const annotations = kubernetesLabels.length > 0 ? { annotations: Object.fromEntries(kubernetesLabels.map((l) => [l.name, l.value])) } : {};

  if (workload.kind === 'job') {
    return {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: context.jobName(workload.name), labels: objectLabels(model, workload), ...annotations },
      spec: { backoffLimit: workload.backoffLimit, template },
    };
  }
  const selector = { matchLabels: selectorLabels(model, workload) };
  if (workload.stateful) {
    const claims = workload.mounts.flatMap((m) =>
      m.kind === 'data'
        ? [
            {
              metadata: { name: m.name },
              spec: {
                accessModes: ['ReadWriteOnce'],
                ...(m.storageClass ? { storageClassName: m.storageClass } : {}),
                resources: { requests: { storage: quantity(m.sizeBytes) } },
              },
            },
          ]
        : [],
    );
    return {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: workload.name, labels: objectLabels(model, workload), ...annotations },
      spec: {
        serviceName: workload.name,
        replicas: workload.replicas,
        selector,
        template,
        ...(claims.length > 0 ? { volumeClaimTemplates: claims } : {}),
      },
    };
  }
  if (workload.perNode) {
    return {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: workload.name, labels: objectLabels(model, workload), ...annotations },
      spec: { selector, template },
    };
  }
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: workload.name, labels: objectLabels(model, workload), ...annotations },
    spec: { replicas: workload.replicas, selector, template },
  };
}

/**
 * The name of a job's Job object: the workload name and a digest of its spec. A Job's pod
 * template cannot be changed once created, so a changed spec must be a new Job (which also
 * runs it again, once per deploy that changes it).
 */
export function jobObjectName(workload: WorkloadModel, template: unknown): string {
  return `${workload.name}-${nameDigest({ template, backoffLimit: workload.backoffLimit })}`;
}

/** The Service in front of a workload's ports: headless for a StatefulSet, ClusterIP otherwise. */
export function renderService(model: StackModel, workload: WorkloadModel): KubernetesObject | undefined {
  if (workload.kind === 'job' || workload.ports.length === 0) return undefined;
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: workload.name, labels: objectLabels(model, workload) },
    spec: {
      ...(workload.stateful ? { clusterIP: 'None' } : { type: 'ClusterIP' }),
      // A Service's name resolves only to ready pods by default; a server that must reach
      // itself by that name before it can become ready would wait for itself forever.
      ...(workload.resolvableBeforeReady ? { publishNotReadyAddresses: true } : {}),
      selector: selectorLabels(model, workload),
      ports: workload.ports.map((p) => ({ name: p.name, port: p.containerPort, targetPort: p.name, protocol: p.protocol })),
    },
  };
}

/**
 * A headless Service over the workload's pods that publishes them before they are ready: what
 * a workload that waits for this one to have started (not to be healthy) waits on.
 */
export function renderStartedService(model: StackModel, workload: WorkloadModel, name: string): KubernetesObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, labels: objectLabels(model, workload) },
    spec: {
      clusterIP: 'None',
      publishNotReadyAddresses: true,
      selector: selectorLabels(model, workload),
      ports: workload.ports.slice(0, 1).map((p) => ({ name: p.name, port: p.containerPort, targetPort: p.name, protocol: p.protocol })),
    },
  };
}

export function renderIngress(model: StackModel, workload: WorkloadModel): KubernetesObject | undefined {
  const endpoint = workload.publicEndpoint;
  if (!endpoint) return undefined;
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: workload.name, labels: objectLabels(model, workload) },
    spec: {
      ...(endpoint.ingressClassName ? { ingressClassName: endpoint.ingressClassName } : {}),
      ...(endpoint.tlsSecretName ? { tls: [{ hosts: [endpoint.host], secretName: endpoint.tlsSecretName }] } : {}),
      rules: [
        {
          host: endpoint.host,
          http: {
            paths: [
              {
                path: endpoint.path,
                pathType: 'Prefix',
                backend: { service: { name: workload.name, port: { name: endpoint.portName } } },
              },
            ],
          },
        },
      ],
    },
  };
}

/** ConfigMaps of a workload: its config files and its env files. */
export function renderConfigMaps(model: StackModel, workload: WorkloadModel): KubernetesObject[] {
  const maps: KubernetesObject[] = [];
  for (const mount of workload.mounts) {
    if (mount.kind !== 'config') continue;
    maps.push({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: configMapName(mount), labels: objectLabels(model, workload) },
      data: { [mount.fileName]: mount.content },
    });
  }
  if (workload.envFiles.length > 0) {
    // One per choice of a file chosen at deploy time: the pods read the one the parameter names.
    const choices = workload.envFileChoice ? workload.envFileChoice.options.map((o) => o.value) : [undefined];
    for (const choice of choices) {
      maps.push({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: envFileConfigMapName(workload, choice), labels: objectLabels(model, workload) },
        data: envFileEntries(workload, choice),
      });
    }
  }
  return maps;
}
