import { MessageModel, RenderResult, StackModel, isRenderedOnKubernetes } from '../../model';
import { KubernetesManifests, KubernetesObject, renderKubernetes, splitImageReference } from '../k8s';
import { envFileConfigMapName, objectLabels } from '../k8s/format';
import { withKubernetesNames } from '../k8s/kubernetes-names';
import { chartYaml, notesText } from './chart-files';
import { ChartNames } from './chart-names';
import { HostRenames } from './hosts';
import { ChartContext, templateOf } from './object-templates';
import { TemplateText } from './template-text';
import { WorkloadValues, externalHostValue, parameterValue, valuesSchema, valuesYaml } from './values';

/** Options for `renderHelmChart`. */
export interface HelmChartOptions {
  /** The chart's version (SemVer 2). */
  readonly version: string;
  /** The version of the application it deploys. */
  readonly appVersion?: string;
  /** The comment at the top of every file. */
  readonly header: string;
  /**
   * The Kubernetes rendering of the same model, when the caller has made it already: the chart
   * is made of its objects.
   *
   * @default - rendered here
   */
  readonly kubernetes?: KubernetesManifests;
}

/** A file of the chart, relative to its folder. */
export interface ChartFile {
  readonly path: string;
  readonly content: string;
}

/** A Helm chart as the text of its files. */
export interface HelmChart {
  readonly files: readonly ChartFile[];
}

/**
 * Renders a stack model as a Helm chart that means what its Kubernetes manifests mean: the
 * objects `renderKubernetes` makes, turned into templates (object-templates.ts) that name them
 * after the release and read from values what a deployment chooses (values.ts). The Secrets and
 * ConfigMaps kustomize would generate are not the chart's: the pods read an existing Secret named
 * by a value, and a ConfigMap of the parameters' values.
 */
export function renderHelmChart(model: StackModel, options: HelmChartOptions): RenderResult<HelmChart> {
  // Its messages are the Kubernetes rendering's own, which synth reports with that rendering.
  const kubernetes = options.kubernetes ?? renderKubernetes(model).documents;
  const kube = withKubernetesNames(model);
  const names = new ChartNames(kube.name);
  const text = new TemplateText(kubernetes);
  const header = `${options.header}\n`;
  const messages: MessageModel[] = [];

  const objects = kubernetes.files.map((f) => f.object);
  const generators = Array.isArray(kubernetes.kustomization.configMapGenerator) ? (kubernetes.kustomization.configMapGenerator as { name: string }[]) : [];
  // Objects of the stack as a whole are named after the stack (`<stack>-default-deny-ingress`);
  // the fullname holds the chart's name, which is the stack's, already.
  const ofStack = new Set([
    ...objects.filter((o) => o.metadata.labels?.['app.kubernetes.io/name'] === undefined).map((o) => o.metadata.name),
    ...generators.map((g) => g.name),
  ].filter((n) => n.startsWith(`${kube.name}-`)));
  const objectNames = new Map<string, string>();
  const name = (n: string) => {
    let token = objectNames.get(n);
    if (token === undefined) objectNames.set(n, (token = text.action(names.object(ofStack.has(n) ? n.slice(kube.name.length + 1) : n))));
    return token;
  };
  const jobNames = new Map<string, string>();
  const jobName = (workload: string) => {
    let token = jobNames.get(workload);
    if (token === undefined) jobNames.set(workload, (token = text.action(names.job(workload))));
    return token;
  };

  const rendered = kube.workloads.filter((w) => isRenderedOnKubernetes(w, kube.profiles));
  const services = new Set(objects.filter((o) => o.kind === 'Service').map((o) => o.metadata.name));
  const renames = new Map([...services].map((s) => [s, name(s)]));
  const externalHosts = [...new Set(rendered.flatMap((w) => [...(w.hostsElsewhere ?? []), ...w.waitsAcrossStacks.map((wait) => wait.target)]))].sort();
  for (const host of externalHosts) renames.set(host, text.action(externalHostValue(host)));
  const hosts = new HostRenames(renames);

  const jobs = new Map(objects.filter((o) => o.kind === 'Job').map((o) => [o.metadata.name, String(o.metadata.labels?.['app.kubernetes.io/name'])]));
  const context: ChartContext = {
    model: kube,
    names,
    text,
    hosts,
    name,
    jobName,
    workloads: new Map(kube.workloads.map((w) => [w.name, w])),
    jobs,
    envFileMaps: new Set(
      rendered.flatMap((w) => (w.envFileChoice ? w.envFileChoice.options.map((o) => envFileConfigMapName(w, o.value)) : w.envFiles.length > 0 ? [envFileConfigMapName(w)] : [])),
    ),
    envFileChoices: new Map(
      rendered.flatMap((w) => {
        if (!w.envFileChoice || w.kind === 'job') return [];
        const name = envFileConfigMapName(w);
        return [[name, { prefix: name.slice(0, name.lastIndexOf('.')), parameter: w.envFileChoice.parameter }] as const];
      }),
    ),
    header,
  };

  // Helm installs into the release's namespace (`--namespace`, `--create-namespace`), which a chart
  // does not own: the Namespace the manifests write for the stack stays out, and NOTES.txt gives its
  // Pod Security labels.
  const namespaces = kubernetes.files.filter((f) => f.object.kind === 'Namespace').map((f) => f.object);
  const templates: ChartFile[] = kubernetes.files
    .filter((file) => file.object.kind !== 'Namespace')
    .map((file) => ({ path: `templates/${file.fileName}`, content: templateOf(file.object, context) }));
  for (const generator of generators) {
    // What kustomize generates from parameters.env: one key per parameter, its value from values.
    const object: KubernetesObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: generator.name, labels: objectLabels(kube) },
      data: Object.fromEntries(kube.parameters.map((p) => [p.name, text.action(`${parameterValue(p.name)} | toJson`)])),
    };
    templates.push({ path: `templates/configmap-${generator.name}.yaml`, content: templateOf(object, context) });
  }
  reportKeptWords(rendered, objects, hosts, messages);

  const valuesInput = {
    chart: kube.name,
    stack: model.name,
    workloads: workloadValuesOf(objects),
    secrets: kube.secrets,
    ...(generators.length > 0 ? { parameters: kube.parameters } : {}),
    parameterChoices: new Map(rendered.flatMap((w) => (w.envFileChoice ? [[w.envFileChoice.parameter, w.envFileChoice.options.map((o) => o.value)] as const] : []))),
    externalHosts,
    networkPolicies: objects.some((o) => o.kind === 'NetworkPolicy'),
  };
  // Who waits for each workload, in the order of the workloads: one pass, not one per job.
  const waitersOf = new Map<string, string[]>();
  for (const w of rendered) {
    for (const target of new Set(w.dependsOn.map((d) => d.target))) {
      const waiters = waitersOf.get(target);
      if (waiters) waiters.push(w.name);
      else waitersOf.set(target, [w.name]);
    }
  }
  const notes = notesText({
    names,
    secrets: kube.secrets,
    jobs: rendered.filter((w) => w.kind === 'job' && waitersOf.has(w.name)).map((job) => ({ job: job.name, waiters: waitersOf.get(job.name) ?? [] })),
    endpoints: rendered.filter((w) => w.publicEndpoint !== undefined),
    podSecurityLabels: Object.fromEntries(
      namespaces.flatMap((n) => Object.entries(n.metadata.labels ?? {})).filter(([k]) => k.startsWith('pod-security.kubernetes.io/')),
    ),
  });
  const files: ChartFile[] = [
    { path: 'Chart.yaml', content: chartYaml(kube.name, model.name, options.version, options.appVersion, options.header) },
    { path: 'values.yaml', content: valuesYaml(valuesInput, options.header) },
    { path: 'values.schema.json', content: JSON.stringify(valuesSchema(valuesInput), undefined, 2) + '\n' },
    { path: 'templates/_helpers.tpl', content: names.helpers() },
    { path: 'templates/NOTES.txt', content: notes },
    ...templates,
  ];
  return { documents: { files }, messages };
}

const CONTROLLER_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job'];

/** Each workload's values, with the defaults its controller and Ingress have in the manifests. */
function workloadValuesOf(objects: readonly KubernetesObject[]): WorkloadValues[] {
  const ingresses = new Map(objects.filter((o) => o.kind === 'Ingress').map((o) => [o.metadata.labels?.['app.kubernetes.io/name'], o]));
  return objects
    .filter((o) => CONTROLLER_KINDS.includes(o.kind))
    .map((object) => {
      const workload = String(object.metadata.labels?.['app.kubernetes.io/name']);
      const spec = object.spec as { replicas?: number; template: { spec: { containers: { image: string; resources?: Record<string, unknown> }[] } } };
      const container = spec.template.spec.containers[0];
      const { name: repository, tag, digest } = splitImageReference(container.image);
      const ingress = ingresses.get(workload)?.spec as
        | { ingressClassName?: string; tls?: { secretName: string }[]; rules: { host: string }[] }
        | undefined;
      return {
        name: workload,
        kind: object.kind,
        image: { repository, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) },
        ...(typeof spec.replicas === 'number' ? { replicas: spec.replicas } : {}),
        resources: container.resources ?? {},
        ...(ingress ? { ingress: { host: ingress.rules[0].host, tlsSecretName: ingress.tls?.[0]?.secretName, className: ingress.ingressClassName } } : {}),
      };
    });
}

/**
 * A note for each bare word of a container's command or environment that names another
 * workload's Service: the chart keeps it as written (hosts.ts), so if it is meant as a host it
 * does not reach the release's Service.
 */
function reportKeptWords(rendered: StackModel['workloads'], objects: readonly KubernetesObject[], hosts: HostRenames, messages: MessageModel[]): void {
  // The first controller of each workload, as a lookup: one pass over the objects, not one per workload.
  const controllers = new Map<unknown, KubernetesObject>();
  for (const o of objects) {
    const name = o.metadata.labels?.['app.kubernetes.io/name'];
    if (CONTROLLER_KINDS.includes(o.kind) && !controllers.has(name)) controllers.set(name, o);
  }
  for (const workload of rendered) {
    const controller = controllers.get(workload.name);
    const container = (controller?.spec as { template?: { spec?: { containers?: { command?: string[]; args?: string[]; env?: { name: string; value?: string }[] }[] } } })?.template?.spec?.containers?.[0];
    if (!container) continue;
    const words = [
      ...[...(container.command ?? []), ...(container.args ?? [])].map((w) => ({ where: 'command', found: hosts.keptWords(w) })),
      ...(container.env ?? []).filter((e) => e.value !== undefined).map((e) => ({ where: `environment ${e.name}`, found: hosts.keptWords(e.value as string, e.name) })),
    ];
    for (const { where, found } of words) {
      for (const host of found.filter((h) => h !== workload.name)) {
        messages.push({
          level: 'info',
          path: workload.path,
          message:
            `the ${where} names ${host} as a bare word, which the Helm chart keeps as written while it names the Service ${host} after the release; ` +
            `if it is meant as a host, write it with its port (${host}:<port>) or as a URL, which the chart follows`,
        });
      }
    }
  }
}
