import { MessageModel, RenderResult, StackModel } from '../../model';
import { composeNetworks } from './networks';
import { crossStackWaiters } from './cross-stack-waiter';
import { renderService } from './service';
import { envFilesOf } from './env-file';
import { configFilePath } from './config-file';

/** Options for `renderCompose`. */
export interface ComposeRenderOptions {
  /**
   * The app's directory seen from the folder the Compose file is written to, so that build
   * contexts and bind mounts given relative to the app still point at the same place.
   *
   * @default '.'
   */
  readonly sourceDir?: string;
}

/** A Compose project as plain objects, ready to be written as YAML. */
export interface ComposeDocument {
  readonly services: Record<string, Record<string, unknown>>;
  readonly networks?: Record<string, Record<string, unknown>>;
  readonly volumes?: Record<string, Record<string, unknown>>;
}

/** A file the Compose project reads, written next to the Compose file. */
export interface ComposeFile {
  readonly path: string;
  readonly content: string;
  readonly mode?: number;
}

/** The Compose rendering of a stack. */
export interface ComposeProject {
  readonly document: ComposeDocument;
  /** Config files, relative to the Compose file's folder. */
  readonly files: readonly ComposeFile[];
}

/** Renders a stack model as a Compose project. */
export function renderCompose(model: StackModel, options: ComposeRenderOptions = {}): RenderResult<ComposeProject> {
  const messages: MessageModel[] = [];
  const sourceDir = options.sourceDir ?? '.';
  const services: Record<string, Record<string, unknown>> = {};
  const { joined, declared } = composeNetworks(model);
  for (const workload of model.workloads) {
    services[workload.name] = renderService(workload, { sourceDir, parameters: model.parameters, networks: joined.get(workload.name) ?? [] }, messages);
  }
  Object.assign(services, crossStackWaiters(model.workloads, model.waitImage));

  const volumes: Record<string, Record<string, unknown>> = {};
  for (const workload of model.workloads) {
    for (const mount of workload.mounts) {
      if (mount.kind === 'data') volumes[`${workload.name}-${mount.name}`] = {};
    }
  }
  for (const volume of model.volumes) {
    // A claim that stands for a bind mount on Kubernetes is the bind itself on Compose.
    if (volume.forBind === undefined) volumes[volume.name] = {};
  }
  const networks: Record<string, Record<string, unknown>> = {};
  for (const network of model.networks) {
    // Compose prefixes a network's name with the project's unless `name` is given; a network
    // other projects join as external must carry its plain name on the engine.
    networks[network.name] = network.external ? { external: true } : network.shared ? { name: network.name } : {};
  }
  for (const network of declared) networks[network] = {};
  const files: ComposeFile[] = [];
  for (const workload of model.workloads) {
    for (const mount of workload.mounts) {
      // Always chmod-ed: under a strict umask the file would be unreadable to the container's user.
      if (mount.kind === 'config') files.push({ path: configFilePath(mount), content: mount.content, mode: mount.mode ?? 0o644 });
    }
    files.push(...envFilesOf(workload));
  }

  // No top-level `name`: docker-compose 1.x rejects it, and the project is named after its
  // folder, which is the stack's name.
  const document: ComposeDocument = {
    services,
    ...(Object.keys(networks).length > 0 ? { networks } : {}),
    ...(Object.keys(volumes).length > 0 ? { volumes } : {}),
  };
  return { documents: { document, files }, messages };
}

export { renderEnvExample } from './env-example';
