import { EnvVarModel, MessageModel, MountModel, StackModel, ValuePart, WorkloadModel } from '../../model';
import { cutName, withDigest } from '../../core/names';
import { configMapName, envFileConfigMapName, escapeExpansion, objectLabels, parametersConfigMapName, quantity, renderResources, secretName, selectorLabels } from './format';
import { renderProbes } from './probes';
import { JOB_WAITER, jobWaiterVolumes, renderCrossStackWait, renderWait } from './wait-containers';

/** What rendering one pod needs to know beyond its own workload. */
export interface PodContext {
  readonly model: StackModel;
  /** The workload of the stack named `name`. */
  readonly workload: (name: string) => WorkloadModel | undefined;
  /** The Kubernetes name of each job, which carries a digest of its spec. */
  readonly jobName: (workloadName: string) => string;
  readonly messages: MessageModel[];
}

/** Lists the Services a pod reaches that another stack deployed into the namespace provides. */
export const HOSTS_ELSEWHERE_ANNOTATION = 'cdk-compose.io/reaches-services-of-other-stacks';


/** The pod template of a workload. */
export function renderPodTemplate(workload: WorkloadModel, context: PodContext): Record<string, unknown> {
  const { model } = context;
  const initContainers = [
    ...workload.dependsOn.flatMap((dependency) => renderWait(workload, dependency, context)),
    ...workload.waitsAcrossStacks.map((wait) => renderCrossStackWait(workload, wait, context)),
  ];
  const waitsForJob = initContainers.some((c) => c.image === context.model.kubectlImage);
  const volumeNames = podVolumeNames(workload);
  const volumes: Record<string, unknown>[] = [];
  for (const mount of workload.mounts) {
    const name = volumeNames.get(mount) as string;
    const volume = renderVolume(workload, mount, name, context);
    // Mounts of one volume or host path at several places share one volume of the pod.
    if (!volumes.some((v) => v.name === name)) volumes.push(...volume);
  }

  // Only the containers that wait for a Job call the API, so only they get a token (see wait-containers.ts).
  if (waitsForJob) volumes.push(...jobWaiterVolumes());
  const spec: Record<string, unknown> = {};
  if (waitsForJob) spec.serviceAccountName = JOB_WAITER;
  spec.automountServiceAccountToken = false;
  if (workload.kind === 'job') spec.restartPolicy = 'Never';
  spec.securityContext = renderPodSecurity(workload);
  if (initContainers.length > 0) spec.initContainers = initContainers;
  spec.containers = [renderContainer(workload, volumeNames, context)];
  if (volumes.length > 0) spec.volumes = volumes;

  // Services another stack provides in the namespace: what this pod needs besides its own stack.
  const annotations = workload.hostsElsewhere ? { annotations: { [HOSTS_ELSEWHERE_ANNOTATION]: workload.hostsElsewhere.join(',') } } : {};
  return {
    metadata: { labels: { ...selectorLabels(model, workload), ...objectLabels(model, workload) }, ...annotations },
    spec,
  };
}

function renderContainer(workload: WorkloadModel, volumeNames: Map<MountModel, string>, context: PodContext): Record<string, unknown> {
  const container: Record<string, unknown> = { name: workload.name, image: workload.image ?? workload.builtImage };
  // Compose's entrypoint is Kubernetes' command; Compose's command is Kubernetes' args.
  if (workload.entrypoint) container.command = workload.entrypoint.map(escapeExpansion);
  if (workload.command) container.args = workload.command.map(escapeExpansion);
  if (workload.workingDir) container.workingDir = workload.workingDir;
  if (workload.ports.length > 0) {
    container.ports = workload.ports.map((p) => ({ name: p.name, containerPort: p.containerPort, protocol: p.protocol }));
  }
  if (workload.envFiles.length > 0) {
    container.envFrom = [{ configMapRef: { name: envFileConfigMapName(workload) } }];
  }
  const env = renderEnv(workload, context);
  if (env.length > 0) container.env = env;
  const limits = renderResources(workload.limits);
  const requests = renderResources(workload.requests);
  if (limits || requests) container.resources = { ...(limits ? { limits } : {}), ...(requests ? { requests } : {}) };
  const mounts = workload.mounts.flatMap((m) => renderVolumeMount(workload, m, volumeNames.get(m) as string));
  if (mounts.length > 0) container.volumeMounts = mounts;
  if (workload.healthCheck || workload.livenessCheck) {
    if (workload.kind === 'job') {
      context.messages.push({
        level: 'warning',
        path: workload.path,
        message: 'health check of a one-shot job is left out on Kubernetes: a Job is done when its container exits',
      });
    } else {
      Object.assign(container, renderProbes(workload.healthCheck, workload.livenessCheck));
    }
  }
  const security = renderContainerSecurity(workload);
  if (Object.keys(security).length > 0) container.securityContext = security;
  return container;
}

/**
 * Env entries. Kubernetes expands `$(NAME)` only for variables defined earlier in the list,
 * so variables read from the Secret come first, and a secret used inside a larger value
 * (a database URL) is defined as a variable of its own name before it.
 */
function renderEnv(workload: WorkloadModel, context: PodContext): Record<string, unknown>[] {
  // A secret comes from the stack's Secret, a parameter from its parameters ConfigMap.
  const reference = (name: string, part: Exclude<ValuePart, { kind: 'text' }>) =>
    part.kind === 'secret'
      ? { name, valueFrom: { secretKeyRef: { name: secretName(context.model, workload), key: part.secret } } }
      : { name, valueFrom: { configMapKeyRef: { name: parametersConfigMapName(context.model, workload), key: part.param } } };
  const variableOf = (part: Exclude<ValuePart, { kind: 'text' }>) => (part.kind === 'secret' ? part.secret : part.param);
  const whole = (env: EnvVarModel) => (env.parts.length === 1 && env.parts[0].kind !== 'text' ? env.parts[0] : undefined);

  const direct = workload.env.filter((env) => whole(env) !== undefined);
  const defined = new Set(direct.filter((env) => variableOf(whole(env)!) === env.name).map((env) => env.name));
  const helpers: Record<string, unknown>[] = [];
  const values: Record<string, unknown>[] = [];
  for (const env of workload.env) {
    if (whole(env) !== undefined) continue;
    for (const part of env.parts) {
      if (part.kind === 'text' || defined.has(variableOf(part))) continue;
      const variable = variableOf(part);
      // A variable of that name with another value is refused at synth (build-model.ts).
      helpers.push(reference(variable, part));
      defined.add(variable);
    }
    const value = env.parts.map((p) => (p.kind === 'text' ? escapeExpansion(p.text) : `$(${variableOf(p)})`)).join('');
    values.push({ name: env.name, value });
  }
  return [...direct.map((env) => reference(env.name, whole(env)!)), ...helpers, ...values];
}

function renderVolume(workload: WorkloadModel, mount: MountModel, name: string, context: PodContext): Record<string, unknown>[] {
  switch (mount.kind) {
    case 'data':
      return []; // from the StatefulSet's volumeClaimTemplates
    case 'volume': {
      // Shared by the mounts of the volume: read-only when every one of them is.
      const readOnly = workload.mounts.every((m) => m.kind !== 'volume' || m.volume !== mount.volume || m.readOnly);
      return [{ name, persistentVolumeClaim: { claimName: mount.volume, ...(readOnly ? { readOnly: true } : {}) } }];
    }
    case 'tmpfs':
      return [{ name, emptyDir: { medium: 'Memory', ...(mount.sizeBytes ? { sizeLimit: quantity(mount.sizeBytes) } : {}) } }];
    case 'config':
      return [
        {
          name,
          configMap: {
            name: configMapName(mount),
            items: [{ key: mount.fileName, path: mount.fileName, ...(mount.mode !== undefined ? { mode: mount.mode } : {}) }],
          },
        },
      ];
    case 'bind':
      context.messages.push(
        mount.leftOutOnKubernetes
          ? {
              level: 'info',
              path: workload.path,
              message: `bind mount ${mount.source} at ${mount.target} is left out on Kubernetes as asked (onKubernetes: 'leave-out'): the container sees the image's files there`,
            }
          : {
              level: 'warning',
              path: workload.path,
              message: `host path ${mount.source} mounted at ${mount.target} is left out on Kubernetes, which has no host folders; bake the files into the image`,
            },
      );
      return [];
    case 'hostPath':
      if (!mount.targets.includes('kubernetes')) {
        context.messages.push({
          level: 'info',
          path: workload.path,
          message: `host path ${mount.source} is left out on Kubernetes: it is kept to ${mount.targets.join(', ')}`,
        });
        return [];
      }
      // Synth refuses a host path on Kubernetes for any workload but a per-node one (workload.ts).
      return workload.perNode ? [{ name, hostPath: { path: mount.source } }] : [];
  }
}

function renderVolumeMount(workload: WorkloadModel, mount: MountModel, name: string): Record<string, unknown>[] {
  switch (mount.kind) {
    case 'data':
      return [{ name, mountPath: mount.target }];
    case 'volume':
      return [{ name, mountPath: mount.target, ...(mount.kubernetesSubPath ? { subPath: mount.kubernetesSubPath } : {}), ...(mount.readOnly ? { readOnly: true } : {}) }];
    case 'tmpfs':
      return [{ name, mountPath: mount.target }];
    case 'config':
      // subPath puts the one file at the target without hiding the rest of its folder.
      return [{ name, mountPath: mount.target, subPath: mount.fileName, readOnly: true }];
    case 'bind':
      return [];
    case 'hostPath':
      return mount.targets.includes('kubernetes') && workload.perNode
        ? [{ name, mountPath: mount.target, ...(mount.readOnly ? { readOnly: true } : {}) }]
        : [];
  }
}

/**
 * The name of each mount's volume in the pod (the claim template's name for the data volume).
 *
 * A volume keeps its own name, a config file its name cut to 63 characters, a tmpfs
 * `tmp-<path>` and a host path `host-<path>` (see `pathVolumeName`). Sanitizing and cutting can
 * give different volumes one name (`/mnt/a-b` and `/mnt/a_b`, a volume named `tmp-run` and a
 * tmpfs at `/run`, a volume named like the data claim); each volume whose name another volume
 * of the pod also gets is then named with its first 52 characters and `-<digest>` of what it
 * mounts, so that a pod that was valid keeps its names. Mounts of one volume or one host path
 * share its pod volume.
 */
function podVolumeNames(workload: WorkloadModel): Map<MountModel, string> {
  const keys = new Map<MountModel, { key: string; name: string }>();
  const holders = new Map<string, Set<string>>();
  const hold = (name: string, key: string) => holders.set(name, (holders.get(name) ?? new Set()).add(key));
  for (const mount of workload.mounts) {
    const volume = podVolume(workload, mount);
    if (volume) {
      keys.set(mount, volume);
      hold(volume.name, volume.key);
    }
    // The data volume's claim template holds its name: the volumes of the pod must not take it.
    if (mount.kind === 'data') hold(mount.name, `data:${mount.name}`);
  }
  const names = new Map<MountModel, string>();
  for (const mount of workload.mounts) {
    if (mount.kind === 'data') names.set(mount, mount.name);
    const volume = keys.get(mount);
    if (!volume) continue;
    names.set(mount, (holders.get(volume.name) as Set<string>).size > 1 ? withDigest(volume.name, volume.key) : volume.name);
  }
  return names;
}

/** What a mount's pod volume holds (`key`) and the name it would like; none for mounts without one. */
function podVolume(workload: WorkloadModel, mount: MountModel): { key: string; name: string } | undefined {
  switch (mount.kind) {
    case 'volume':
      return { key: `volume:${mount.volume}`, name: mount.volume };
    case 'tmpfs':
      return { key: `tmpfs:${mount.target}`, name: tmpfsName(mount.target) };
    case 'config':
      return { key: `config:${mount.target}`, name: cutName(mount.name) };
    case 'hostPath':
      return mount.targets.includes('kubernetes') && workload.perNode ? { key: `hostPath:${mount.source}`, name: hostPathName(mount.source) } : undefined;
    case 'data':
    case 'bind':
      return undefined;
  }
}

/** A volume name for a scratch path: `/var/cache/nginx` -> `tmp-var-cache-nginx`. */
function tmpfsName(target: string): string {
  return pathVolumeName('tmp', target);
}

/** A volume name for a path of the node: `/var/log/pods` -> `host-var-log-pods`. */
function hostPathName(source: string): string {
  return pathVolumeName('host', source);
}

function pathVolumeName(prefix: string, path: string): string {
  return cutName(`${prefix}-${path.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '')}`);
}

function renderPodSecurity(workload: WorkloadModel): Record<string, unknown> {
  const security: Record<string, unknown> = {};
  if (workload.security.runAsUser !== undefined && workload.security.runAsUser > 0) {
    security.runAsNonRoot = true;
  }
  if (workload.security.fsGroup !== undefined) security.fsGroup = workload.security.fsGroup;
  // Docker applies its default seccomp profile to every container; RuntimeDefault is the same promise.
  security.seccompProfile = { type: 'RuntimeDefault' };
  return security;
}

function renderContainerSecurity(workload: WorkloadModel): Record<string, unknown> {
  const s = workload.security;
  const rendered: Record<string, unknown> = {};
  if (s.runAsUser !== undefined) rendered.runAsUser = s.runAsUser;
  if (s.runAsGroup !== undefined) rendered.runAsGroup = s.runAsGroup;
  if (s.noNewPrivileges) rendered.allowPrivilegeEscalation = false;
  if (s.readOnlyRootFilesystem) rendered.readOnlyRootFilesystem = true;
  if (s.dropCapabilities.length > 0 || s.addCapabilities.length > 0) {
    rendered.capabilities = {
      ...(s.addCapabilities.length > 0 ? { add: [...s.addCapabilities] } : {}),
      ...(s.dropCapabilities.length > 0 ? { drop: [...s.dropCapabilities] } : {}),
    };
  }
  return rendered;
}
