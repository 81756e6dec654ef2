import { createHash } from 'crypto';
import { ResourcesModel, StackModel, WorkloadModel } from '../../model';

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
 * Kubernetes expands `$(VAR)` in command, args and env values; a literal `$(` is written
 * `$$(` so that it reaches the container as written.
 */
export function escapeExpansion(text: string): string {
  return text.replace(/\$\(/g, '$$$$(');
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

/** The Secret kustomize generates from the stack's env file. */
export function secretName(model: StackModel): string {
  return `${model.name}-secrets`;
}

/** A short, stable digest of `value` for names that must change when a spec changes. */
export function digest(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 10);
}
