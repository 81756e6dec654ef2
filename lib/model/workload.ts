import { EnvVarModel, ValuePart } from './env';
import { HealthCheckModel } from './health-check';
import { MountModel } from './storage';

/** A container port, and where it is published for local use. */
export interface PortModel {
  /** IANA-style port name, unique within the workload (Kubernetes port names are at most 15 characters). */
  readonly name: string;
  readonly containerPort: number;
  readonly protocol: 'TCP' | 'UDP';
  /** Host port on the developer's machine (Compose only); a parameter's default when `hostPortParameter` is set. */
  readonly hostPort?: number;
  /** The deploy-time parameter that chooses the host port. */
  readonly hostPortParameter?: string;
  /** Host address the published port binds to. */
  readonly hostIp?: string;
}

/** Why a workload waits for another before it starts. */
export type DependencyCondition = 'healthy' | 'started' | 'completed';

/**
 * A wait for a workload of another stack, reached over a network that stack shares: the
 * consumer starts once the target answers on its port (decision 16).
 */
export interface CrossStackWaitModel {
  /** The stack that provides the target; it is deployed first. */
  readonly stack: string;
  /** The target's name in its stack (its Compose service name). */
  readonly target: string;
  /** The port the wait probes: the target's first. */
  readonly port: number;
  /** The network of the target's stack, joined as external, through which the consumer reaches it. */
  readonly network: string;
}

export interface DependencyModel {
  /** Name of the workload depended on. */
  readonly target: string;
  readonly condition: DependencyCondition;
}

export interface BuildModel {
  readonly context: string;
  readonly dockerfile?: string;
  readonly target?: string;
  /** Build arguments in the order given. */
  readonly args: readonly { readonly name: string; readonly value: string }[];
}

export interface ResourcesModel {
  /** CPU in millicores. */
  readonly cpuMillis?: number;
  readonly memoryBytes?: number;
}

export interface SecurityModel {
  readonly runAsUser?: number;
  readonly runAsGroup?: number;
  readonly readOnlyRootFilesystem: boolean;
  readonly dropCapabilities: readonly string[];
  readonly addCapabilities: readonly string[];
  readonly noNewPrivileges: boolean;
  /** Group that owns mounted volumes on Kubernetes (Compose volumes keep the image's ownership). */
  readonly fsGroup?: number;
}

export interface PublicEndpointModel {
  readonly host: string;
  readonly path: string;
  /** Port name of the workload the endpoint routes to. */
  readonly portName: string;
  /** Name of the Kubernetes TLS Secret holding the certificate; undefined for plain HTTP. */
  readonly tlsSecretName?: string;
  readonly ingressClassName?: string;
  /** The Compose service (a reverse proxy) that routes the endpoint on Compose, if any. */
  readonly composeProxy?: string;
}

/**
 * One container workload with every default resolved.
 *
 * `service` runs until stopped; `job` runs once to completion per deploy.
 */
export interface WorkloadModel {
  readonly name: string;
  /** Construct path, for messages. */
  readonly path: string;
  readonly kind: 'service' | 'job';
  /** A service whose data must survive restarts: StatefulSet with claims on Kubernetes. */
  readonly stateful: boolean;
  /** One copy per node (an agent): a DaemonSet on Kubernetes. */
  readonly perNode: boolean;
  /** Why the workload exists on Compose only; set, it is left out on Kubernetes with this reason. */
  readonly composeOnly?: string;
  /**
   * Its name resolves before it is ready, as Compose's DNS always does: for a server that
   * must reach itself by name to initialize (a MongoDB replica set naming its own member).
   * Kubernetes: its Service publishes not-ready addresses.
   */
  readonly resolvableBeforeReady?: boolean;
  /** The image reference given, parameters replaced by their defaults; undefined for a workload built from source without one. */
  readonly image?: string;
  /** The image with its deploy-time parameters, when it has any. */
  readonly imageTemplate?: readonly ValuePart[];
  /**
   * The name Compose gives the image it builds when no `image` is given (`<project>-<service>`):
   * what Kubernetes runs, once it is pushed where the cluster pulls from.
   */
  readonly builtImage?: string;
  readonly build?: BuildModel;
  readonly entrypoint?: readonly string[];
  readonly command?: readonly string[];
  readonly workingDir?: string;
  readonly env: readonly EnvVarModel[];
  readonly ports: readonly PortModel[];
  /**
   * The check dependents wait for and traffic waits on: Compose's `healthcheck`, Kubernetes'
   * readinessProbe. It never restarts anything, on either target.
   */
  readonly healthCheck?: HealthCheckModel;
  /** The check that restarts the container when it fails, asked for explicitly: Kubernetes only (a livenessProbe). */
  readonly livenessCheck?: HealthCheckModel;
  readonly dependsOn: readonly DependencyModel[];
  /** Workloads of other stacks it waits for, by the target's stack and name. */
  readonly waitsAcrossStacks: readonly CrossStackWaitModel[];
  /**
   * The workloads it talks to: those it `connect()`s to, those its environment values and
   * command reach by name, and for a reverse proxy the workloads it routes to. Sorted. Only
   * these may reach the target: a shared network on Compose, a NetworkPolicy on Kubernetes.
   */
  readonly connectsTo: readonly string[];
  /** Whether only the workloads that connect to it may reach it ('connections'), or every pod of the namespace ('none'). */
  readonly isolation: 'connections' | 'none';
  readonly mounts: readonly MountModel[];
  readonly replicas: number;
  /** The deploy-time parameter that chooses the replica count; `replicas` is then its default. */
  readonly replicasParameter?: string;
  readonly limits: ResourcesModel;
  readonly requests: ResourcesModel;
  readonly security: SecurityModel;
  readonly publicEndpoint?: PublicEndpointModel;
  /** When Compose restarts a stopped container: 'no' for a job. */
  readonly restart: 'unless-stopped' | 'always' | 'on-failure' | 'no';
  /** Retries after a failed run (jobs only). */
  readonly backoffLimit: number;
  readonly labels: readonly LabelModel[];
  /** Compose profiles; on Kubernetes the workload is rendered only when its stack enables one of them. */
  readonly profiles: readonly string[];
  /** Fixed Compose container name (which rules out replicas on Compose). */
  readonly containerName?: string;
  /** Names of stack-level networks; empty means the stack's default network. */
  readonly networks: readonly string[];
  /**
   * Hosts it reaches through an external network, which no workload of the stack provides:
   * another stack's, deployed beside it (into the same namespace on Kubernetes).
   */
  readonly hostsElsewhere?: readonly string[];
  readonly logging?: LoggingModel;
  /**
   * Plain (non-secret) variables read from env files, in file order; for a file chosen at
   * deploy time (`envFileChoice`), the one its parameter's default chooses.
   */
  readonly envFiles: readonly EnvFileModel[];
  /** An env file chosen at deploy time by a parameter's value (`EnvFile.chosenBy`). */
  readonly envFileChoice?: EnvFileChoiceModel;
}

/** Env files a parameter chooses between; the default's stands in `envFiles`. */
export interface EnvFileChoiceModel {
  readonly parameter: string;
  /** The value that chooses each file, in the source's order. */
  readonly options: readonly { readonly value: string; readonly file: EnvFileModel }[];
  /** Where the chosen file stands among `envFiles` (a later file wins). */
  readonly index: number;
  /** The parameter's default: the option `envFiles` holds. */
  readonly defaultValue: string;
}

export interface LabelModel {
  readonly name: string;
  readonly value: string;
  /** False for labels only a Compose-side tool reads (Traefik's router labels). */
  readonly onKubernetes: boolean;
}

export interface LoggingModel {
  readonly driver: string;
  readonly options: readonly { readonly name: string; readonly value: string }[];
}

/** An env file of the app, with what it sets. */
export interface EnvFileModel {
  /** Path relative to the app's folder, as given. */
  readonly path: string;
  readonly entries: readonly { readonly name: string; readonly value: string }[];
}

/**
 * Variables of all env files of a workload; a later file wins, as with Compose's env_file. With
 * `choice`, the variables when the workload's env file choice takes that value.
 */
export function envFileVariables(workload: WorkloadModel, choice?: string): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const file of envFilesFor(workload, choice)) {
    for (const entry of file.entries) entries[entry.name] = entry.value;
  }
  return entries;
}

/** The env files a workload reads when its env file choice takes the value `choice` (default: its default). */
export function envFilesFor(workload: WorkloadModel, choice?: string): readonly EnvFileModel[] {
  const fileChoice = workload.envFileChoice;
  if (!fileChoice || choice === undefined || choice === fileChoice.defaultValue) return workload.envFiles;
  const chosen = fileChoice.options.find((o) => o.value === choice);
  if (!chosen) return workload.envFiles;
  return workload.envFiles.map((file, i) => (i === fileChoice.index ? chosen.file : file));
}

/** Every env file a workload may read: its own, and each option of its choice. */
export function everyEnvFile(workload: WorkloadModel): readonly EnvFileModel[] {
  const options = workload.envFileChoice?.options.map((o) => o.file) ?? [];
  return [...new Set([...workload.envFiles, ...options])];
}
