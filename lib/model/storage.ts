/** A volume of the stack that outlives containers. */
export interface VolumeModel {
  readonly name: string;
  readonly path: string;
  readonly sizeBytes: number;
  /** Undefined means the cluster's default storage class. */
  readonly storageClass?: string;
  readonly accessMode: 'ReadWriteOnce' | 'ReadWriteMany' | 'ReadOnlyMany';
}

/** Something mounted into a container. */
export type MountModel =
  | {
      readonly kind: 'volume';
      /** Name of a stack-level `VolumeModel`. */
      readonly volume: string;
      readonly target: string;
      readonly readOnly: boolean;
    }
  | {
      /** A workload's own data volume: a claim per replica on Kubernetes. */
      readonly kind: 'data';
      readonly name: string;
      readonly target: string;
      readonly sizeBytes: number;
      readonly storageClass?: string;
    }
  | { readonly kind: 'bind'; readonly source: string; readonly target: string; readonly readOnly: boolean }
  | { readonly kind: 'tmpfs'; readonly target: string; readonly sizeBytes?: number };
