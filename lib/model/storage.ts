import type { ValuePart } from './env';
import type { Target } from './stack-model';

/** A volume of the stack that outlives containers. */
export interface VolumeModel {
  readonly name: string;
  readonly path: string;
  readonly sizeBytes: number;
  /** Undefined means the cluster's default storage class. */
  readonly storageClass?: string;
  readonly accessMode: 'ReadWriteOnce' | 'ReadWriteMany' | 'ReadOnlyMany';
  /** A claim that stands for a bind mount of this folder of the app on Kubernetes (no Compose volume). */
  readonly forBind?: string;
}

/** Something mounted into a container. */
export type MountModel =
  | {
      readonly kind: 'volume';
      /** Name of a stack-level `VolumeModel`. */
      readonly volume: string;
      readonly target: string;
      readonly readOnly: boolean;
      /** The folder of the claim mounted at `target` on Kubernetes (Compose mounts the whole volume). */
      readonly kubernetesSubPath?: string;
    }
  | {
      /** A workload's own data volume: a claim per replica on Kubernetes. */
      readonly kind: 'data';
      readonly name: string;
      readonly target: string;
      readonly sizeBytes: number;
      readonly storageClass?: string;
    }
  | {
      readonly kind: 'bind';
      /** Relative to the app's folder; parameters replaced by their defaults. */
      readonly source: string;
      /** The source with its deploy-time parameters, when it has any. */
      readonly sourceTemplate?: readonly ValuePart[];
      readonly target: string;
      readonly readOnly: boolean;
      /**
       * What stands for it on Kubernetes, which has no folders of the app: a file becomes a
       * ConfigMap (read-only), a folder a claim of its own that starts empty. Undefined for an
       * absolute path of the host, which is left out there.
       */
      readonly kubernetes?: BindOnKubernetes;
      /** Nothing stands for it on Kubernetes, by choice (`onKubernetes: 'leave-out'`). */
      readonly leftOutOnKubernetes?: boolean;
      /** The folder of its stand-in claim mounted at `target` on Kubernetes. */
      readonly kubernetesSubPath?: string;
    }
  | {
      /**
       * An absolute path of the machine the container runs on (a node's log folder, the Docker
       * socket): a bind on Compose, a `hostPath` volume on Kubernetes (per-node workloads only).
       */
      readonly kind: 'hostPath';
      readonly source: string;
      readonly target: string;
      readonly readOnly: boolean;
      /** The targets that mount it; the others leave it out. */
      readonly targets: readonly Target[];
    }
  | { readonly kind: 'tmpfs'; readonly target: string; readonly sizeBytes?: number }
  | {
      /** A file with content known at synth time, mounted read-only. */
      readonly kind: 'config';
      /** Unique in the stack: names the Compose file's folder (`config/<name>/`) and the Kubernetes ConfigMap. */
      readonly name: string;
      readonly fileName: string;
      readonly content: string;
      readonly target: string;
      /** Octal permission bits, e.g. 0o755 for a script. */
      readonly mode?: number;
    };

/** What a bind mount of the app's folder becomes on Kubernetes. */
export type BindOnKubernetes =
  | { readonly kind: 'claim'; readonly claim: string }
  | { readonly kind: 'config'; readonly name: string; readonly fileName: string; readonly content: string };

/** A network of the stack. */
export interface NetworkModel {
  readonly name: string;
  readonly path: string;
  /** Created by another Compose project; this one only joins it. */
  readonly external: boolean;
  /** Named `name` on the Docker engine (not project-scoped), so that other projects can join it. */
  readonly shared?: boolean;
}
