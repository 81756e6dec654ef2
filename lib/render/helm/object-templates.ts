import { StackModel, WorkloadModel } from '../../model';
import { KubernetesObject } from '../k8s';
import { jobSecretName, parametersConfigMapName, serviceSecretName } from '../k8s/format';
import { HOSTS_ELSEWHERE_ANNOTATION, PodContext } from '../k8s/pod';
import { JOB_WAITER, renderCrossStackWait, renderWait } from '../k8s/wait-containers';
import { ChartNames } from './chart-names';
import { HostRenames } from './hosts';
import { TemplateText, goString } from './template-text';
import { NETWORK_POLICIES_ENABLED, parameterValue, workloadValues } from './values';

/**
 * Kubernetes objects as Helm templates: the objects `renderKubernetes` made, with every name
 * the release's, every label set and selector of the stack's own pods narrowed to the release,
 * and the values a deployment chooses read from `.Values`. Each field this changes is named
 * here, by kind; a kind this file does not know fails synth, so that a new object of the
 * Kubernetes renderer cannot reach a chart unnamed.
 */

type Json = Record<string, unknown>;

const PART_OF = 'app.kubernetes.io/part-of';
const INSTANCE = 'app.kubernetes.io/instance';
const MANAGED_BY = 'app.kubernetes.io/managed-by';
const CHART = 'helm.sh/chart';

/** What transforming the objects of one stack needs. */
export interface ChartContext {
  /** The stack as Kubernetes names it (`withKubernetesNames`). */
  readonly model: StackModel;
  readonly names: ChartNames;
  readonly text: TemplateText;
  readonly hosts: HostRenames;
  /** The action token of the release's name of the object `name`. */
  readonly name: (name: string) => string;
  /** The action token of the name of the Job of the one-shot `workload`. */
  readonly jobName: (workload: string) => string;
  /** The stack's workloads, by name. */
  readonly workloads: ReadonlyMap<string, WorkloadModel>;
  /** The workload of each Job object, by the Job's name in the manifests. */
  readonly jobs: ReadonlyMap<string, string>;
  /** The names of the ConfigMaps that hold env files (the others hold config files). */
  readonly envFileMaps: ReadonlySet<string>;
  /**
   * The env files chosen at deploy time, by the name of the default's ConfigMap: the name before
   * the choice, and the parameter that chooses.
   */
  readonly envFileChoices: ReadonlyMap<string, { readonly prefix: string; readonly parameter: string }>;
  readonly header: string;
}

/** The text of the template file of `object`. */
export function templateOf(object: KubernetesObject, c: ChartContext): string {
  switch (object.kind) {
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
      return c.header + c.text.yaml(c.text.escaped(controller(object, c)));
    case 'Job':
      return jobTemplate(object, c);
    case 'Service':
    case 'PersistentVolumeClaim':
    case 'ServiceAccount':
      return c.header + c.text.yaml(named(object, c));
    case 'ConfigMap':
      return c.header + c.text.yaml(c.text.escaped(configMap(object, c)));
    case 'Ingress':
      return c.header + c.text.yaml(ingress(object, c));
    case 'NetworkPolicy':
      // Values can turn them off; the comment goes inside, so that nothing is left of the file then.
      return `{{- if ${NETWORK_POLICIES_ENABLED} }}\n${c.header}${c.text.yaml(named(object, c))}{{- end }}\n`;
    case 'Role':
      return c.header + c.text.yaml(role(object, c));
    case 'RoleBinding':
      return c.header + c.text.yaml(roleBinding(object, c));
    default:
      throw new Error(
        `internal: the Helm renderer (lib/render/helm/object-templates.ts) does not know the kind ${object.kind} of ${object.metadata.name}; ` +
          'teach it which fields of that kind name other objects',
      );
  }
}

/** The object named after the release, with the release in the labels and selectors of the stack's pods. */
function named(object: KubernetesObject, c: ChartContext, name = c.name(object.metadata.name)): Json {
  const withRelease = releaseLabels(object, c) as KubernetesObject;
  const labels = withRelease.metadata.labels ? { labels: { ...withRelease.metadata.labels, [CHART]: c.text.action(c.names.chartLabel()) } } : {};
  return { ...withRelease, metadata: { ...withRelease.metadata, name, ...labels } };
}

/**
 * Every label set and selector of the stack's own pods (`app.kubernetes.io/part-of: <stack>`)
 * with the release's instance label, so that one release never selects another's pods; and
 * `managed-by` Helm. The ingress controller's labels in a NetworkPolicy are not the stack's.
 */
function releaseLabels(value: unknown, c: ChartContext): unknown {
  // Copies only what holds such a label set; the rest is returned as it is (most of a pod spec).
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    let items: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item = releaseLabels(value[i], c);
      if (item !== value[i]) (items ??= value.slice())[i] = item;
    }
    return items ?? value;
  }
  let result: Json | undefined;
  for (const key in value as Json) {
    const inner = (value as Json)[key];
    const isLabels = (key === 'labels' || key === 'matchLabels' || key === 'selector') && isRecord(inner) && inner[PART_OF] === c.model.name;
    const changed = isLabels ? withInstance(inner as Record<string, string>, c) : releaseLabels(inner, c);
    if (changed !== inner) (result ??= { ...(value as Json) })[key] = changed;
  }
  return result ?? value;
}

function withInstance(labels: Record<string, string>, c: ChartContext): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(labels)) {
    result[key] = key === MANAGED_BY ? c.text.action('$.Release.Service') : value;
    if (key === PART_OF) result[INSTANCE] = c.text.action('$.Release.Name');
  }
  return result;
}

/** A Deployment, StatefulSet or DaemonSet. */
function controller(object: KubernetesObject, c: ChartContext): Json {
  const workload = workloadOf(object, c);
  const spec = object.spec as Json;
  const values = workloadValues(workload.name);
  const result = named({ ...object, spec: { ...spec, template: podTemplate(spec.template as Json, workload, c) } }, c);
  const resultSpec = { ...(result.spec as Json) };
  if (resultSpec.replicas !== undefined) resultSpec.replicas = c.text.action(`${values}.replicas`);
  if (typeof resultSpec.serviceName === 'string') resultSpec.serviceName = c.name(resultSpec.serviceName);
  return { ...result, spec: resultSpec };
}

/**
 * A Job keeps the name `kubectl apply -k` gives it, `<name>-<digest of its spec>`
 * (docs/decisions/0002), but Helm computes the digest from the spec it renders, so that a value
 * that changes the spec (an image tag) makes a new Job, as a changed source does: a Job's pod
 * template cannot change. The spec is a named template that the Job, its name and the waiting
 * pods' `kubectl wait job/<name>` all include (docs/decisions/0012).
 */
function jobTemplate(object: KubernetesObject, c: ChartContext): string {
  const workload = workloadOf(object, c);
  const spec = object.spec as Json;
  const specText = c.text.yaml(c.text.escaped({ ...spec, template: releaseLabels(podTemplate(spec.template as Json, workload, c), c) }));
  const specName = goString(c.names.jobSpecTemplate(workload.name));
  const job = named(object, c, c.jobName(workload.name));
  const include = c.text.block((indent) => [`{{- include ${specName} $ | nindent ${indent} }}`]);
  return [
    c.header.trimEnd(),
    `{{- define ${specName} }}`,
    specText.trimEnd(),
    '{{- end }}',
    `{{- define ${goString(c.names.jobNameTemplate(workload.name))} -}}`,
    // Cut to 52 so that the name with its digest is a DNS label, as for kubectl apply -k.
    `{{- $base := ${c.names.object(workload.name)} | trunc 52 | trimSuffix "-" -}}`,
    `{{- printf "%s-%s" $base (include ${specName} $ | sha256sum | trunc 10) -}}`,
    '{{- end }}',
    c.text.yaml({ ...job, spec: { [include]: null } }).trimEnd(),
    '',
  ].join('\n');
}

/** The pod template of a workload's controller. */
function podTemplate(template: Json, workload: WorkloadModel, c: ChartContext): Json {
  const spec = { ...(template.spec as Json) };
  const metadata = { ...(template.metadata as Json) };
  if (spec.serviceAccountName === JOB_WAITER) spec.serviceAccountName = c.name(JOB_WAITER);
  if (Array.isArray(spec.initContainers)) spec.initContainers = waits(workload, spec.initContainers as Json[], c);
  const containers = spec.containers as Json[];
  // A pod reads the parameters ConfigMap by a fixed name: a changed value must still roll it, as
  // kustomize's name suffix does. A Job reads them whenever it runs (as with kustomize).
  const readsParameters = containers.some((container) => envOf(container).some((e) => configMapKeyRef(e)?.name === parametersConfigMapName(c.model)));
  spec.containers = containers.map((container) => mainContainer(container, workload, c));
  if (Array.isArray(spec.volumes)) spec.volumes = (spec.volumes as Json[]).map((volume) => podVolume(volume, c));
  const annotations: Record<string, string> = { ...((metadata.annotations as Record<string, string> | undefined) ?? {}) };
  const elsewhere = annotations[HOSTS_ELSEWHERE_ANNOTATION];
  if (elsewhere !== undefined) annotations[HOSTS_ELSEWHERE_ANNOTATION] = elsewhere.split(',').map((host) => c.hosts.host(host)).join(',');
  if (readsParameters && workload.kind !== 'job') annotations['checksum/parameters'] = c.text.action('$.Values.parameters | toJson | sha256sum');
  return { metadata: { ...metadata, ...(Object.keys(annotations).length > 0 ? { annotations } : {}) }, spec };
}

/**
 * The init containers that wait, made again by the Kubernetes renderer's own `renderWait` with
 * the release's names for the Services and Jobs waited for: the same containers, so the check
 * that their names match is only a guard against the two drifting apart.
 */
function waits(workload: WorkloadModel, rendered: readonly Json[], c: ChartContext): Json[] {
  const context: PodContext = {
    model: c.model,
    messages: [],
    workload: (name) => {
      const target = c.workloads.get(name);
      return target && target.kind !== 'job' ? { ...target, name: c.name(target.name) } : target;
    },
    jobName: (name) => c.jobName(name),
  };
  // Another stack's workloads keep their own names: they belong to another release, reached as
  // the environment values reach them.
  const again = [
    ...workload.dependsOn.flatMap((dependency) => renderWait(workload, dependency, context)),
    ...workload.waitsAcrossStacks.map((wait) => renderCrossStackWait(workload, wait, context, c.hosts.host(wait.target))),
  ];
  if (again.map((w) => w.name).join() !== rendered.map((w) => w.name).join()) {
    throw new Error(`internal: the Helm renderer made the wait containers of ${workload.name} other than the Kubernetes renderer did (lib/render/helm/object-templates.ts)`);
  }
  return again;
}

/** The workload's own container: its image, resources and references from values and the release. */
function mainContainer(container: Json, workload: WorkloadModel, c: ChartContext): Json {
  const values = workloadValues(workload.name);
  const resources = c.text.block((indent) => [`{{- with ${values}.resources }}`, 'resources:', `  {{- toYaml . | nindent ${indent + 2} }}`, '{{- end }}']);
  const result: Json = {};
  const placeResources = () => {
    if (!(resources in result)) result[resources] = null;
  };
  for (const [key, value] of Object.entries(container)) {
    if (['volumeMounts', 'readinessProbe', 'livenessProbe', 'startupProbe', 'securityContext'].includes(key)) placeResources();
    switch (key) {
      case 'image':
        result.image = c.text.action(`${c.names.image(`${values}.image`)} | toJson`);
        break;
      case 'command':
      case 'args':
        result[key] = (value as string[]).map((word) => c.hosts.text(word));
        break;
      case 'env':
        result.env = (value as Json[]).map((variable) => envVariable(variable, c));
        break;
      case 'envFrom':
        result.envFrom = (value as Json[]).map((source) => (isRecord(source.configMapRef) ? { ...source, configMapRef: { ...source.configMapRef, name: envFromName(String(source.configMapRef.name), c) } } : source));
        break;
      case 'resources':
        placeResources();
        break;
      default:
        result[key] = value;
    }
  }
  placeResources();
  return result;
}

function envVariable(variable: Json, c: ChartContext): Json {
  if (typeof variable.value === 'string') return { ...variable, value: c.hosts.envValue(String(variable.name), variable.value) };
  const from = variable.valueFrom as Json | undefined;
  const secret = from && isRecord(from.secretKeyRef) ? from.secretKeyRef : undefined;
  if (secret) {
    if (secret.name !== serviceSecretName(c.model) && secret.name !== jobSecretName(c.model)) {
      throw new Error(`internal: the Helm renderer does not know the Secret ${String(secret.name)} that ${String(variable.name)} reads`);
    }
    return { ...variable, valueFrom: { ...from, secretKeyRef: { ...secret, name: c.text.action(c.names.secret()) } } };
  }
  const map = configMapKeyRef(variable);
  if (map) return { ...variable, valueFrom: { ...from, configMapKeyRef: { ...map, name: c.name(String(map.name)) } } };
  return variable;
}

function podVolume(volume: Json, c: ChartContext): Json {
  if (isRecord(volume.persistentVolumeClaim)) {
    return { ...volume, persistentVolumeClaim: { ...volume.persistentVolumeClaim, claimName: c.name(String(volume.persistentVolumeClaim.claimName)) } };
  }
  // A config file's ConfigMap; the cluster's own (kube-root-ca.crt, in a projected volume) keeps its name.
  if (isRecord(volume.configMap)) return { ...volume, configMap: { ...volume.configMap, name: c.name(String(volume.configMap.name)) } };
  return volume;
}

/** A ConfigMap of config files or env files, whose hosts follow the release's Services. */
function configMap(object: KubernetesObject, c: ChartContext): Json {
  const envFile = c.envFileMaps.has(object.metadata.name);
  const data = Object.fromEntries(
    Object.entries((object.data as Record<string, string> | undefined) ?? {}).map(([key, value]) => [key, envFile ? c.hosts.envValue(key, value) : c.hosts.text(value)]),
  );
  return named({ ...object, data }, c);
}

/** The Ingress of a public endpoint: host, TLS Secret and class from values. */
function ingress(object: KubernetesObject, c: ChartContext): Json {
  const values = `${workloadValues(workloadOf(object, c).name)}.ingress`;
  const spec = object.spec as Json;
  const className = c.text.block(() => [`{{- with ${values}.className }}`, 'ingressClassName: {{ toJson . }}', '{{- end }}']);
  const tls = c.text.block(() => [
    `{{- with ${values}.tlsSecretName }}`,
    'tls:',
    '  - hosts:',
    `      - {{ ${values}.host | toJson }}`,
    '    secretName: {{ toJson . }}',
    '{{- end }}',
  ]);
  const rules = (spec.rules as Json[]).map((rule) => ({
    ...rule,
    host: c.text.action(`${values}.host | toJson`),
    http: {
      paths: ((rule.http as Json).paths as Json[]).map((path) => {
        const service = (path.backend as Json).service as Json;
        return { ...path, backend: { service: { ...service, name: c.name(String(service.name)) } } };
      }),
    },
  }));
  const { ingressClassName: _class, tls: _tls, rules: _rules, ...rest } = spec;
  return named({ ...object, spec: { [className]: null, [tls]: null, ...rest, rules } }, c);
}

/** The Role that lets waiting pods read the Jobs they wait for, by the Jobs' names in this release. */
function role(object: KubernetesObject, c: ChartContext): Json {
  const rules = (object.rules as Json[]).map((rule) => ({
    ...rule,
    resourceNames: ((rule.resourceNames as string[] | undefined) ?? []).map((name) => {
      const workload = c.jobs.get(name);
      if (!workload) throw new Error(`internal: the Role ${object.metadata.name} names ${name}, which is no Job of the stack`);
      return c.jobName(workload);
    }),
  }));
  return named({ ...object, rules }, c);
}

function roleBinding(object: KubernetesObject, c: ChartContext): Json {
  const roleRef = object.roleRef as Json;
  const subjects = (object.subjects as Json[]).map((subject) => ({ ...subject, name: c.name(String(subject.name)) }));
  return named({ ...object, roleRef: { ...roleRef, name: c.name(String(roleRef.name)) }, subjects }, c);
}

/** The workload an object belongs to, by its `app.kubernetes.io/name` label. */
function workloadOf(object: KubernetesObject, c: ChartContext): WorkloadModel {
  const name = object.metadata.labels?.['app.kubernetes.io/name'];
  const workload = typeof name === 'string' ? c.workloads.get(name) : undefined;
  if (!workload) throw new Error(`internal: ${object.kind} ${object.metadata.name} belongs to no workload of the stack`);
  return workload;
}

function envOf(container: Json): Json[] {
  return Array.isArray(container.env) ? (container.env as Json[]) : [];
}

function configMapKeyRef(variable: Json): Json | undefined {
  const from = variable.valueFrom;
  return isRecord(from) && isRecord(from.configMapKeyRef) ? from.configMapKeyRef : undefined;
}

/** The release's name of a ConfigMap a container reads whole; an env file chosen at deploy time follows its parameter's value. */
function envFromName(name: string, c: ChartContext): string {
  const choice = c.envFileChoices.get(name);
  return choice ? c.text.action(c.names.objectWithChoice(choice.prefix, parameterValue(choice.parameter))) : c.name(name);
}

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
