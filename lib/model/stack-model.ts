import { ParameterModel, SecretModel } from './env';
import { NetworkModel, VolumeModel } from './storage';
import { WorkloadModel } from './workload';

/** A platform a stack is rendered for. */
export type Target = 'compose' | 'kubernetes';

/** A message about the source, attached to the construct it concerns. */
export interface MessageModel {
  readonly level: 'error' | 'warning' | 'info';
  readonly path: string;
  readonly message: string;
}

/**
 * Everything a renderer needs to know about one stack, and nothing else.
 *
 * Plain, immutable data with every default resolved: renderers read only this.
 */
/** The Pod Security Standards' levels, from the most to the least permissive. */
export type PodSecurityLevel = 'privileged' | 'baseline' | 'restricted';

export const POD_SECURITY_LEVELS: readonly PodSecurityLevel[] = ['privileged', 'baseline', 'restricted'];

export interface StackModel {
  readonly name: string;
  readonly path: string;
  readonly targets: readonly Target[];
  /** Kubernetes namespace; undefined leaves the choice to `kubectl apply -n`. */
  readonly namespace?: string;
  /** Image of the init containers that wait for a TCP port on Kubernetes. */
  readonly waitImage: string;
  /** Image of the init containers that wait for a Job on Kubernetes (must contain `kubectl`). */
  readonly kubectlImage: string;
  readonly workloads: readonly WorkloadModel[];
  /** The stacks deployed before this one, by name, sorted: those it waits for or declares a dependency on. */
  readonly requires: readonly string[];
  readonly volumes: readonly VolumeModel[];
  readonly networks: readonly NetworkModel[];
  readonly secrets: readonly SecretModel[];
  /** Values chosen at deploy time, by name. */
  readonly parameters: readonly ParameterModel[];
  /** The deployment environment the stack describes ('dev', 'prod'), when it names one. */
  readonly environment?: string;
  /** Profiles enabled on Kubernetes; workloads in other profiles are left out there. */
  readonly profiles: readonly string[];
  /** Whether a workload is reachable only from those that connect to it (networks on Compose, NetworkPolicies on Kubernetes). */
  readonly networkIsolation: boolean;
  /** Who reaches a workload's public endpoint on Kubernetes: the ingress controller's pods. */
  readonly ingressController: { readonly namespaceLabels: Readonly<Record<string, string>>; readonly podLabels: Readonly<Record<string, string>> };
  /** The Pod Security Standard the namespace enforces, when the stack declares one. */
  readonly podSecurity?: PodSecurityLevel;
}

/** Whether a workload is part of the Kubernetes rendering of a stack with `profiles` enabled. */
export function isRenderedOnKubernetes(workload: WorkloadModel, profiles: readonly string[]): boolean {
  if (workload.composeOnly !== undefined) return false;
  return workload.profiles.length === 0 || workload.profiles.some((p) => profiles.includes(p));
}

/** Why a workload is left out on Kubernetes, for messages; undefined when it is rendered there. */
export function kubernetesExclusionReason(workload: WorkloadModel, profiles: readonly string[]): string | undefined {
  if (workload.composeOnly !== undefined) return workload.composeOnly;
  return isRenderedOnKubernetes(workload, profiles)
    ? undefined
    : `its profiles (${workload.profiles.join(', ')}) are not enabled in this stack`;
}

/** What a renderer produced besides its documents: things a target could not express. */
export interface RenderResult<T> {
  readonly documents: T;
  readonly messages: readonly MessageModel[];
}
