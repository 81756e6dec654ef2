import { Size } from '../core/size';
import { EnvValue } from './env-value';
import { EnvFile } from './files';
import { HealthCheck } from './health-check';
import { Logging } from './logging';
import { Network } from './network';
import { Mount } from './volume';

/**
 * How to build the image from source (Compose only).
 */
export interface BuildOptions {
  /**
   * Build context: relative to the app's folder (the working directory of synth), or an
   * absolute path such as `path.join(__dirname, 'backend')`, which is written relative to it.
   */
  readonly context: string;

  /**
   * Dockerfile, relative to the context.
   *
   * @default 'Dockerfile'
   */
  readonly dockerfile?: string;

  /**
   * Stage of a multi-stage Dockerfile to build.
   *
   * @default - the last stage
   */
  readonly target?: string;

  /**
   * Build arguments.
   *
   * @default - none
   */
  readonly args?: Record<string, string>;
}

/**
 * CPU and memory for one container.
 */
export interface ResourceAmounts {
  /**
   * CPU in cores (0.5 is half a core).
   *
   * @default - no CPU amount
   */
  readonly cpu?: number;

  /**
   * Memory.
   *
   * @default - no memory amount
   */
  readonly memory?: Size;
}

/**
 * Resource limits and reservations.
 */
export interface ResourceOptions {
  /**
   * The most the container may use: Compose `deploy.resources.limits`, Kubernetes `limits`.
   *
   * @default - unlimited
   */
  readonly limits?: ResourceAmounts;

  /**
   * What the container is guaranteed: Compose `deploy.resources.reservations`, Kubernetes `requests`.
   *
   * @default - nothing reserved
   */
  readonly requests?: ResourceAmounts;
}

/**
 * Settings a workload takes where its own props leave them unset: an organisation's defaults,
 * applied by an aspect (`Workload.applyDefaults`).
 */
export interface WorkloadDefaults {
  /**
   * Limits and reservations, amount by amount under those the workload was given.
   *
   * @default - none
   */
  readonly resources?: ResourceOptions;

  /**
   * Hardening, setting by setting under what the workload (or its construct) chose.
   *
   * @default - none
   */
  readonly security?: SecurityOptions;
}

/**
 * Hardening of a container.
 */
export interface SecurityOptions {
  /**
   * Numeric user id the process runs as; it also makes Kubernetes refuse to run it as root.
   *
   * @default - the image's user
   */
  readonly user?: number;

  /**
   * Numeric group id the process runs as.
   *
   * @default - the image's group
   */
  readonly group?: number;

  /**
   * Mount the root filesystem read-only. Give the paths the process writes to as `Mount.tmpfs` or volumes.
   *
   * @default false
   */
  readonly readOnlyRootFilesystem?: boolean;

  /**
   * Linux capabilities to drop ('ALL' drops every one).
   *
   * @default - none dropped
   */
  readonly dropCapabilities?: string[];

  /**
   * Linux capabilities to add back after dropping (e.g. 'NET_BIND_SERVICE').
   *
   * @default - none
   */
  readonly addCapabilities?: string[];

  /**
   * Forbid gaining privileges through setuid binaries: Compose `no-new-privileges`,
   * Kubernetes `allowPrivilegeEscalation: false`.
   *
   * @default true
   */
  readonly noNewPrivileges?: boolean;

  /**
   * Group that owns mounted volumes on Kubernetes, for images whose non-root user must write
   * to its data volume. Compose's named volumes take the ownership of the image's folder instead.
   *
   * @default - the volume's own ownership
   */
  readonly fsGroup?: number;
}

/**
 * When Compose restarts a long-running container that stopped.
 */
export type RestartPolicy = 'unless-stopped' | 'always' | 'on-failure' | 'no';

/**
 * Anything another workload can wait for: a service or a one-shot job.
 */
export interface IDependable {
  /** The workload's name: its Compose service name and Kubernetes object name. */
  readonly workloadName: string;
}

/**
 * Properties every container workload accepts.
 */
export interface WorkloadOptions {
  /**
   * Image reference. Required for Kubernetes; with `build`, the tag the build produces.
   *
   * @default - none: `build` must be given and the stack must render only Compose
   */
  readonly image?: string;

  /**
   * Build the image from source on Compose.
   *
   * @default - the image is pulled
   */
  readonly build?: BuildOptions;

  /**
   * Replaces the image's entrypoint.
   *
   * @default - the image's entrypoint
   */
  readonly entrypoint?: string[];

  /**
   * Replaces the image's command (arguments of the entrypoint).
   *
   * @default - the image's command
   */
  readonly command?: string[];

  /**
   * Working directory of the process.
   *
   * @default - the image's working directory
   */
  readonly workingDir?: string;

  /**
   * Environment variables. Values that look sensitive (passwords, tokens) must be Secrets.
   *
   * @default - none
   */
  readonly env?: Record<string, EnvValue>;

  /**
   * How to tell that the container is healthy: what dependents wait for and what traffic waits
   * on, on both targets (Compose's `healthcheck`, Kubernetes' readinessProbe). A failing check
   * restarts nothing, as on Compose, unless `restartWhenUnhealthy` asks for it.
   *
   * @default - no health check: dependents wait only for the container to start
   */
  readonly healthCheck?: HealthCheck;

  /**
   * A separate check of readiness to take traffic, for services whose liveness and readiness
   * differ (`/health` answers while the process runs; `/ready` also needs the database).
   * Dependents wait for it on both targets (Compose's `healthcheck`, Kubernetes'
   * readinessProbe), and `healthCheck` becomes the check that restarts a wedged process on
   * Kubernetes (the livenessProbe, with a startupProbe for its start period); Compose cannot
   * restart an unhealthy container, and synth notes it. Needs a `healthCheck`.
   *
   * @default - the healthCheck is the readiness check, and nothing restarts on a failed check
   */
  readonly readinessCheck?: HealthCheck;

  /**
   * Restart the container when `healthCheck` fails: a livenessProbe (and a startupProbe for its
   * start period) on Kubernetes. Compose never restarts an unhealthy container; synth notes it.
   *
   * @default false
   */
  readonly restartWhenUnhealthy?: boolean;

  /**
   * CPU and memory limits and reservations.
   *
   * @default - none
   */
  readonly resources?: ResourceOptions;

  /**
   * Volumes, host paths and scratch space mounted into the container.
   *
   * @default - none
   */
  readonly mounts?: Mount[];

  /**
   * Hardening of the container.
   *
   * @default - no-new-privileges only
   */
  readonly security?: SecurityOptions;

  /**
   * Workloads that must be ready (healthy, started, or completed for jobs) before this one starts.
   *
   * @default - none
   */
  readonly after?: IDependable[];

  /**
   * Labels on the Compose service; annotations on the Kubernetes controller (label values
   * there are too restricted for arbitrary text).
   *
   * @default - none
   */
  readonly labels?: Record<string, string>;

  /**
   * Files of plain `NAME=value` lines added to the environment (Compose `env_file`; a
   * ConfigMap on Kubernetes). Secrets belong in `env` as `Secret`s, not here.
   *
   * @default - none
   */
  readonly envFiles?: EnvFile[];

  /**
   * Who may reach the workload's ports. 'connections': only the workloads that connect to it
   * (`connect()`, or naming it in their environment or command) and, for a public endpoint,
   * the ingress controller: a Compose network of its own that only they join, and a
   * NetworkPolicy on Kubernetes. 'none': every workload of the stack, as on one shared network
   * (reported). Has no effect where the stack's `networkIsolation` is off.
   *
   * @default 'connections'
   */
  readonly isolation?: 'connections' | 'none';

  /**
   * When Compose restarts the container after it stops (long-running workloads only; a job
   * never restarts). Kubernetes restarts the container of a Deployment or StatefulSet always:
   * 'no' and 'on-failure' are reported there.
   *
   * @default 'unless-stopped'
   */
  readonly restart?: RestartPolicy;

  /**
   * Compose profiles the workload belongs to: it starts only when one is enabled
   * (`docker compose --profile dev up`). On Kubernetes it is rendered only when its stack
   * enables one of them (`StackProps.profiles`).
   *
   * @default - always started
   */
  readonly profiles?: string[];

  /**
   * Fixed Compose container name. It rules out replicas on Compose, and means nothing on Kubernetes.
   *
   * @default - Compose names containers after the project and service
   */
  readonly containerName?: string;

  /**
   * Compose networks the workload joins. Kubernetes has one network per namespace.
   *
   * @default - the project's default network
   */
  readonly networks?: Network[];

  /**
   * Logging driver and options on Compose. Left out on Kubernetes, where the cluster's log
   * pipeline decides.
   *
   * @default - the engine's default
   */
  readonly logging?: Logging;
}

/**
 * A container port.
 */
export interface PortOptions {
  /** The port the process listens on inside the container. */
  readonly port: number;

  /**
   * Port name (at most 15 characters, lower-case letters, digits and '-').
   *
   * @default - 'tcp-<port>' or 'udp-<port>'
   */
  readonly name?: string;

  /**
   * @default 'TCP'
   */
  readonly protocol?: 'TCP' | 'UDP';

  /**
   * Publish the port on the developer's machine (Compose only; Kubernetes reaches it
   * through a Service, or an Ingress for a public endpoint). 0 publishes it on a free port
   * the engine picks (`docker compose port <service> <port>` tells which).
   *
   * @default - not published
   */
  readonly hostPort?: number;

  /**
   * Host address the published port binds to ('127.0.0.1' keeps it off the network).
   *
   * @default - all interfaces
   */
  readonly hostIp?: string;
}

/**
 * Where the public reaches a web service.
 */
export interface PublicEndpointOptions {
  /** Host name, e.g. 'api.example.com'. */
  readonly host: string;

  /**
   * Path prefix.
   *
   * @default '/'
   */
  readonly path?: string;

  /**
   * Kubernetes TLS Secret with the certificate for `host`.
   *
   * @default - plain HTTP
   */
  readonly tlsSecretName?: string;

  /**
   * Ingress class that serves the endpoint.
   *
   * @default - the cluster's default ingress class
   */
  readonly ingressClassName?: string;
}
