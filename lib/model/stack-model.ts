import { SecretModel } from './env';
import { VolumeModel } from './storage';
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
  readonly volumes: readonly VolumeModel[];
  readonly secrets: readonly SecretModel[];
}

/** What a renderer produced besides its documents: things a target could not express. */
export interface RenderResult<T> {
  readonly documents: T;
  readonly messages: readonly MessageModel[];
}
