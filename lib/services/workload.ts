import { Construct } from 'constructs';
import { Annotations } from '../core/annotations';
import { usableId } from '../core/construct-id';
import { knownProps, unknownPropProblems } from '../core/known-props';
import { DNS_LABEL_MAX, KEPT_BEFORE_DIGEST, workloadNameProblem } from '../core/names';
import { hasParameter, numberParameter } from '../core/parameter';
import { Size } from '../core/size';
import { Stack } from '../core/stack';
import {
  CrossStackWaitModel,
  DependencyModel,
  EnvVarModel,
  HealthCheckModel,
  LabelModel,
  MountModel,
  PortModel,
  PublicEndpointModel,
  SecretModel,
  WorkloadModel,
} from '../model';
import { ConnectOptions, Connectable, IConnectable, envPrefix } from './connectable';
import { EnvValue, textParts } from './env-value';
import { Secret } from './secret';
import { HealthCheck } from './health-check';
import { IDependable, PortOptions, PublicEndpointOptions, ResourceAmounts, ResourceOptions, SecurityOptions, WorkloadDefaults, WorkloadOptions } from './options';
import {
  resolveBuild,
  resolveEnv,
  resolveEnvFiles,
  resolveLabels,
  resolveLogging,
  resolveMounts,
  resolveNetworks,
  resolvePorts,
  resolveProfiles,
  resolvePublicEndpoint,
  resolveSecurity,
  resolveLimitsAndRequests,
} from './private/resolve';
import { Mount, storageClassProblemOf } from './volume';
import { Network } from './network';
import { CrossStackParty, crossStackWait } from './private/cross-stack';

const WORKLOAD_SYMBOL = Symbol.for('cdk-compose.Workload');

/** The grammar of an image reference (distribution/reference): path components are lower case. */
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
export const IMAGE_REFERENCE = new RegExp(
  `^(?:[a-zA-Z0-9-]+(?:\\.[a-zA-Z0-9-]+)*(?::[0-9]+)?/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*` +
    '(?::[\\w][\\w.-]{0,127})?(?:@[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-fA-F0-9]{32,})?$',
);

const CONNECT_OPTIONS = knownProps<ConnectOptions>('ConnectOptions', ['env', 'database', 'scheme', 'waitFor']);

/**
 * What kind of workload a subclass is. Not props: a user chooses the construct, not these.
 */
export interface WorkloadTraits {
  readonly kind: 'service' | 'job';
  readonly stateful?: boolean;
  /** One copy on every node (a log or metrics agent): a DaemonSet on Kubernetes. */
  readonly perNode?: boolean;
  readonly ports?: PortOptions[];
  readonly replicas?: number;
  readonly publicEndpoint?: PublicEndpointOptions;
  /** The workload's own data directory, claimed per replica. */
  readonly dataVolume?: {
    readonly target: string;
    readonly size: Size;
    readonly storageClass?: string;
    /**
     * Whether the user chose the size or the storage class (`storage`, `storageClass`), which a
     * volume given at `target` in place of this one would silently ignore.
     */
    readonly chosen?: boolean;
    /**
     * The folder of a user's volume that Kubernetes mounts at `target` when that volume
     * replaces the workload's own: a fresh claim's root holds lost+found, which some servers
     * (initdb) refuse as their data directory.
     */
    readonly kubernetesSubPath?: string;
  };
  readonly backoffLimit?: number;
  /** The image to use when `image` and `build` are absent. */
  readonly defaultImage?: string;
  /**
   * Why the workload exists on Compose only (a reverse proxy whose job the cluster's ingress
   * controller does): it is left out on Kubernetes with this reason.
   */
  readonly composeOnly?: string;
  /**
   * Its name must resolve before it is ready, because it reaches itself by that name while it
   * initializes (a MongoDB replica set whose only member is `<name>:27017`).
   */
  readonly resolvableBeforeReady?: boolean;
}

/** The model of one workload and the secrets it needs. */
export interface WorkloadContribution {
  readonly workload: WorkloadModel;
  readonly secrets: SecretModel[];
}

/**
 * A container workload: the base of every service and job construct.
 *
 * Holds intent only; `synth` turns it into a `WorkloadModel`.
 */
export abstract class Workload extends Construct implements IDependable, IConnectable {
  public static isWorkload(x: unknown): x is Workload {
    return typeof x === 'object' && x !== null && WORKLOAD_SYMBOL in x;
  }

  public readonly workloadName: string;
  /** The image reference, for reuse by related workloads (a worker runs the API's image). */
  public readonly image?: string;

  private readonly options: WorkloadOptions;
  private readonly traits: WorkloadTraits;
  private readonly extraEnv: { name: string; value: EnvValue; origin: string }[] = [];
  private readonly dependencies: { target: unknown; origin: string; waitFor?: 'healthy' | 'started' }[] = [];
  private readonly extraMounts: Mount[] = [];
  private readonly extraLabels: LabelModel[] = [];
  /** Names of the workloads `connect()` was given. */
  private readonly connections = new Set<string>();
  private publicEndpointOverride?: { options: PublicEndpointOptions; composeProxy?: string };
  private defaults: WorkloadDefaults = {};

  protected constructor(scope: Construct, givenId: string, options: WorkloadOptions, traits: WorkloadTraits) {
    const { id, standIn } = usableId(scope, givenId, {
      what: 'a workload',
      example: 'api',
      meaning: 'the id is its Compose service name and Kubernetes object name',
    });
    super(scope, id);
    Object.defineProperty(this, WORKLOAD_SYMBOL, { value: true });
    Connectable.mark(this);
    this.workloadName = id;
    const listProblems: string[] = [];
    this.options = onlyLists(options ?? {}, ['after', 'mounts', 'profiles', 'networks', 'envFiles'], listProblems);
    this.traits = onlyLists(traits, ['ports'], listProblems);
    for (const problem of listProblems) Annotations.of(this).addError(problem);
    this.image = this.options.image ?? (this.options.build ? undefined : traits.defaultImage);

    const maxLength = traits.kind === 'job' ? KEPT_BEFORE_DIGEST : DNS_LABEL_MAX;
    const nameProblem = standIn ? undefined : workloadNameProblem(id, maxLength);
    if (nameProblem) {
      const why =
        traits.kind === 'job' && id.length > maxLength && id.length <= DNS_LABEL_MAX
          ? ` because the Kubernetes Job name adds a -<10 hex digits> digest of its spec, and names stop at 63; shorten the name`
          : '; it becomes the Compose service name and Kubernetes object name';
      Annotations.of(this).addError(`name ${nameProblem}${why}`);
    }
    for (const dependency of this.options.after ?? []) {
      this.dependencies.push({ target: dependency, origin: 'after' });
    }
  }

  /** The container port that connections and public endpoints reach (the first port), if any. */
  public get primaryPort(): number | undefined {
    return this.traits.ports?.[0]?.port;
  }

  /** True when this workload runs once to completion rather than until stopped. */
  public get isJob(): boolean {
    return this.traits.kind === 'job';
  }

  /** True when dependents can wait for this workload to be healthy. */
  public get hasHealthCheck(): boolean {
    return HealthCheck.isHealthCheck(this.healthCheck());
  }

  /**
   * Connects this workload to `target`: it gets the variables that reach the target, starts
   * after it (healthy when it has a health check; see `options.waitFor`) and, on Kubernetes,
   * waits for its port.
   */
  public connect(target: IConnectable, options: ConnectOptions = {}): this {
    if (!Connectable.isConnectable(target)) {
      Annotations.of(this).addError(
        `connect() was given ${describe(target)}, which cannot be connected to; ` +
          'pass a service construct that listens on a port (PostgresService, RedisService, WebApp, ContainerService with ports)',
      );
      return this;
    }
    for (const problem of unknownPropProblems(`connect(${target.workloadName})`, options, CONNECT_OPTIONS, 'option')) {
      Annotations.of(this).addError(problem);
    }
    const env = target.connectionEnv(options);
    if (typeof env === 'string') {
      Annotations.of(this).addError(`connect(${target.workloadName}): ${env}`);
      return this;
    }
    for (const [name, value] of Object.entries(env)) {
      this.extraEnv.push({ name, value, origin: `connect(${target.workloadName})` });
    }
    this.connections.add(target.workloadName);
    const waitFor = options.waitFor;
    if (waitFor !== undefined && waitFor !== 'healthy' && waitFor !== 'started' && waitFor !== 'none') {
      Annotations.of(this).addError(
        `connect(${target.workloadName}): waitFor ${JSON.stringify(waitFor)} is not one of 'healthy', 'started' or 'none'`,
      );
    } else if (waitFor !== 'none') {
      this.dependencies.push({ target, origin: `connect(${target.workloadName})`, waitFor });
    }
    return this;
  }

  /** Starts this workload only after `dependency` is ready (healthy, started, or completed for a job). */
  public addDependency(dependency: IDependable): this {
    this.dependencies.push({ target: dependency, origin: 'addDependency' });
    return this;
  }

  public addEnv(name: string, value: EnvValue): this {
    this.extraEnv.push({ name, value, origin: 'addEnv' });
    return this;
  }

  public addMount(mount: Mount): this {
    this.extraMounts.push(mount);
    return this;
  }

  /**
   * Makes the workload reachable from outside at `options.host` (an Ingress on Kubernetes).
   * `composeProxy` names the Compose service that routes it there (a reverse proxy), if any.
   */
  public addPublicEndpoint(options: PublicEndpointOptions, composeProxy?: string): this {
    if (this.publicEndpointOverride || this.traits.publicEndpoint) {
      Annotations.of(this).addError('has two public endpoints; give it one (publicEndpoint or one proxy route)');
    }
    this.publicEndpointOverride = { options, composeProxy };
    return this;
  }

  /**
   * Adds a label. `onKubernetes: false` keeps it to Compose, for labels only a Compose-side
   * tool reads (a reverse proxy's routing labels).
   */
  /**
   * Fills what this workload's props (or its construct) left unset with `defaults`, setting by
   * setting: what was given wins. Meant for aspects that apply an organisation's defaults to
   * every workload under a scope; defaults applied later win over earlier ones.
   */
  public applyDefaults(defaults: WorkloadDefaults): this {
    const earlier = this.defaults;
    this.defaults = {
      resources: {
        limits: { ...earlier.resources?.limits, ...defaults.resources?.limits },
        requests: { ...earlier.resources?.requests, ...defaults.resources?.requests },
      },
      security: { ...earlier.security, ...defaults.security },
    };
    return this;
  }

  public addLabel(name: string, value: string, options: { onKubernetes?: boolean } = {}): this {
    this.extraLabels.push({ name, value, onKubernetes: options.onKubernetes ?? true });
    return this;
  }

  /**
   * What a consumer needs to reach this workload: by default `<NAME>_HOST` and `<NAME>_PORT`
   * for its first port, or `host:port` in the variable named by `options.env`.
   */
  public connectionEnv(options: ConnectOptions): Record<string, EnvValue> | string {
    const port = this.traits.ports?.[0];
    if (!port) {
      return `${this.workloadName} has no port to connect to; give it a port, or use \`after\` to only wait for it`;
    }
    if (options.env) {
      return { [options.env]: `${this.workloadName}:${port.port}` };
    }
    const prefix = envPrefix(this.workloadName);
    return { [`${prefix}_HOST`]: this.workloadName, [`${prefix}_PORT`]: String(port.port) };
  }

  /**
   * Whether a volume or a folder of the app that the user mounts at the data directory keeps
   * the data, in place of the workload's own data volume (an existing project's, kept by import).
   */
  protected dataOnGivenVolume(): boolean {
    const target = this.traits.dataVolume?.target;
    return [...(this.options.mounts ?? []), ...this.extraMounts].some(
      (m) => Mount.isMount(m) && (m.spec.kind === 'volume' || m.spec.kind === 'bind') && m.spec.target === target,
    );
  }

  /** The health check of this workload; subclasses with a built-in check override this. */
  protected healthCheck(): HealthCheck | undefined {
    return this.options.healthCheck;
  }

  /** Environment a subclass always sets (before the user's `env`). */
  protected builtInEnv(): Record<string, EnvValue> {
    return {};
  }

  /** @internal */
  private resourcesWithDefaults(): ResourceOptions | undefined {
    const given = this.options.resources;
    const defaults = this.defaults.resources;
    if (!defaults) return given;
    const merged = (a?: ResourceAmounts, b?: ResourceAmounts) => {
      const amounts = { ...a, ...b };
      return Object.keys(amounts).length > 0 ? amounts : undefined;
    };
    const limits = merged(defaults.limits, given?.limits);
    const requests = merged(defaults.requests, given?.requests);
    return limits || requests ? { ...(limits ? { limits } : {}), ...(requests ? { requests } : {}) } : undefined;
  }

  private securityWithDefaults(): SecurityOptions | undefined {
    const defaults = this.defaults.security;
    return defaults ? { ...defaults, ...this.options.security } : this.options.security;
  }

  /**
   * The workload's model and the secrets it needs, with every default resolved; synth calls it.
   *
   * @internal
   */
  public _toModel(): WorkloadContribution {
    const errors: string[] = [];
    const warnings: string[] = [];
    const infos: string[] = [];
    const stack = Stack.of(this);
    const ports = resolvePorts(this.traits.ports ?? [], errors);
    const envFiles = resolveEnvFiles(this, this.options.envFiles, errors, infos);
    if (envFiles.choice && this.isJob && stack.renders('kubernetes')) {
      // The choice is a kustomize replacement in the pod template, and a Job's pod template cannot change.
      errors.push(
        `reads an env file chosen at deploy time (by ${envFiles.choice.parameter}), which a one-shot job cannot on Kubernetes: ` +
          "a Job's pod template cannot change once created; give the job its file with EnvFile.fromFile, or render the stack for Compose only",
      );
    }
    const env = this.resolveAllEnv(errors, warnings, envFiles.secrets);
    const mounts = this.resolveAllMounts(errors);
    const health = this.resolveHealthCheck(ports, errors);
    const readiness = this.resolveReadinessCheck(ports, errors);
    const build = resolveBuild(this, this.options.build, errors);
    const image = this.resolveImage(build !== undefined, stack, errors, warnings);

    // A replica count chosen at deploy time: its default is filled in with the stack's parameters.
    const replicasParameter = numberParameter(this.traits.replicas);
    const replicas = replicasParameter !== undefined ? 1 : this.traits.replicas ?? 1;
    if (replicasParameter !== undefined && (this.traits.stateful || this.isJob)) {
      errors.push(`replicas of parameter ${replicasParameter}: a ${this.constructor.name} runs as a single instance; remove replicas`);
    }
    if (!Number.isInteger(replicas) || replicas < 0) {
      errors.push(`replicas must be a whole number of at least 0, got ${JSON.stringify(replicas)}`);
    }
    if (this.traits.perNode && this.traits.replicas !== undefined) {
      errors.push('runs one copy per node and takes no replicas; remove replicas');
    }
    if (this.traits.stateful && replicas > 1) {
      errors.push(`replicas is ${replicas}, but a ${this.constructor.name} runs as a single instance; remove replicas`);
    }
    const publicEndpoint = this.resolveEndpoint(ports, errors);

    const workload: WorkloadModel = {
      name: this.workloadName,
      path: this.node.path,
      kind: this.traits.kind,
      stateful: this.traits.stateful ?? false,
      perNode: this.traits.perNode ?? false,
      ...(this.traits.composeOnly !== undefined ? { composeOnly: this.traits.composeOnly } : {}),
      ...(this.traits.resolvableBeforeReady ? { resolvableBeforeReady: true } : {}),
      image,
      ...(image !== undefined && hasParameter(image) ? { imageTemplate: textParts(image) } : {}),
      ...(image === undefined && build !== undefined ? { builtImage: builtImageName(stack.stackName, this.workloadName) } : {}),
      build,
      entrypoint: stringList('entrypoint', this.options.entrypoint, errors),
      command: stringList('command', this.options.command, errors),
      workingDir: this.resolveWorkingDir(errors),
      env: env.vars,
      ports,
      // The check dependents wait for and traffic waits on, on both targets: the readiness
      // check when one is given; the health check then restarts the container on Kubernetes.
      healthCheck: readiness ?? health,
      ...this.resolveLiveness(readiness ? health : undefined, health, infos),
      ...this.resolveDependencies(),
      connectsTo: [...this.connections].sort(),
      isolation: this.resolveIsolation(errors),
      mounts,
      replicas: this.isJob ? 1 : replicas,
      ...(replicasParameter !== undefined && !this.isJob ? { replicasParameter } : {}),
      ...resolveLimitsAndRequests(this.resourcesWithDefaults(), errors, warnings),
      security: resolveSecurity(this.securityWithDefaults(), errors),
      publicEndpoint,
      restart: this.resolveRestart(errors, warnings),
      backoffLimit: this.traits.backoffLimit ?? 0,
      labels: resolveLabels(
        [...Object.entries(this.options.labels ?? {}).map(([name, value]) => ({ name, value, onKubernetes: true })), ...this.extraLabels],
        stack.renders('kubernetes'),
        errors,
      ),
      profiles: resolveProfiles(this.options.profiles, errors),
      containerName: this.resolveContainerName(replicas, replicasParameter, errors),
      networks: resolveNetworks(this, this.options.networks, errors),
      logging: resolveLogging(this.options.logging, errors),
      envFiles: envFiles.files,
      ...(envFiles.choice ? { envFileChoice: envFiles.choice } : {}),
    };
    for (const message of errors) Annotations.of(this).addError(message);
    for (const message of warnings) Annotations.of(this).addWarning(message);
    for (const message of infos) Annotations.of(this).addInfo(message);
    return { workload, secrets: env.secrets };
  }

  private resolveAllEnv(errors: string[], warnings: string[], envFileSecrets: readonly string[]): { vars: EnvVarModel[]; secrets: SecretModel[] } {
    // Like Compose's env_file, an env file's secret gives way to the same variable in `env`.
    const own = new Set([...Object.keys(this.options.env ?? {}), ...this.extraEnv.map((e) => e.name)]);
    const entries = [
      ...envFileSecrets.filter((name) => !own.has(name)).map((name) => ({ name, value: Secret.fromEnv(name) as EnvValue, origin: 'built-in' })),
      ...Object.entries(this.builtInEnv()).map(([name, value]) => ({ name, value, origin: 'built-in' })),
      ...Object.entries(this.options.env ?? {}).map(([name, value]) => ({ name, value, origin: 'env' })),
      ...this.extraEnv,
    ];
    return resolveEnv(entries, this.node.path, errors, warnings);
  }

  private resolveAllMounts(errors: string[]): MountModel[] {
    const mounts: MountModel[] = [];
    const data = this.traits.dataVolume;
    const given = resolveMounts(this, [...(this.options.mounts ?? []), ...this.extraMounts], errors);
    if (data && !Size.isSize(data.size)) {
      errors.push(`storage must be a Size such as Size.gibibytes(10), got ${JSON.stringify(data.size)}`);
    } else if (data?.chosen && this.dataOnGivenVolume()) {
      errors.push(
        `storage and storageClass size the built-in data volume, but the volume mounted at ${data.target} holds the data in its place; ` +
          'give the size and class to that Volume (new Volume(scope, id, { size, storageClass })) and remove storage and storageClass here',
      );
    } else if (data && !this.dataOnGivenVolume()) {
      mounts.push({ kind: 'data', name: 'data', target: data.target, sizeBytes: data.size.bytes, storageClass: data.storageClass });
      const sizeProblem = data.size._problem();
      if (sizeProblem) errors.push(`storage: ${sizeProblem}`);
    }
    const storageClassProblem = data?.storageClass !== undefined ? storageClassProblemOf(data.storageClass) : undefined;
    if (storageClassProblem) errors.push(storageClassProblem);
    // A volume given at the data directory holds the data instead of the workload's own.
    mounts.push(
      ...given.map((mount): MountModel =>
        data?.kubernetesSubPath && (mount.kind === 'volume' || mount.kind === 'bind') && mount.target === data.target
          ? { ...mount, kubernetesSubPath: data.kubernetesSubPath }
          : mount,
      ),
    );
    const targets = new Set<string>();
    for (const mount of mounts) {
      // A host path kept to one target may share its container path with one kept to the other.
      const keys = (mount.kind === 'hostPath' ? mount.targets : ['compose', 'kubernetes']).map((t) => `${t} ${mount.target}`);
      if (keys.some((key) => targets.has(key))) {
        errors.push(`two mounts share the target path ${mount.target}; give each its own path`);
      }
      keys.forEach((key) => targets.add(key));
    }
    this.checkHostPaths(mounts, errors);
    return mounts;
  }

  /**
   * A node's files are the same node's only for a pod pinned to it (one per node); a pod that
   * may land anywhere would read whichever node it lands on, so Kubernetes gets host paths
   * from per-node workloads only.
   */
  private checkHostPaths(mounts: readonly MountModel[], errors: string[]): void {
    if (this.traits.perNode) return;
    const stack = Stack.of(this);
    const profiles = this.options.profiles ?? [];
    const onKubernetes = stack.renders('kubernetes') && (profiles.length === 0 || profiles.some((p) => stack.profiles.includes(p)));
    if (!onKubernetes) return;
    for (const mount of mounts) {
      if (mount.kind !== 'hostPath' || !mount.targets.includes('kubernetes')) continue;
      errors.push(
        `mounts host path ${mount.source}, which Kubernetes allows only for a workload with one copy per node (AgentService); ` +
          `keep it to Compose with Mount.hostPath('${mount.source}', { targets: ['compose'] }), or use an AgentService`,
      );
    }
  }

  private resolveHealthCheck(ports: PortModel[], errors: string[], field = 'healthCheck', check = this.healthCheck()) {
    if (check === undefined) return undefined;
    if (!HealthCheck.isHealthCheck(check)) {
      errors.push(`${field} must be made with HealthCheck.http/tcp/command/shell, got ${describe(check)}`);
      return undefined;
    }
    const resolved = check._toModel(ports[0]?.containerPort);
    errors.push(...resolved.problems.map((problem) => (field === 'healthCheck' ? problem : `${field}: ${problem}`)));
    return resolved.model;
  }

  private resolveReadinessCheck(ports: PortModel[], errors: string[]) {
    const check = this.options.readinessCheck;
    if (check === undefined) return undefined;
    if (this.isJob) {
      errors.push('has a readinessCheck, but a one-shot job takes no traffic: it is done when it exits; remove readinessCheck');
      return undefined;
    }
    if (this.healthCheck() === undefined) {
      // Compose runs only the healthCheck, and dependents wait for it: without one, the
      // readiness check would vanish from the Compose rendering.
      errors.push(
        'has a readinessCheck but no healthCheck; add a healthCheck (the liveness check, e.g. HealthCheck.http(\'/health\')), ' +
          'or pass this check as healthCheck if one check serves both',
      );
      return undefined;
    }
    return this.resolveHealthCheck(ports, errors, 'readinessCheck', check);
  }

  private resolveImage(hasBuild: boolean, stack: Stack, errors: string[], warnings: string[]): string | undefined {
    const image = this.image;
    // An image with deploy-time parameters is checked once their defaults are known (build-model).
    if (typeof image === 'string' && hasParameter(image)) return image;
    if (image !== undefined && (typeof image !== 'string' || !IMAGE_REFERENCE.test(image))) {
      errors.push(
        `image ${JSON.stringify(image)} is not an image reference; use e.g. 'ghcr.io/acme/api:1.4.2' ` +
          '([registry/]name[:tag][@digest], the name in lower case)',
      );
      return undefined;
    }
    if (image === undefined && !hasBuild) {
      errors.push("has neither an image nor a build; give `image: 'registry/name:tag'` or `build: { context: './dir' }`");
    }
    if (image === undefined && hasBuild && stack.renders('kubernetes')) {
      warnings.push(
        `is built from source and has no image reference: Kubernetes runs ${builtImageName(stack.stackName, this.workloadName)}, ` +
          'the name Compose gives the image it builds; push it where the cluster pulls from (docker compose build, docker tag, docker push), ' +
          "or give `image: 'registry/name:tag'`",
      );
    }
    return image;
  }

  /**
   * The check that restarts the container when it fails, on Kubernetes only: the health check
   * beside a separate readiness check, or the health check itself with restartWhenUnhealthy.
   * Compose marks an unhealthy container and never restarts it; none is added unless asked.
   */
  private resolveLiveness(
    besideReadiness: HealthCheckModel | undefined,
    health: HealthCheckModel | undefined,
    infos: string[],
  ): { livenessCheck?: HealthCheckModel } {
    const restart: unknown = this.options.restartWhenUnhealthy;
    if (restart !== undefined && typeof restart !== 'boolean') {
      Annotations.of(this).addError(`restartWhenUnhealthy must be true or false, got ${JSON.stringify(restart)}; write the boolean without quotes`);
    }
    const liveness = besideReadiness ?? (restart === true ? health : undefined);
    if (restart === true && !health) {
      Annotations.of(this).addError('has restartWhenUnhealthy but no healthCheck to restart on; add a healthCheck or remove restartWhenUnhealthy');
    }
    if (!liveness || this.isJob) return {};
    infos.push(
      `${besideReadiness ? 'its healthCheck (beside the readinessCheck that dependents wait for)' : 'its healthCheck'} restarts the container ` +
        'when it fails on Kubernetes (a livenessProbe); Compose marks an unhealthy container and never restarts it',
    );
    return { livenessCheck: liveness };
  }

  private resolveIsolation(errors: string[]): WorkloadModel['isolation'] {
    const isolation: unknown = this.options.isolation ?? 'connections';
    if (isolation !== 'connections' && isolation !== 'none') {
      errors.push(`isolation ${JSON.stringify(isolation)} is not 'connections' or 'none'`);
      return 'connections';
    }
    return isolation;
  }

  private resolveRestart(errors: string[], warnings: string[]): WorkloadModel['restart'] {
    const restart: unknown = this.options.restart;
    if (restart === undefined) return this.isJob ? 'no' : 'unless-stopped';
    if (this.isJob) {
      errors.push("takes no restart: a one-shot job never restarts (retries are its backoffLimit); remove restart");
      return 'no';
    }
    const policies = ['unless-stopped', 'always', 'on-failure', 'no'];
    if (typeof restart !== 'string' || !policies.includes(restart)) {
      errors.push(`restart ${JSON.stringify(restart)} is not one of ${policies.map((p) => `'${p}'`).join(', ')}`);
      return 'unless-stopped';
    }
    if ((restart === 'no' || restart === 'on-failure') && Stack.of(this).renders('kubernetes')) {
      warnings.push(
        `restart '${restart}' is Compose only: Kubernetes restarts the container of a ${this.traits.stateful ? 'StatefulSet' : 'Deployment'} whenever it stops; ` +
          'make it a one-shot job (MigrationJob) if it should run once',
      );
    }
    return restart as WorkloadModel['restart'];
  }

  private resolveWorkingDir(errors: string[]): string | undefined {
    const dir: unknown = this.options.workingDir;
    if (dir !== undefined && (typeof dir !== 'string' || !dir.startsWith('/'))) {
      errors.push(`workingDir ${JSON.stringify(dir)} is not an absolute path; use e.g. '/app' (Docker needs an absolute working directory)`);
      return undefined;
    }
    return dir;
  }

  private resolveContainerName(replicas: number, replicasParameter: string | undefined, errors: string[]): string | undefined {
    const name = this.options.containerName;
    if (name === undefined) return undefined;
    if (typeof name !== 'string' || !/^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/.test(name)) {
      errors.push(`containerName ${JSON.stringify(name)} is not a container name: use letters, digits, '_', '.' and '-'`);
    } else if (replicasParameter !== undefined) {
      // A count chosen at deploy time may be more than one, which a fixed container name rules out.
      errors.push(`containerName "${name}" names one container, but parameter ${replicasParameter} chooses the replicas at deploy time; remove containerName to scale`);
    } else if (replicas > 1) {
      errors.push(`containerName "${name}" names one container, but replicas is ${replicas}; remove containerName to scale`);
    }
    return name;
  }

  private resolveEndpoint(ports: PortModel[], errors: string[]): PublicEndpointModel | undefined {
    const endpoint = this.publicEndpointOverride?.options ?? this.traits.publicEndpoint;
    if (!endpoint) return undefined;
    const resolved = resolvePublicEndpoint(endpoint, ports[0]?.name, errors);
    const composeProxy = this.publicEndpointOverride?.composeProxy;
    return resolved && composeProxy ? { ...resolved, composeProxy } : resolved;
  }

  /**
   * How this workload came to depend on the workload named `target`, as the source says it:
   * `api.connect(db)`, `api's after: [migrate]`, `api.addDependency(db)`. For messages about
   * dependencies that only the whole stack shows wrong (cycles).
   *
   * @internal
   */
  public _dependencyOrigins(target: string): string[] {
    return this.dependencies
      .filter((d) => Workload.isWorkload(d.target) && d.target.workloadName === target)
      .map((d) => (d.origin === 'after' ? `${this.workloadName}'s after: [${target}]` : d.origin === 'addDependency' ? `${this.workloadName}.addDependency(${target})` : `${this.workloadName}.${d.origin}`));
  }

  /**
   * The workloads this one joins networks of, for the cross-stack checks of its dependents.
   *
   * @internal
   */
  public _networks(): readonly Network[] {
    return (this.options.networks ?? []).filter(Network.isNetwork);
  }

  /**
   * Dependencies as names; validity of the targets is checked for the whole stack at synth. A
   * target in another stack becomes a wait across stacks, and that stack a dependency of this
   * one.
   */
  private resolveDependencies(): { dependsOn: DependencyModel[]; waitsAcrossStacks: CrossStackWaitModel[] } {
    const byTarget = new Map<string, DependencyModel>();
    const across = new Map<string, CrossStackWaitModel>();
    const own = Stack.of(this);
    for (const { target, origin, waitFor } of this.dependencies) {
      if (!Workload.isWorkload(target)) {
        Annotations.of(this).addError(
          `${origin} was given ${describe(target)}, which is not a workload; pass a service or job construct`,
        );
        continue;
      }
      const theirs = Stack.of(target);
      if (theirs !== own) {
        const wait = crossStackWait(this.crossStackParty(), target.crossStackParty(), `${this.workloadName}.${origin === 'after' ? 'after' : origin}`);
        if (typeof wait === 'string') {
          Annotations.of(this).addError(wait);
        } else {
          across.set(`${wait.stack}/${wait.target}`, wait);
          own.addDependency(theirs);
        }
        continue;
      }
      if (waitFor === 'healthy' && !target.isJob && !target.hasHealthCheck) {
        Annotations.of(this).addError(
          `${origin} waits for ${target.workloadName} to be healthy, but it has no health check; give it one or use waitFor: 'started'`,
        );
      }
      const condition = target.isJob ? 'completed' : waitFor === 'started' ? 'started' : target.hasHealthCheck ? 'healthy' : 'started';
      byTarget.set(target.workloadName, { target: target.workloadName, condition });
    }
    return { dependsOn: [...byTarget.values()], waitsAcrossStacks: [...across.values()] };
  }

  private crossStackParty(): CrossStackParty {
    return { workloadName: this.workloadName, stack: Stack.of(this), networks: this._networks(), isJob: this.isJob, primaryPort: this.primaryPort };
  }
}

/** The name Compose v2 gives an image it builds for a service without `image`: `<project>-<service>`. */
function builtImageName(project: string, service: string): string {
  return `${project}-${service}`;
}

function stringList(field: string, value: unknown, errors: string[]): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    errors.push(`${field} must be a list of strings (exec form), got ${JSON.stringify(value)}; split a shell line into words or use ['sh', '-c', '...']`);
    return undefined;
  }
  return [...value];
}

export function describe(x: unknown): string {
  if (x === undefined) return 'undefined';
  if (typeof x === 'object' && x !== null) {
    const name = (x as object).constructor?.name ?? 'Object';
    const path = (x as { node?: { path?: string } }).node?.path;
    if (path !== undefined) return `${name} ${path}`;
    return name === 'Object' ? 'a plain object' : `${/^[AEIOU]/.test(name) ? 'an' : 'a'} ${name}`;
  }
  return JSON.stringify(x);
}

/**
 * `props` with each of `fields` that is not a list left out, and a message for it: plain
 * JavaScript callers can pass `after: worker` where `after: [worker]` is meant.
 */
function onlyLists<T extends object>(props: T, fields: string[], problems: string[]): T {
  const checked = { ...props } as Record<string, unknown>;
  for (const field of fields) {
    const value = checked[field];
    if (value === undefined || Array.isArray(value)) continue;
    problems.push(`${field} must be a list, got ${describe(value)}; write ${field}: [${typeof value === 'string' ? JSON.stringify(value) : '...'}]`);
    delete checked[field];
  }
  return checked as T;
}
