import { MessageModel, RenderResult, StackModel, WorkloadModel } from '../../model';
import { secretName } from './format';
import { PodContext, renderPodTemplate } from './pod';
import { renderJobWaiterAccess, renderVolumeClaims } from './stack-objects';
import { KubernetesObject, jobObjectName, renderController, renderIngress, renderService } from './workload-objects';

export { KubernetesObject } from './workload-objects';

/** One Kubernetes object and the file it is written to. */
export interface ManifestFile {
  readonly fileName: string;
  readonly object: KubernetesObject;
}

/** The Kubernetes rendering of a stack: its objects and the kustomization that applies them. */
export interface KubernetesManifests {
  readonly files: readonly ManifestFile[];
  readonly kustomization: Record<string, unknown>;
}

/** Renders a stack model as Kubernetes objects and a kustomization. */
export function renderKubernetes(model: StackModel): RenderResult<KubernetesManifests> {
  const messages: MessageModel[] = [];
  const jobNames = new Map<string, string>();
  const context: PodContext = {
    model,
    messages,
    jobName: (name) => {
      // A job's name depends on its spec, which depends on the names of the jobs it waits for.
      const known = jobNames.get(name);
      if (known) return known;
      const job = model.workloads.find((w) => w.name === name) as WorkloadModel;
      const computed = jobObjectName(job, renderPodTemplate(job, { ...context, messages: [] }));
      jobNames.set(name, computed);
      return computed;
    },
  };

  const files: ManifestFile[] = [];
  const add = (object: KubernetesObject | undefined) => {
    if (object) files.push({ fileName: `${object.kind.toLowerCase()}-${fileStem(object)}.yaml`, object });
  };
  for (const workload of model.workloads) {
    add(renderController(workload, context));
    add(renderService(model, workload));
    add(renderIngress(model, workload));
    reportComposeOnly(workload, messages);
  }
  renderVolumeClaims(model, messages).forEach(add);
  const waitsForJobs = model.workloads.some((w) =>
    w.dependsOn.some((d) => model.workloads.find((t) => t.name === d.target)?.kind === 'job'),
  );
  if (waitsForJobs) renderJobWaiterAccess(model).forEach(add);

  const kustomization: Record<string, unknown> = {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    ...(model.namespace ? { namespace: model.namespace } : {}),
    resources: files.map((f) => f.fileName),
    ...(model.secrets.length > 0 ? { secretGenerator: [{ name: secretName(model), envs: ['.env'] }] } : {}),
  };
  return { documents: { files, kustomization }, messages };
}

/** Job files keep the workload's name so that a changed spec rewrites the same file. */
function fileStem(object: KubernetesObject): string {
  return object.kind === 'Job' ? (object.metadata.labels?.['app.kubernetes.io/name'] ?? object.metadata.name) : object.metadata.name;
}

function reportComposeOnly(workload: WorkloadModel, messages: MessageModel[]): void {
  for (const port of workload.ports) {
    if (port.hostPort === undefined) continue;
    messages.push({
      level: 'warning',
      path: workload.path,
      message:
        `host port ${port.hostPort} is published on Compose only; on Kubernetes port ${port.containerPort} is reachable inside the cluster` +
        (workload.kind === 'job' ? '' : ` through Service ${workload.name}`) +
        (workload.publicEndpoint ? ` and publicly through its Ingress` : '; declare a publicEndpoint to expose it'),
    });
  }
}
