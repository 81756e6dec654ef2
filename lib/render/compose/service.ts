import { DependencyCondition, EnvVarModel, MessageModel, MountModel, ParameterModel, ResourcesModel, WorkloadModel } from '../../model';
import { Interpolated, composeBytes, composeCpus, escapeInterpolation, fromComposeFile, interpolatedValue } from './format';
import { renderHealthcheck } from './healthcheck';
import { envFilePath } from './env-file';
import { configFilePath } from './config-file';
import { crossStackWaiterName } from '../../core/names';

const CONDITIONS: Record<DependencyCondition, string> = {
  healthy: 'service_healthy',
  started: 'service_started',
  completed: 'service_completed_successfully',
};

export interface ComposeServiceOptions {
  /** The app's directory seen from the Compose file's folder, for relative paths. */
  readonly sourceDir: string;
  /** The stack's deploy-time parameters. */
  readonly parameters: readonly ParameterModel[];
  /** The networks the service joins (empty: the project's default network); see networks.ts. */
  readonly networks: readonly string[];
}

/** One workload as a Compose service. Field order follows the Compose Specification's reference. */
export function renderService(
  workload: WorkloadModel,
  options: ComposeServiceOptions,
  messages: MessageModel[],
): Record<string, unknown> {
  const service: Record<string, unknown> = {};
  if (workload.image) {
    service.image = workload.imageTemplate ? new Interpolated(interpolatedValue(workload.imageTemplate, options.parameters)) : workload.image;
  }
  if (workload.build) service.build = renderBuild(workload, options.sourceDir);
  if (workload.entrypoint) service.entrypoint = workload.entrypoint;
  if (workload.command) service.command = workload.command;
  if (workload.workingDir) service.working_dir = workload.workingDir;
  if (workload.containerName) service.container_name = workload.containerName;
  if (workload.profiles.length > 0) service.profiles = [...workload.profiles];
  if (workload.envFileChoice) {
    // Compose interpolates the path: `${ENVIRONMENT:-dev}` picks one of the copied files.
    const chosen = interpolatedValue([{ kind: 'param', param: workload.envFileChoice.parameter }], options.parameters);
    service.env_file = [new Interpolated(`./${envFilePath(workload, chosen)}`)];
  } else if (workload.envFiles.length > 0) {
    service.env_file = [`./${envFilePath(workload)}`];
  }

  const exposed = workload.ports.map((p) => (p.protocol === 'UDP' ? `${p.containerPort}/udp` : String(p.containerPort)));
  if (exposed.length > 0) service.expose = exposed;
  const published = workload.ports.filter((p) => p.hostPort !== undefined || p.hostPortParameter !== undefined);
  if (published.length > 0) {
    service.ports = published.map((p) => {
      const container = `${p.containerPort}${p.protocol === 'UDP' ? '/udp' : ''}`;
      // Host port 0: the short form without a host port ("4000", "127.0.0.1::4000") lets the
      // engine pick a free one.
      const host = p.hostPortParameter
        ? interpolatedValue([{ kind: 'param', param: p.hostPortParameter }], options.parameters)
        : p.hostPort === 0
          ? ''
          : String(p.hostPort);
      const text = p.hostIp !== undefined ? `${p.hostIp}:${host}:${container}` : host === '' ? container : `${host}:${container}`;
      return p.hostPortParameter ? new Interpolated(text) : text;
    });
  }

  const volumes = workload.mounts.flatMap((m) => renderMount(workload, m, options));
  if (volumes.length > 0) service.volumes = volumes;
  for (const mount of workload.mounts) {
    if (mount.kind !== 'hostPath' || mount.targets.includes('compose')) continue;
    messages.push({
      level: 'info',
      path: workload.path,
      message: `host path ${mount.source} is left out on Compose: it is kept to ${mount.targets.join(', ')}`,
    });
  }
  const tmpfs = workload.mounts.filter((m) => m.kind === 'tmpfs' && m.sizeBytes === undefined).map((m) => m.target);
  if (tmpfs.length > 0) service.tmpfs = tmpfs;
  if (options.networks.length > 0) service.networks = [...options.networks];

  if (workload.healthCheck) service.healthcheck = renderHealthcheck(workload.healthCheck);
  if (workload.dependsOn.length > 0 || workload.waitsAcrossStacks.length > 0) {
    service.depends_on = Object.fromEntries([
      ...workload.dependsOn.map((d) => [d.target, { condition: CONDITIONS[d.condition] }]),
      // Another project's workload: its waiter, which completes once the target answers.
      ...workload.waitsAcrossStacks.map((wait) => [crossStackWaiterName(wait.target), { condition: 'service_completed_successfully' }]),
    ]);
  }
  service.restart = workload.restart;
  const deploy = renderDeploy(workload, options.parameters);
  if (deploy) service.deploy = deploy;
  Object.assign(service, renderSecurity(workload));
  if (workload.logging) {
    service.logging = {
      driver: workload.logging.driver,
      ...(workload.logging.options.length > 0 ? { options: Object.fromEntries(workload.logging.options.map((o) => [o.name, o.value])) } : {}),
    };
  }
  if (workload.labels.length > 0) {
    service.labels = Object.fromEntries(workload.labels.map((l) => [l.name, l.value]));
  }

  if (workload.publicEndpoint && published.length === 0 && !workload.publicEndpoint.composeProxy) {
    // A note, not a warning: an Ingress is Kubernetes-only by design (decision 14).
    messages.push({
      level: 'info',
      path: workload.path,
      message:
        `public endpoint ${workload.publicEndpoint.host}${workload.publicEndpoint.path} has no Compose equivalent without a reverse proxy; ` +
        'on Compose the app is reachable inside the project only (give it a hostPort to reach it from the host)',
    });
  }

  // Everything above is literal text; the environment alone carries interpolated secrets.
  const rendered = escapeInterpolation(service);
  if (workload.env.length > 0) {
    return insertAfter(rendered, ['env_file', 'profiles', 'container_name', 'working_dir', 'command', 'entrypoint', 'build', 'image'], 'environment', renderEnvironment(workload.env, options.parameters));
  }
  return rendered;
}

function renderBuild(workload: WorkloadModel, sourceDir: string): Record<string, unknown> {
  const build = workload.build!;
  return {
    context: fromComposeFile(build.context, sourceDir),
    ...(build.dockerfile ? { dockerfile: build.dockerfile } : {}),
    ...(build.target ? { target: build.target } : {}),
    ...(build.args.length > 0 ? { args: Object.fromEntries(build.args.map((a) => [a.name, a.value])) } : {}),
  };
}

function renderEnvironment(env: readonly EnvVarModel[], parameters: readonly ParameterModel[]): Record<string, string> {
  return Object.fromEntries(env.map((v) => [v.name, interpolatedValue(v.parts, parameters)]));
}

function renderMount(workload: WorkloadModel, mount: MountModel, options: ComposeServiceOptions): unknown[] {
  const { sourceDir } = options;
  switch (mount.kind) {
    case 'data':
      return [`${workload.name}-${mount.name}:${mount.target}`];
    case 'volume':
      return [`${mount.volume}:${mount.target}${mount.readOnly ? ':ro' : ''}`];
    case 'bind': {
      const suffix = `:${mount.target}${mount.readOnly ? ':ro' : ''}`;
      if (!mount.sourceTemplate) return [`${fromComposeFile(mount.source, sourceDir)}${suffix}`];
      // A parameter's default is a path of the app's folder like any other; a value set at
      // deploy time is taken as written, relative to the Compose file's folder.
      const parameters = options.parameters.map((p) => (p.default === undefined ? p : { ...p, default: fromComposeFile(p.default, sourceDir) }));
      const parts = mount.sourceTemplate;
      const whole = parts.length === 1 && parts[0].kind === 'param';
      return [new Interpolated(`${interpolatedValue(parts, whole ? parameters : options.parameters)}${escapeInterpolation(suffix)}`)];
    }
    case 'hostPath':
      // An absolute path of the Docker host, never rewritten relative to the app.
      return mount.targets.includes('compose') ? [`${mount.source}:${mount.target}${mount.readOnly ? ':ro' : ''}`] : [];
    case 'tmpfs':
      return mount.sizeBytes === undefined ? [] : [{ type: 'tmpfs', target: mount.target, tmpfs: { size: mount.sizeBytes } }];
    case 'config':
      return [`./${configFilePath(mount)}:${mount.target}:ro`];
  }
}

function renderDeploy(workload: WorkloadModel, parameters: readonly ParameterModel[]): Record<string, unknown> | undefined {
  const deploy: Record<string, unknown> = {};
  if (workload.kind === 'service' && workload.replicasParameter !== undefined) {
    deploy.replicas = new Interpolated(interpolatedValue([{ kind: 'param', param: workload.replicasParameter }], parameters));
  } else if (workload.kind === 'service' && workload.replicas !== 1) {
    deploy.replicas = workload.replicas;
  }
  const limits = renderResources(workload.limits);
  const reservations = renderResources(workload.requests);
  if (limits || reservations) {
    deploy.resources = { ...(limits ? { limits } : {}), ...(reservations ? { reservations } : {}) };
  }
  return Object.keys(deploy).length > 0 ? deploy : undefined;
}

function renderResources(resources: ResourcesModel): Record<string, string> | undefined {
  const rendered: Record<string, string> = {};
  if (resources.cpuMillis !== undefined) rendered.cpus = composeCpus(resources.cpuMillis);
  if (resources.memoryBytes !== undefined) rendered.memory = composeBytes(resources.memoryBytes);
  return Object.keys(rendered).length > 0 ? rendered : undefined;
}

function renderSecurity(workload: WorkloadModel): Record<string, unknown> {
  const security = workload.security;
  const rendered: Record<string, unknown> = {};
  if (security.runAsUser !== undefined) {
    rendered.user = security.runAsGroup !== undefined ? `${security.runAsUser}:${security.runAsGroup}` : String(security.runAsUser);
  }
  if (security.readOnlyRootFilesystem) rendered.read_only = true;
  if (security.dropCapabilities.length > 0) rendered.cap_drop = [...security.dropCapabilities];
  if (security.addCapabilities.length > 0) rendered.cap_add = [...security.addCapabilities];
  if (security.noNewPrivileges) rendered.security_opt = ['no-new-privileges:true'];
  return rendered;
}

/** Inserts `key` right after the first of `anchors` present, keeping the reference field order. */
function insertAfter(
  object: Record<string, unknown>,
  anchors: string[],
  key: string,
  value: unknown,
): Record<string, unknown> {
  const anchor = anchors.find((a) => a in object);
  const entries = Object.entries(object);
  const at = anchor === undefined ? 0 : entries.findIndex(([k]) => k === anchor) + 1;
  entries.splice(at, 0, [key, value]);
  return Object.fromEntries(entries);
}
