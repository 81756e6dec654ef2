/**
 * The connections check: every host and port a container is configured to reach (in its
 * environment values, env files, command and entrypoint) resolves, read from the written
 * output rather than from the model. On Compose a host must be a service (or container name)
 * on a network the container shares; on Kubernetes a Service of that name with that port,
 * whose selector matches a pod that declares the port.
 */
import { HostReference, hostReferences, isServiceName, namesAServiceHost, readsAsHost } from '../model/host-references';
import { HOSTS_ELSEWHERE_ANNOTATION } from '../render/k8s/pod';

type Json = Record<string, unknown>;

/** Where a text was found, which decides whether a bare word in it is a host (`readsAsHost`). */
type HostContext = { variable?: string; previousWord?: string };

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** One place a container reaches a host that the output does not resolve. */
export interface UnresolvedConnection {
  readonly target: 'compose' | 'kubernetes';
  /** `service api` or `Deployment/api`. */
  readonly from: string;
  readonly where: string;
  readonly host: string;
  readonly port?: number;
  readonly why: string;
}

export function formatConnection(c: UnresolvedConnection): string {
  return `${c.target}: ${c.from} reaches ${c.host}${c.port !== undefined ? `:${c.port}` : ''} (${c.where}), ${c.why}`;
}

/** Whether a reference names an in-cluster host: one of `known`, or one that reads as a service host. */
function inCluster(reference: HostReference, known: ReadonlySet<string>): boolean {
  if (!isServiceName(reference.host)) return false;
  return known.has(reference.host) || namesAServiceHost(reference);
}

/** Compose's interpolation as the checks read it: defaults, and '*' for anything required. */
export function interpolate(text: string): string {
  return text.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g, (match, _name, op, rest) =>
    match === '$$' ? '$' : typeof op === 'string' && op.endsWith('-') ? rest : '*',
  );
}

function deployTime(text: string): boolean {
  return /\$\{/.test(text.replace(/\$\$/g, ''));
}

function words(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return list(value).map(String);
}

function environmentOf(value: unknown): Map<string, string> {
  const env = new Map<string, string>();
  if (isRecord(value)) for (const [k, v] of Object.entries(value)) env.set(k, v === null || v === undefined ? '' : String(v));
  for (const item of list(value)) {
    const text = String(item);
    const at = text.indexOf('=');
    env.set(at < 0 ? text : text.slice(0, at), at < 0 ? '' : text.slice(at + 1));
  }
  return env;
}

/** Every unresolved connection of a Compose project (the parsed compose.yaml). */
export function composeConnections(doc: unknown): UnresolvedConnection[] {
  const services = isRecord(doc) && isRecord(doc.services) ? doc.services : {};
  const networks = isRecord(doc) && isRecord(doc.networks) ? doc.networks : {};
  const joined = (spec: Json): string[] => {
    const value = spec.networks;
    const names = Array.isArray(value) ? value.map(String) : isRecord(value) ? Object.keys(value) : [];
    return names.length > 0 ? names : ['default'];
  };
  const external = (name: string) => isRecord(networks[name]) && (networks[name] as Json).external === true;
  const byHost = new Map<string, string>();
  for (const [name, spec] of Object.entries(services)) {
    byHost.set(name, name);
    if (isRecord(spec) && typeof spec.container_name === 'string') byHost.set(spec.container_name, name);
  }
  const known = new Set(byHost.keys());
  const found: UnresolvedConnection[] = [];
  for (const [name, raw] of Object.entries(services)) {
    const spec = isRecord(raw) ? raw : {};
    // A value with a variable in it is chosen at deploy time: its default may name a host the
    // deployment provides, so only hosts of the project are judged in it.
    const texts: [string, string, boolean, HostContext][] = [];
    for (const [variable, value] of environmentOf(spec.environment)) texts.push([`environment ${variable}`, interpolate(value), deployTime(value), { variable }]);
    for (const field of ['entrypoint', 'command']) {
      words(spec[field]).forEach((word, i, all) => texts.push([field, interpolate(word), deployTime(word), { previousWord: all[i - 1] }]));
    }
    const own = joined(spec);
    for (const [where, text, chosenAtDeploy, context] of texts) {
      for (const reference of hostReferences(text).filter((r) => readsAsHost(r, context))) {
        if (!inCluster(reference, known) || reference.host === name) continue;
        const target = byHost.get(reference.host);
        const base = { target: 'compose' as const, from: `service ${name}`, where, host: reference.host, port: reference.port };
        if (target === undefined) {
          // A network another project created may hold it; only the engine can tell.
          if (!own.some(external) && !chosenAtDeploy) found.push({ ...base, why: `but no service of the project is named ${reference.host}` });
          continue;
        }
        const theirs = joined(isRecord(services[target]) ? (services[target] as Json) : {});
        if (!own.some((n) => theirs.includes(n))) {
          found.push({ ...base, why: `but ${target} is on network${theirs.length > 1 ? 's' : ''} ${theirs.join(', ')}, which ${name} does not join` });
        }
      }
    }
  }
  return found;
}

interface PodTemplate {
  readonly owner: string;
  readonly labels: Json;
  readonly annotations: Json;
  readonly spec: Json;
}

function podTemplateOf(object: Json): PodTemplate | undefined {
  const spec = isRecord(object.spec) ? object.spec : undefined;
  const template = spec && isRecord(spec.template) ? spec.template : undefined;
  if (!template || !isRecord(template.spec)) return undefined;
  const metadata = isRecord(template.metadata) ? template.metadata : {};
  const name = isRecord(object.metadata) ? String(object.metadata.name) : '?';
  return {
    owner: `${String(object.kind)}/${name}`,
    labels: isRecord(metadata.labels) ? metadata.labels : {},
    annotations: isRecord(metadata.annotations) ? metadata.annotations : {},
    spec: template.spec,
  };
}

/** Every unresolved connection of a set of Kubernetes objects (`kubectl kustomize` output). */
export function kubernetesConnections(objects: readonly unknown[]): UnresolvedConnection[] {
  const records = objects.filter(isRecord);
  const name = (o: Json) => (isRecord(o.metadata) ? String(o.metadata.name) : '');
  const services = new Map(records.filter((o) => o.kind === 'Service').map((o) => [name(o), o]));
  const configMaps = new Map(records.filter((o) => o.kind === 'ConfigMap').map((o) => [name(o), isRecord(o.data) ? o.data : {}]));
  const pods = records.map(podTemplateOf).filter((p): p is PodTemplate => p !== undefined);
  const known = new Set(services.keys());
  for (const pod of pods) known.add(pod.owner.split('/')[1]);
  const found: UnresolvedConnection[] = [];
  for (const pod of pods) {
    for (const container of list(pod.spec.containers).filter(isRecord)) {
      // Values read from a single key of a ConfigMap are deploy-time parameters (see the Compose side).
      const env = new Map<string, { text: string; chosenAtDeploy: boolean }>();
      for (const source of list(container.envFrom).filter(isRecord)) {
        const ref = isRecord(source.configMapRef) ? String(source.configMapRef.name) : undefined;
        for (const [k, v] of Object.entries(ref ? configMaps.get(ref) ?? {} : {})) env.set(k, { text: String(v), chosenAtDeploy: false });
      }
      for (const variable of list(container.env).filter(isRecord)) {
        const from = isRecord(variable.valueFrom) ? variable.valueFrom : undefined;
        const mapRef = from && isRecord(from.configMapKeyRef) ? from.configMapKeyRef : undefined;
        let chosenAtDeploy = mapRef !== undefined;
        const value =
          typeof variable.value === 'string'
            ? variable.value
                .replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (_m, v: string) => {
                  chosenAtDeploy ||= env.get(v)?.chosenAtDeploy ?? false;
                  return env.get(v)?.text ?? '*';
                })
                .replace(/\$\$/g, '$')
            : mapRef
              ? String(configMaps.get(String(mapRef.name))?.[String(mapRef.key)] ?? '*')
              : '*';
        env.set(String(variable.name), { text: value, chosenAtDeploy });
      }
      const texts: [string, string, boolean, HostContext][] = [...env].map(([k, v]) => [`environment ${k}`, v.text, v.chosenAtDeploy, { variable: k }]);
      for (const field of ['command', 'args']) words(container[field]).forEach((word, i, all) => texts.push([field, word, false, { previousWord: all[i - 1] }]));
      const self = pod.owner.split('/')[1];
      // Services another stack provides in the namespace, as the pod says (see HOSTS_ELSEWHERE_ANNOTATION).
      const elsewhere = new Set(String(pod.annotations[HOSTS_ELSEWHERE_ANNOTATION] ?? '').split(',').filter(Boolean));
      for (const [where, text, chosenAtDeploy, context] of texts) {
        for (const reference of hostReferences(text).filter((r) => readsAsHost(r, context))) {
          if (!inCluster(reference, known) || reference.host === self) continue;
          if ((chosenAtDeploy || elsewhere.has(reference.host)) && !services.has(reference.host)) continue;
          const why = serviceProblem(reference, services, pods);
          if (why) found.push({ target: 'kubernetes', from: pod.owner, where, host: reference.host, port: reference.port, why });
        }
      }
    }
  }
  return found;
}

/** Why the Service a reference names does not lead to a port of a pod, or undefined when it does. */
function serviceProblem(reference: HostReference, services: ReadonlyMap<string, Json>, pods: readonly PodTemplate[]): string | undefined {
  const service = services.get(reference.host);
  if (!service) return `but there is no Service ${reference.host}`;
  const spec = isRecord(service.spec) ? service.spec : {};
  const selector = isRecord(spec.selector) ? spec.selector : {};
  const selected = pods.filter((p) => Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => p.labels[k] === v));
  if (selected.length === 0) return `but Service ${reference.host} selects no pod`;
  if (reference.port === undefined) return undefined;
  const port = list(spec.ports).filter(isRecord).find((p) => Number(p.port) === reference.port);
  if (!port) {
    const ports = list(spec.ports).filter(isRecord).map((p) => String(p.port));
    return `but Service ${reference.host} has no port ${reference.port} (it has ${ports.join(', ') || 'none'})`;
  }
  const target = port.targetPort ?? port.port;
  const declares = selected.some((pod) =>
    list(pod.spec.containers)
      .filter(isRecord)
      .some((c) => list(c.ports).filter(isRecord).some((p) => (typeof target === 'string' ? p.name === target : Number(p.containerPort) === Number(target)))),
  );
  return declares ? undefined : `but no pod Service ${reference.host} selects declares its target port ${String(target)}`;
}
