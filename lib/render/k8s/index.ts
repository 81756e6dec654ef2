import { MessageModel, RenderResult, StackModel, WorkloadModel, isRenderedOnKubernetes, kubernetesExclusionReason } from '../../model';
import { kubernetesName } from '../../core/names';
import { envFileConfigMapName, jobSecretName, objectLabels, parametersConfigMapName, serviceSecretName } from './format';
import { withKubernetesNames } from './kubernetes-names';
import { PROFILES_FOLDER, ProfileOverlay, profileOverlay, profileOverlayOf, profilesLeftOff } from './profile-overlays';
import { PodContext, renderPodTemplate } from './pod';
import { renderNetworkPolicies } from './network-policies';
import { renderJobWaiterAccess, renderNamespace, renderVolumeClaims } from './stack-objects';
import { KubernetesObject, jobObjectName, renderConfigMaps, renderController, renderIngress, renderService, renderStartedService } from './workload-objects';
import { startedServiceName, waitsForStartOnly } from './wait-containers';

export { KubernetesObject } from './workload-objects';
export { ProfileOverlay } from './profile-overlays';

/** One Kubernetes object and the file it is written to. */
export interface ManifestFile {
  readonly fileName: string;
  readonly object: KubernetesObject;
}

/** The Kubernetes rendering of a stack: its objects and the kustomization that applies them. */
export interface KubernetesManifests {
  readonly files: readonly ManifestFile[];
  readonly kustomization: Record<string, unknown>;
  /** Text files the kustomization reads (`parameters.env`), by name. */
  readonly textFiles: readonly { readonly fileName: string; readonly content: string }[];
  /** A kustomization per profile the stack leaves off, in `k8s-profiles/<profile>/`, that adds it. */
  readonly profileOverlays: readonly ProfileOverlay[];
}

/** Renders a stack model as Kubernetes objects and a kustomization. */
export function renderKubernetes(composeNamed: StackModel): RenderResult<KubernetesManifests> {
  const model = withKubernetesNames(composeNamed);
  const base = renderStack(model);
  const profileOverlays = profilesLeftOff(model).map((profile) =>
    profileOverlay(model, profile, base.documents, renderStack({ ...model, profiles: [...model.profiles, profile] }).documents),
  );
  return { documents: { ...base.documents, profileOverlays }, messages: base.messages };
}

function renderStack(model: StackModel): RenderResult<Omit<KubernetesManifests, 'profileOverlays'>> {
  const messages: MessageModel[] = [];
  const jobNames = new Map<string, string>();
  const byName = new Map(model.workloads.map((w) => [w.name, w]));
  const context: PodContext = {
    model,
    messages,
    workload: (name) => byName.get(name),
    jobName: (name) => {
      // A job's name depends on its spec, which depends on the names of the jobs it waits for.
      const known = jobNames.get(name);
      if (known) return known;
      const job = byName.get(name) as WorkloadModel;
      const computed = jobObjectName(job, renderPodTemplate(job, { ...context, messages: [] }));
      jobNames.set(name, computed);
      return computed;
    },
  };

  const files: ManifestFile[] = [];
  const fileNames = new Set<string>();
  const add = (object: KubernetesObject | undefined) => {
    if (!object) return;
    const fileName = `${object.kind.toLowerCase()}-${fileStem(object)}.yaml`;
    // Objects whose names differ only in their digest (a config file named `env` and the env
    // files of its workload) would share a file: a later one keeps its whole name.
    const taken = fileNames.has(fileName);
    fileNames.add(fileName);
    files.push({ fileName: taken ? `${object.kind.toLowerCase()}-${object.metadata.name}.yaml` : fileName, object });
  };
  add(renderNamespace(model));
  const rendered = model.workloads.filter((w) => isRenderedOnKubernetes(w, model.profiles));
  const deployable = model.workloads.filter((w) => w.composeOnly === undefined);
  for (const workload of model.workloads) {
    if (!isRenderedOnKubernetes(workload, model.profiles)) {
      const profile = workload.composeOnly === undefined ? profileOverlayOf(workload, model) : undefined;
      messages.push({
        level: 'info',
        path: workload.path,
        message:
          `left out on Kubernetes: ${kubernetesExclusionReason(workload, model.profiles)}` +
          (profile ? `; kubectl apply -k ${PROFILES_FOLDER}/${profile} deploys the stack with it` : ''),
      });
      continue;
    }
    add(renderController(workload, context));
    add(renderService(model, workload));
    add(renderIngress(model, workload));
    renderConfigMaps(model, workload).forEach(add);
    reportComposeOnly(workload, messages);
  }
  // Targets some workload waits for to have started only (decision 15).
  const startedOnly = new Set(
    rendered.flatMap((w) => w.dependsOn.filter((d) => byName.has(d.target) && waitsForStartOnly(d, byName.get(d.target) as WorkloadModel)).map((d) => d.target)),
  );
  for (const target of [...startedOnly].sort()) {
    const workload = byName.get(target) as WorkloadModel;
    if (workload.ports.length > 0) add(renderStartedService(model, workload, startedServiceName(workload)));
  }
  reportNetworks(model, messages);
  renderVolumeClaims(model, messages).forEach(add);
  renderNetworkPolicies(model, rendered).forEach(add);
  const awaitedJobs = [
    ...new Set(rendered.flatMap((w) => w.dependsOn.filter((d) => byName.get(d.target)?.kind === 'job').map((d) => context.jobName(d.target)))),
  ].sort();
  if (awaitedJobs.length > 0) renderJobWaiterAccess(model, awaitedJobs).forEach(add);

  const kustomization: Record<string, unknown> = {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    ...(model.namespace ? { namespace: model.namespace } : {}),
    resources: files.map((f) => f.fileName),
    // Generators cover the workloads of every profile: a profile's kustomization builds on this one.
    ...(model.secrets.length > 0 ? { secretGenerator: secretGenerators(model, deployable) } : {}),
    ...parameterGenerators(model, deployable),
    ...imageParameters(rendered),
    ...replicaParameters(rendered),
    ...envFileChoiceReplacements(model, rendered, files),
  };
  const textFiles = 'configMapGenerator' in kustomization ? [{ fileName: PARAMETERS_FILE, content: parametersFile(model) }] : [];
  return { documents: { files, kustomization, textFiles }, messages };
}

const PARAMETERS_FILE = 'parameters.env';

/** The ConfigMaps of deploy-time values that env variables read, one per kind of reader as for secrets. */
function parameterGenerators(model: StackModel, rendered: readonly WorkloadModel[]): Record<string, unknown> {
  // An env file choice reads its parameter there too, through a replacement (jobs have none).
  const uses = (w: WorkloadModel) => w.env.some((e) => e.parts.some((p) => p.kind === 'param')) || w.envFileChoice !== undefined;
  const generators: Record<string, unknown>[] = [];
  // Labelled as the stack's other objects, which the chart's copy of it is too.
  const labels = objectLabels(model);
  if (rendered.some((w) => w.kind !== 'job' && uses(w))) {
    generators.push({ name: parametersConfigMapName(model), envs: [PARAMETERS_FILE], options: { labels } });
  }
  const job = rendered.find((w) => w.kind === 'job' && uses(w));
  if (job) {
    generators.push({ name: parametersConfigMapName(model, job), envs: [PARAMETERS_FILE], options: { disableNameSuffixHash: true, labels } });
  }
  return generators.length > 0 ? { configMapGenerator: generators } : {};
}

/** `NAME=default` for every parameter; one without a default is written empty, to be set by an overlay. */
function parametersFile(model: StackModel): string {
  const lines = ['# Deploy-time parameters of this stack, as the kustomization reads them. Generated by synth:', '# set other values in an overlay (configMapGenerator with behavior: merge).'];
  for (const parameter of model.parameters) lines.push(`${parameter.name}=${parameter.default ?? ''}`);
  return lines.join('\n') + '\n';
}

/**
 * An `images:` entry for each image chosen by a parameter, so that `kustomize edit set image`
 * sets it as Compose's `${NAME:-default}` does.
 */
/**
 * A replica count chosen at deploy time is a `replicas:` entry of the kustomization at its
 * default, so that `kustomize edit set replicas web=3` (or an overlay) sets it, as
 * `WEB_REPLICAS=3 docker compose up` does on Compose.
 */
function replicaParameters(rendered: readonly WorkloadModel[]): Record<string, unknown> {
  const counts = rendered
    .filter((w) => w.replicasParameter !== undefined && w.kind === 'service' && !w.perNode)
    .map((w) => ({ name: w.name, count: w.replicas }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return counts.length > 0 ? { replicas: counts } : {};
}

function imageParameters(rendered: readonly WorkloadModel[]): Record<string, unknown> {
  const images = new Map<string, Record<string, string>>();
  for (const workload of rendered) {
    if (!workload.imageTemplate || !workload.image) continue;
    const { name, tag, digest: imageDigest } = splitImageReference(workload.image);
    // A tag pinned to a digest stays both: kustomize's `digest:` alone would drop the tag, which
    // Compose's reference keeps (a `newTag` holding `@` is kustomize's way of keeping it).
    const newTag = tag && imageDigest ? `${tag}@${imageDigest}` : tag;
    images.set(name, { name, ...(newTag ? { newTag } : imageDigest ? { digest: imageDigest } : {}) });
  }
  return images.size > 0 ? { images: [...images.values()].sort((a, b) => a.name.localeCompare(b.name)) } : {};
}

/**
 * An env file chosen at deploy time is a ConfigMap per choice; a replacement copies the
 * parameter's value from the generated ConfigMap of parameters into the name the pods read,
 * after the dot, so that `k8s/parameters.env` (or an overlay's) chooses as `.env` does on Compose.
 */
function envFileChoiceReplacements(model: StackModel, rendered: readonly WorkloadModel[], files: readonly ManifestFile[]): Record<string, unknown> {
  const targets = new Map<string, Record<string, unknown>[]>();
  for (const workload of rendered) {
    if (!workload.envFileChoice || workload.kind === 'job') continue;
    const controller = files.find((f) => ['Deployment', 'StatefulSet', 'DaemonSet'].includes(f.object.kind) && f.object.metadata.name === workload.name)?.object;
    const containers = ((controller?.spec as { template?: { spec?: { containers?: { name: string; envFrom?: { configMapRef?: { name: string } }[] }[] } } })?.template?.spec?.containers) ?? [];
    const container = containers.find((c) => c.name === workload.name);
    const index = (container?.envFrom ?? []).findIndex((source) => source.configMapRef?.name === envFileConfigMapName(workload));
    if (!controller || !container || index < 0) continue;
    const parameter = workload.envFileChoice.parameter;
    if (!targets.has(parameter)) targets.set(parameter, []);
    targets.get(parameter)?.push({
      select: { kind: controller.kind, name: workload.name },
      fieldPaths: [`spec.template.spec.containers.[name=${workload.name}].envFrom.${index}.configMapRef.name`],
      options: { delimiter: '.', index: 1 },
    });
  }
  const replacements = [...targets].map(([parameter, of]) => ({
    source: { kind: 'ConfigMap', name: parametersConfigMapName(model), fieldPath: `data.${parameter}` },
    targets: of,
  }));
  return replacements.length > 0 ? { replacements } : {};
}

/** `registry:5000/app:1.2@sha256:..` -> name `registry:5000/app`, tag `1.2`, digest `sha256:..`. */
export function splitImageReference(image: string): { name: string; tag?: string; digest?: string } {
  const [withoutDigest, digestPart] = image.split('@');
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  const hasTag = colon > slash;
  return {
    name: hasTag ? withoutDigest.slice(0, colon) : withoutDigest,
    ...(hasTag ? { tag: withoutDigest.slice(colon + 1) } : {}),
    ...(digestPart ? { digest: digestPart } : {}),
  };
}

function secretGenerators(model: StackModel, rendered: readonly WorkloadModel[]): Record<string, unknown>[] {
  const generators: Record<string, unknown>[] = [];
  const uses = (w: WorkloadModel) => w.env.some((e) => e.parts.some((p) => p.kind === 'secret'));
  if (rendered.some((w) => w.kind !== 'job' && uses(w))) {
    generators.push({ name: serviceSecretName(model), envs: ['.env'] });
  }
  if (rendered.some((w) => w.kind === 'job' && uses(w))) {
    generators.push({ name: jobSecretName(model), envs: ['.env'], options: { disableNameSuffixHash: true } });
  }
  return generators;
}

/** Files of objects named by a digest keep the plain name, so that a changed spec rewrites the same file. */
function fileStem(object: KubernetesObject): string {
  if (object.kind === 'Job' || object.kind === 'ConfigMap') {
    // `web-env-0123456789.prod` (an env file chosen at deploy time) -> `web-env.prod`.
    return object.metadata.name.replace(/-[0-9a-f]{10}(\.[a-z0-9-]+)?$/, '$1');
  }
  return object.metadata.name;
}

function reportNetworks(model: StackModel, messages: MessageModel[]): void {
  for (const network of model.networks) {
    const stacks = checkedStacksThrough(model, network.name);
    messages.push({
      level: network.external && stacks === undefined ? 'warning' : 'info',
      path: network.path,
      message: !network.external
        ? `network ${network.name} is left out on Kubernetes, where the NetworkPolicies of the connection graph keep workloads apart`
        : stacks === undefined
          ? `external network ${network.name} is left out on Kubernetes: workloads of the namespace reach each other directly; ` +
            'deploy the services this stack reaches through it into the same namespace'
          : `external network ${network.name} is left out on Kubernetes, where what this stack reaches through it are Services of ${stacks.join(', ')} in the same namespace`,
    });
  }
}

/**
 * The stacks whose workloads this stack reaches through `network` when it reaches nothing else
 * there: each was checked to share the namespace (decision 16). Undefined when the stack
 * reaches a host through the network that no wait across stacks accounts for, or none.
 */
function checkedStacksThrough(model: StackModel, network: string): string[] | undefined {
  const on = model.workloads.filter((w) => w.networks.includes(network));
  const waits = on.flatMap((w) => w.waitsAcrossStacks.filter((wait) => wait.network === network));
  if (waits.length === 0) return undefined;
  const waited = new Set(waits.map((wait) => kubernetesName(wait.target)));
  if (on.some((w) => (w.hostsElsewhere ?? []).some((host) => !waited.has(kubernetesName(host))))) return undefined;
  return [...new Set(waits.map((wait) => `stack ${wait.stack}`))].sort();
}

function reportComposeOnly(workload: WorkloadModel, messages: MessageModel[]): void {
  // Settings that exist on Compose only are deliberate differences of the targets: notes, which
  // strict mode does not fail on (decision 14).
  if (workload.logging) {
    messages.push({
      level: 'info',
      path: workload.path,
      message: `logging driver ${workload.logging.driver} and its options are left out on Kubernetes, where the cluster's log pipeline collects container output`,
    });
  }
  if (workload.containerName) {
    // On Compose a container name is also a host name on the project network; a cluster has no such alias.
    messages.push({
      level: 'info',
      path: workload.path,
      message:
        `container name ${workload.containerName} is left out on Kubernetes, where the controller names the pods` +
        // Only worth saying when the names differ: the Service answers to the workload's name.
        (workload.ports.length > 0 && workload.kind !== 'job' && workload.containerName !== workload.name ? `; other workloads reach it as ${workload.name} (its Service), not as ${workload.containerName}` : ''),
    });
  }
  for (const port of workload.ports) {
    if (port.hostPort === undefined) continue;
    messages.push({
      level: 'info',
      path: workload.path,
      message:
        `${port.hostPort === 0 ? 'a free host port (hostPort 0)' : `host port ${port.hostPort}`} is published on Compose only; on Kubernetes port ${port.containerPort} is reachable inside the cluster` +
        (workload.kind === 'job' ? '' : ` through Service ${workload.name}`) +
        (workload.publicEndpoint ? ` and publicly through its Ingress` : '; declare a publicEndpoint to expose it'),
    });
  }
}
