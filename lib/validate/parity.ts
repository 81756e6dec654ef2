/**
 * The parity check: what the Compose file and the Kubernetes objects (`kubectl kustomize`
 * output) of one stack say about who waits for whom, what persists where, what each container
 * sees in its environment and what restarts, computed from the two renderings themselves (not
 * the model) and compared. Where the targets differ by design (a bind mount, a host port, a
 * workload left out on Kubernetes), synth says so in its messages and the check leaves it be.
 */
import { kubernetesName } from '../core/names';
import { interpolate } from './connections';

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** What one workload means, as one rendering says it. */
interface Meaning {
  /** `<target> <condition>`, where the condition is healthy, started or completed (ready on Kubernetes), or answers (another stack's, on its port). */
  readonly waits: Set<string>;
  /** `<path> <kind>`: data that persists (volume) or scratch space (tmpfs) at a path. */
  readonly storage: Set<string>;
  readonly environment: Set<string>;
  /** 'always' (a long-running service) or 'never' (a one-shot job). */
  readonly restarts: 'always' | 'never' | 'other';
}

/** A place where the two renderings of one workload disagree. */
export interface ParityProblem {
  /** The Compose service name. */
  readonly workload: string;
  readonly aspect: 'waits' | 'storage' | 'environment' | 'restarts';
  readonly message: string;
}

export function formatParityProblem(p: ParityProblem): string {
  return `parity: ${p.workload}: ${p.aspect}: ${p.message}`;
}

const CONDITIONS: Record<string, string> = {
  service_healthy: 'healthy',
  service_started: 'started',
  service_completed_successfully: 'completed',
};

/** The variable names an env file of the Compose file (a path relative to it) sets. */
export type EnvFileKeys = (file: string) => readonly string[];

/** The meaning of every service of a Compose file, by service name. */
function composeMeanings(compose: Json, envFileKeys: EnvFileKeys): Map<string, Meaning> {
  const services = isRecord(compose.services) ? compose.services : {};
  const volumes = isRecord(compose.volumes) ? compose.volumes : {};
  const meanings = new Map<string, Meaning>();
  for (const [name, raw] of Object.entries(services)) {
    const spec = isRecord(raw) ? raw : {};
    const waits = new Set<string>();
    const dependsOn = spec.depends_on;
    if (Array.isArray(dependsOn)) for (const target of dependsOn) waits.add(`${String(target)} started`);
    else if (isRecord(dependsOn)) {
      for (const [target, entry] of Object.entries(dependsOn)) {
        if (isRecord(entry) && entry.required === false) continue;
        waits.add(`${target} ${CONDITIONS[String(isRecord(entry) ? entry.condition : 'service_started')] ?? 'started'}`);
      }
    }
    const storage = new Set<string>();
    for (const mount of list(spec.volumes)) {
      const [source, target] = typeof mount === 'string' ? mount.split(':') : isRecord(mount) ? [String(mount.source ?? ''), String(mount.target)] : ['', ''];
      const isNamedVolume = typeof mount === 'string' ? source in volumes : isRecord(mount) && mount.type === 'volume';
      if (isNamedVolume) storage.add(`${target} volume`);
    }
    for (const entry of list(spec.tmpfs)) storage.add(`${String(entry).split(':')[0]} tmpfs`);
    for (const mount of list(spec.volumes)) if (isRecord(mount) && mount.type === 'tmpfs') storage.add(`${String(mount.target)} tmpfs`);
    const environment = new Set(isRecord(spec.environment) ? Object.keys(spec.environment) : list(spec.environment).map((e) => String(e).split('=')[0]));
    const envFiles = typeof spec.env_file === 'string' ? [spec.env_file] : list(spec.env_file).map((f) => (isRecord(f) ? String(f.path) : String(f)));
    // A path may hold a parameter (`./env/web.${ENVIRONMENT:-dev}.env`): the default's file is the one compared.
    for (const file of envFiles) for (const key of envFileKeys(interpolate(file))) environment.add(key);
    const restart = String(spec.restart ?? 'no');
    meanings.set(name, {
      waits,
      storage,
      environment,
      restarts: restart === 'always' || restart === 'unless-stopped' ? 'always' : restart === 'no' ? 'never' : 'other',
    });
  }
  // A one-shot service that only probes a host of another project stands for that wait (decision 16).
  for (const meaning of meanings.values()) {
    for (const wait of [...meaning.waits]) {
      const [target, condition] = wait.split(' ');
      const probed = condition === 'completed' && isRecord(services[target]) ? probedHost(list((services[target] as Json).command).map(String)) : undefined;
      if (probed !== undefined && !(probed in services)) {
        meaning.waits.delete(wait);
        meaning.waits.add(`${probed} answers`);
      }
    }
  }
  return meanings;
}

/** The host a port wait probes (`nc -z -w 2 <host> <port>`), by its command. */
function probedHost(command: readonly string[]): string | undefined {
  return /nc -z -w \d+ (\S+) \d+/.exec(command.join(' '))?.[1];
}

/** `db-migrate-0123456789` -> `db-migrate`: a Job is named by a digest of its spec. */
function jobBaseName(name: string): string {
  return name.replace(/-[0-9a-f]{10}$/, '');
}

/**
 * The workloads whose pods the Services that publish not-ready pods select, by Service name:
 * waiting on such a Service is waiting for the workload to have started. By selector, since a
 * long workload name gives its Service a cut name with a digest.
 */
function startedServices(records: readonly Json[]): Map<string, string> {
  const found = new Map<string, string>();
  for (const service of records.filter((o) => o.kind === 'Service')) {
    const spec = isRecord(service.spec) ? service.spec : {};
    const target = isRecord(spec.selector) ? spec.selector['app.kubernetes.io/name'] : undefined;
    const name = String((service.metadata as Json)?.name);
    if (spec.publishNotReadyAddresses === true && typeof target === 'string' && name !== target) found.set(name, target);
  }
  return found;
}

/** What an init container of the library waits for: `<workload> <condition>`, by its command. */
function waitOf(container: Json, started: ReadonlyMap<string, string>): string | undefined {
  const command = list(container.command).map(String);
  const job = command.find((word) => word.startsWith('job/'));
  if (command[0] === 'kubectl' && job) return `${jobBaseName(job.slice('job/'.length))} completed`;
  const host = probedHost(command);
  if (host === undefined) return undefined;
  const target = started.get(host);
  return target !== undefined ? `${target} started` : `${host} ready`;
}

/** The meaning of every workload of a set of Kubernetes objects, by object name (Jobs without their digest). */
function kubernetesMeanings(objects: readonly unknown[]): { meanings: Map<string, Meaning & { helpers: Set<string> }>; readiness: Map<string, boolean>; services: Set<string> } {
  const records = objects.filter(isRecord);
  const meanings = new Map<string, Meaning & { helpers: Set<string> }>();
  const readiness = new Map<string, boolean>();
  const started = startedServices(records);
  const configMaps = new Map(records.filter((o) => o.kind === 'ConfigMap').map((o) => [String((o.metadata as Json)?.name), isRecord(o.data) ? o.data : {}]));
  for (const object of records) {
    const kind = String(object.kind);
    if (!['Deployment', 'StatefulSet', 'DaemonSet', 'Job'].includes(kind)) continue;
    const spec = isRecord(object.spec) ? object.spec : {};
    const template = isRecord(spec.template) && isRecord(spec.template.spec) ? spec.template.spec : {};
    const name = kind === 'Job' ? jobBaseName(String((object.metadata as Json)?.name)) : String((object.metadata as Json)?.name);
    const main = list(template.containers).filter(isRecord)[0] ?? {};
    readiness.set(name, isRecord(main.readinessProbe));
    const waits = new Set(list(template.initContainers).filter(isRecord).map((c) => waitOf(c, started)).filter((w): w is string => w !== undefined));
    const volumes = new Map(list(template.volumes).filter(isRecord).map((v) => [String(v.name), v]));
    const claims = new Set(list(spec.volumeClaimTemplates).filter(isRecord).map((t) => String((t.metadata as Json)?.name)));
    const storage = new Set<string>();
    for (const mount of list(main.volumeMounts).filter(isRecord)) {
      const volume = volumes.get(String(mount.name));
      const path = String(mount.mountPath);
      const claim = volume && isRecord(volume.persistentVolumeClaim) ? String(volume.persistentVolumeClaim.claimName) : undefined;
      // A claim that stands in for a host folder is synth's report (binds-on-kubernetes), not a volume of the source.
      if (claim?.startsWith('bind-')) continue;
      if (claims.has(String(mount.name)) || claim !== undefined) storage.add(`${path} volume`);
      else if (volume && isRecord(volume.emptyDir)) storage.add(`${path} tmpfs`);
    }
    // A secret or parameter inside a larger value is first defined as a variable of its own name,
    // since Kubernetes expands only `$(NAME)`: that variable is how the value is built, not more.
    const env = list(main.env).filter(isRecord);
    const referenced = new Set(env.flatMap((e) => [...String(e.value ?? '').matchAll(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g)].map((m) => m[1])));
    const environment = new Set(env.map((e) => String(e.name)).filter((n) => !referenced.has(n)));
    const helpers = new Set(env.map((e) => String(e.name)).filter((n) => referenced.has(n)));
    for (const source of list(main.envFrom).filter(isRecord)) {
      const ref = isRecord(source.configMapRef) ? String(source.configMapRef.name) : undefined;
      for (const key of Object.keys(ref ? configMaps.get(ref) ?? {} : {})) environment.add(key);
    }
    meanings.set(name, { waits, storage, environment, helpers, restarts: kind === 'Job' ? 'never' : 'always' });
  }
  // A host that is none of these objects is a Service of another stack: the wait is for it to answer.
  const services = new Set(records.filter((o) => o.kind === 'Service').map((o) => String((o.metadata as Json)?.name)));
  for (const meaning of meanings.values()) {
    for (const wait of [...meaning.waits]) {
      const [host, condition] = wait.split(' ');
      if (condition === 'ready' && !meanings.has(host) && !services.has(host)) {
        meaning.waits.delete(wait);
        meaning.waits.add(`${host} answers`);
      }
    }
  }
  return { meanings, readiness, services };
}

/** `db ready` -> `db to be ready`; `db answers` -> `db to answer`. */
function describeWait(wait: string): string {
  const [target, condition] = wait.split(' ');
  return condition === 'answers' ? `${target} to answer` : `${target} to be ${condition}`;
}

function difference(a: ReadonlySet<string>, b: ReadonlySet<string>): string[] {
  return [...a].filter((x) => !b.has(x)).sort();
}

/**
 * Where the Compose file and the Kubernetes objects of one stack disagree, workload by workload.
 * Workloads that only one rendering has are left to synth's own messages (a profile, a
 * Compose-only construct); so are mounts of host folders and environment read from env files.
 */
export function parityProblems(compose: unknown, kubernetesObjects: readonly unknown[], envFileKeys: EnvFileKeys = () => []): ParityProblem[] {
  if (!isRecord(compose)) return [];
  const onCompose = composeMeanings(compose, envFileKeys);
  const { meanings: onKubernetes, readiness, services } = kubernetesMeanings(kubernetesObjects);
  // A target with no port has nothing to wait on there; synth warns about it.
  const waitable = (target: string) => services.has(target) || [...onKubernetes.keys()].some((k) => k === target && onKubernetes.get(k)?.restarts === 'never');
  const problems: ParityProblem[] = [];
  for (const [service, composeMeaning] of onCompose) {
    const kube = onKubernetes.get(kubernetesName(service));
    if (!kube) continue;
    const add = (aspect: ParityProblem['aspect'], message: string) => problems.push({ workload: service, aspect, message });

    // Compose's `healthy` is Kubernetes' `ready` when the target has a readiness probe; without
    // one, a pod is ready once it runs, which is Compose's `started`.
    const expectedWaits = new Set(
      [...composeMeaning.waits]
        .filter((w) => w.endsWith(' answers') || (onKubernetes.has(kubernetesName(w.split(' ')[0])) && waitable(kubernetesName(w.split(' ')[0]))))
        .map((w) => {
          const [target, condition] = w.split(' ');
          const kubeTarget = kubernetesName(target);
          if (condition === 'answers') return `${kubeTarget} answers`;
          if (condition === 'healthy') return `${kubeTarget} ready`;
          if (condition === 'started') return readiness.get(kubeTarget) ? `${kubeTarget} started` : `${kubeTarget} ready`;
          return `${kubeTarget} completed`;
        }),
    );
    for (const w of difference(expectedWaits, kube.waits)) add('waits', `waits for ${describeWait(w)} on Compose, not on Kubernetes`);
    for (const w of difference(kube.waits, expectedWaits)) add('waits', `waits for ${describeWait(w)} on Kubernetes, not on Compose`);

    for (const s of difference(composeMeaning.storage, kube.storage)) add('storage', `has a ${s.split(' ')[1]} at ${s.split(' ')[0]} on Compose, not on Kubernetes`);
    for (const s of difference(kube.storage, composeMeaning.storage)) add('storage', `has a ${s.split(' ')[1]} at ${s.split(' ')[0]} on Kubernetes, not on Compose`);

    for (const v of difference(composeMeaning.environment, new Set([...kube.environment, ...kube.helpers]))) add('environment', `sees ${v} on Compose, not on Kubernetes`);
    for (const v of difference(kube.environment, composeMeaning.environment)) add('environment', `sees ${v} on Kubernetes, not on Compose`);

    // A service that Compose never restarts is a Deployment on Kubernetes, which synth reports.
    if (composeMeaning.restarts === 'always' && kube.restarts === 'never') add('restarts', 'restarts on Compose, but runs once as a Job on Kubernetes');
  }
  return problems;
}
