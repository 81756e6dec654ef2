import { Construct } from 'constructs';
import { Annotations } from '../core/annotations';
import { usableId } from '../core/construct-id';
import { KnownProps, checkProps, knownProps, unknownPropProblems } from '../core/known-props';
import { dnsSubdomainProblem, workloadNameProblem } from '../core/names';
import { Size } from '../core/size';
import { Target, VolumeModel } from '../model';
import { ConfigFile } from './files';

const VOLUME_SYMBOL = Symbol.for('cdk-compose.Volume');
const MOUNT_SYMBOL = Symbol.for('cdk-compose.Mount');

/**
 * Properties for a `Volume`.
 */
export interface VolumeProps {
  /**
   * The volume's name in the Compose project (Compose prefixes it with the project's name on
   * the engine, so an existing project's data is found under the same name). On Kubernetes the
   * claim is named `kubernetesName(name)`: each '_' and '.' becomes '-'.
   *
   * @default - the construct's id
   */
  readonly name?: string;

  /**
   * Size claimed on Kubernetes.
   *
   * @default Size.gibibytes(1)
   */
  readonly size?: Size;

  /**
   * Kubernetes storage class of the claim.
   *
   * @default - the cluster's default storage class
   */
  readonly storageClass?: string;

  /**
   * How the claim may be mounted on Kubernetes. A volume shared by several workloads or
   * replicas needs 'ReadWriteMany' (and a storage class that offers it).
   *
   * @default 'ReadWriteOnce'
   */
  readonly accessMode?: 'ReadWriteOnce' | 'ReadWriteMany' | 'ReadOnlyMany';
}

const PROPS = knownProps<VolumeProps>('VolumeProps', ['name', 'size', 'storageClass', 'accessMode']);

/**
 * A named volume that outlives containers and can be shared between services.
 *
 * Compose: a top-level named volume. Kubernetes: a PersistentVolumeClaim.
 */
export class Volume extends Construct {
  public static isVolume(x: unknown): x is Volume {
    return typeof x === 'object' && x !== null && VOLUME_SYMBOL in x;
  }

  public readonly volumeName: string;
  private readonly props: VolumeProps;

  constructor(scope: Construct, givenId: string, props: VolumeProps = {}) {
    const { id, standIn } = usableId(scope, givenId, { what: 'a volume', example: 'uploads', meaning: 'the id is its volume name unless the name prop gives another' });
    super(scope, id);
    Object.defineProperty(this, VOLUME_SYMBOL, { value: true });
    this.props = props;
    checkProps(this, Volume, props, PROPS);
    this.volumeName = typeof props.name === 'string' ? props.name : id;

    const nameProblem = standIn && typeof props.name !== 'string' ? undefined : workloadNameProblem(this.volumeName);
    if (nameProblem) {
      Annotations.of(this).addError(`volume name ${nameProblem}`);
    }
    const accessModes = ['ReadWriteOnce', 'ReadWriteMany', 'ReadOnlyMany'];
    if (props.accessMode !== undefined && !accessModes.includes(props.accessMode)) {
      Annotations.of(this).addError(`accessMode ${JSON.stringify(props.accessMode)} is not one of ${accessModes.join(', ')}`);
    }
    const sizeProblem = props.size && (Size.isSize(props.size) ? props.size._problem() : 'size must be a Size, e.g. Size.gibibytes(1)');
    if (sizeProblem) {
      Annotations.of(this).addError(`${sizeProblem}; got ${JSON.stringify(props.size)}`);
    }
    const storageClassProblem = props.storageClass !== undefined ? storageClassProblemOf(props.storageClass) : undefined;
    if (storageClassProblem) {
      Annotations.of(this).addError(storageClassProblem);
    }
  }

  /** @internal */
  public _toModel(): VolumeModel {
    return {
      name: this.volumeName,
      path: this.node.path,
      sizeBytes: (this.props.size ?? Size.gibibytes(1)).bytes,
      storageClass: this.props.storageClass,
      accessMode: this.props.accessMode ?? 'ReadWriteOnce',
    };
  }
}

/** Why `storageClass` cannot name a Kubernetes StorageClass (a Volume's or a data volume's), or undefined. */
export function storageClassProblemOf(storageClass: unknown): string | undefined {
  const problem = dnsSubdomainProblem(storageClass);
  return problem && `storageClass ${problem}; it names a Kubernetes StorageClass, e.g. 'fast-ssd'`;
}

/**
 * Options for a mount.
 */
export interface MountOptions {
  /**
   * Mount read-only.
   *
   * @default false
   */
  readonly readOnly?: boolean;
}

/**
 * Options for a bind mount of a file or folder of the app.
 */
export interface BindOptions extends MountOptions {
  /**
   * Whether something stands for the bind on Kubernetes, which has no folders of the app.
   * 'stand-in': a file is a ConfigMap of its content (read-only), a writable folder a claim
   * of its own that starts empty (so what the container writes is kept), a read-only folder
   * is left out. 'leave-out': the container sees the image's own files there, as for source
   * code mounted for live reload in development.
   *
   * @default 'stand-in'
   */
  readonly onKubernetes?: 'stand-in' | 'leave-out';
}

/**
 * Options for a tmpfs mount.
 */
export interface TmpfsOptions {
  /**
   * Maximum size of the in-memory filesystem.
   *
   * @default - no limit beyond the container's memory
   */
  readonly size?: Size;
}

/**
 * Options for a host path mount.
 */
export interface HostPathOptions {
  /**
   * Path inside the container.
   *
   * @default - the same path as on the host (log files are found by the path the runtime records)
   */
  readonly target?: string;

  /**
   * Mount read-only. A read-only Docker socket still accepts API calls: it only stops the
   * socket file from being replaced.
   *
   * @default true
   */
  readonly readOnly?: boolean;

  /**
   * The targets that mount the path; the others leave it out (with a note).
   *
   * @default ['compose', 'kubernetes']
   */
  readonly targets?: Target[];
}

/**
 * Options for a config file mount.
 */
export interface ConfigMountOptions {
  /**
   * Permission bits of the file, e.g. 0o755 for a script that must be executable. On Compose
   * they are the mode of the file synth writes, which the read-only bind mount shows (owned by
   * whoever wrote it, so keep it readable by others); on Kubernetes the ConfigMap item's mode.
   *
   * @default 0o644
   */
  readonly mode?: number;
}

const MOUNT_OPTIONS = knownProps<MountOptions>('MountOptions', ['readOnly']);
const BIND_OPTIONS = knownProps<BindOptions>('BindOptions', ['readOnly', 'onKubernetes']);
const TMPFS_OPTIONS = knownProps<TmpfsOptions>('TmpfsOptions', ['size']);
const HOST_PATH_OPTIONS = knownProps<HostPathOptions>('HostPathOptions', ['target', 'readOnly', 'targets']);
const CONFIG_MOUNT_OPTIONS = knownProps<ConfigMountOptions>('ConfigMountOptions', ['mode']);

/** Something mounted into a container's filesystem. */
export class Mount {
  /** A named `Volume` at `target`. */
  public static volume(volume: Volume, target: string, options: MountOptions = {}): Mount {
    return new Mount({ kind: 'volume', volume, target, readOnly: options.readOnly ?? false }, options, MOUNT_OPTIONS);
  }

  /**
   * A file or folder of the app (relative to its folder) at `target`. Kubernetes has no folders
   * of the app: see `BindOptions.onKubernetes` for what stands for it there.
   */
  public static bind(source: string, target: string, options: BindOptions = {}): Mount {
    return new Mount(
      { kind: 'bind', source, target, readOnly: options.readOnly ?? false, onKubernetes: options.onKubernetes ?? 'stand-in' },
      options,
      BIND_OPTIONS,
    );
  }

  /**
   * An absolute path of the machine the container runs on, read-only by default: a log
   * folder or the Docker socket that a per-node agent reads.
   *
   * Compose: a bind of the Docker host's path. Kubernetes: a `hostPath` volume of the node,
   * allowed only for workloads that run one copy per node (`AgentService`); for any other
   * workload synth fails, since a pod that can land on any node must not depend on one
   * node's files. `options.targets` keeps a path to one target when the host layouts differ
   * (`/var/lib/docker/containers` on a Docker host, `/var/log/pods` on a node).
   */
  public static hostPath(source: string, options: HostPathOptions = {}): Mount {
    return new Mount(
      {
        kind: 'hostPath',
        source,
        target: options.target ?? source,
        readOnly: options.readOnly ?? true,
        targets: options.targets ?? ['compose', 'kubernetes'],
      },
      options,
      HOST_PATH_OPTIONS,
    );
  }

  /** Scratch space in memory: Compose `tmpfs`, Kubernetes `emptyDir` with medium Memory. */
  public static tmpfs(target: string, options: TmpfsOptions = {}): Mount {
    return new Mount({ kind: 'tmpfs', target, size: options.size }, options, TMPFS_OPTIONS);
  }

  /**
   * A file known at synth time, read-only at `target`: on Compose a read-only bind mount of the
   * file synth writes under `config/`, on Kubernetes a ConfigMap.
   */
  public static config(file: ConfigFile, target: string, options: ConfigMountOptions = {}): Mount {
    return new Mount({ kind: 'config', file, target, mode: options.mode }, options, CONFIG_MOUNT_OPTIONS);
  }

  public static isMount(x: unknown): x is Mount {
    return typeof x === 'object' && x !== null && MOUNT_SYMBOL in x;
  }

  private readonly found: readonly string[];

  private constructor(
    public readonly spec: MountSpec,
    options: unknown,
    known: KnownProps,
  ) {
    Object.defineProperty(this, MOUNT_SYMBOL, { value: true });
    this.found = unknownPropProblems(`Mount.${spec.kind} at ${spec.target}`, options, known, 'option');
  }

  /** @internal What is wrong with the options given (a key the factory does not take), if anything. */
  public _problems(): readonly string[] {
    return this.found;
  }
}

export type MountSpec =
  | { readonly kind: 'volume'; readonly volume: Volume; readonly target: string; readonly readOnly: boolean }
  | {
      readonly kind: 'bind';
      readonly source: string;
      readonly target: string;
      readonly readOnly: boolean;
      readonly onKubernetes: 'stand-in' | 'leave-out';
    }
  | {
      readonly kind: 'hostPath';
      readonly source: string;
      readonly target: string;
      readonly readOnly: boolean;
      readonly targets: readonly Target[];
    }
  | { readonly kind: 'tmpfs'; readonly target: string; readonly size?: Size }
  | { readonly kind: 'config'; readonly file: ConfigFile; readonly target: string; readonly mode?: number };
