import { KEPT_BEFORE_DIGEST, cutName, nameDigest, withDigest } from '../../core/names';
import { MountModel, ResourcesModel, StackModel, WorkloadModel, envFileVariables } from '../../model';

const KIBI = 1024;
const MEBI = KIBI * 1024;
const GIBI = MEBI * 1024;
const TEBI = GIBI * 1024;

/** Kubernetes quantity in the largest binary unit that divides the value (`512Mi`, `10Gi`). */
export function quantity(bytes: number): string {
  for (const [unit, factor] of [['Ti', TEBI], ['Gi', GIBI], ['Mi', MEBI], ['Ki', KIBI]] as const) {
    if (bytes % factor === 0) return `${bytes / factor}${unit}`;
  }
  return String(bytes);
}

/** Kubernetes CPU quantity from millicores (`500m`, `2`). */
export function cpuQuantity(millis: number): string {
  return millis % 1000 === 0 ? String(millis / 1000) : `${millis}m`;
}

export function renderResources(resources: ResourcesModel): Record<string, string> | undefined {
  const rendered: Record<string, string> = {};
  if (resources.cpuMillis !== undefined) rendered.cpu = cpuQuantity(resources.cpuMillis);
  if (resources.memoryBytes !== undefined) rendered.memory = quantity(resources.memoryBytes);
  return Object.keys(rendered).length > 0 ? rendered : undefined;
}

/**
 * Kubernetes expands `$(VAR)` in command, args and env values and reduces `$$` to `$`; every
 * literal dollar is doubled so that the text reaches the container as written.
 */
export function escapeExpansion(text: string): string {
  return text.replace(/\$/g, '$$$$');
}

/** Labels that select a workload's pods; they never change, since selectors are immutable. */
export function selectorLabels(model: StackModel, workload: WorkloadModel): Record<string, string> {
  return {
    'app.kubernetes.io/name': workload.name,
    'app.kubernetes.io/part-of': model.name,
  };
}

export function objectLabels(model: StackModel, workload?: WorkloadModel): Record<string, string> {
  return {
    ...(workload ? selectorLabels(model, workload) : { 'app.kubernetes.io/part-of': model.name }),
    'app.kubernetes.io/managed-by': 'cdk-compose',
  };
}

/**
 * The Secret kustomize generates from the stack's env file for a workload.
 *
 * kustomize names a generated Secret after its content, which rolls the pods that use it when
 * a value changes. A Job's pod template cannot change, though, so Jobs read a second copy
 * whose name stays fixed; they read the current values whenever they run.
 */
export function secretName(model: StackModel, workload: WorkloadModel): string {
  return workload.kind === 'job' ? jobSecretName(model) : serviceSecretName(model);
}

export function serviceSecretName(model: StackModel): string {
  return `${model.name}-secrets`;
}

export function jobSecretName(model: StackModel): string {
  return `${model.name}-job-secrets`;
}

/**
 * The ConfigMap kustomize generates from `parameters.env`: the stack's deploy-time values.
 * Jobs read a copy whose name stays fixed, as they do for secrets (see `secretName`).
 */
export function parametersConfigMapName(model: StackModel, workload?: WorkloadModel): string {
  return workload?.kind === 'job' ? `${model.name}-job-parameters` : `${model.name}-parameters`;
}


/**
 * ConfigMaps are named after their content, as kustomize's generators do, so that a changed
 * file is a new ConfigMap and rolls the pods that mount it.
 */
export function configMapName(mount: Extract<MountModel, { kind: 'config' }>): string {
  return withDigest(mount.name, mount.content);
}

/**
 * The ConfigMap holding a workload's env files, `<workload>-env-<digest of their content>`. A
 * workload name longer than the part kept could be another's cut short: its digest covers the
 * whole name too. A file chosen at deploy time makes a ConfigMap per choice,
 * `<workload>-env-<digest of every choice>.<choice>`: the kustomize replacement that follows the
 * parameter rewrites only the part after the dot, which no workload name or digest holds.
 */
export function envFileConfigMapName(workload: WorkloadModel, choice?: string): string {
  const fileChoice = workload.envFileChoice;
  const entries = fileChoice ? fileChoice.options.map((o) => [o.value, envFileEntries(workload, o.value)]) : envFileEntries(workload);
  const kept = KEPT_BEFORE_DIGEST - '-env'.length;
  const cut = workload.name.length > kept;
  const name = `${cutName(workload.name, kept)}-env-${nameDigest(cut ? { workload: workload.name, entries } : entries)}`;
  return fileChoice ? `${name}.${choice ?? fileChoice.defaultValue}` : name;
}

/** Variables of all env files of a workload; a later file wins, as with Compose's env_file. */
export function envFileEntries(workload: WorkloadModel, choice?: string): Record<string, string> {
  return envFileVariables(workload, choice);
}
