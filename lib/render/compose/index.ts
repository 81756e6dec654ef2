import { MessageModel, RenderResult, StackModel } from '../../model';
import { renderService } from './service';

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
  readonly volumes?: Record<string, Record<string, unknown>>;
}

/** Renders a stack model as a Compose project. */
export function renderCompose(model: StackModel, options: ComposeRenderOptions = {}): RenderResult<ComposeDocument> {
  const messages: MessageModel[] = [];
  const sourceDir = options.sourceDir ?? '.';
  const services: Record<string, Record<string, unknown>> = {};
  for (const workload of model.workloads) {
    services[workload.name] = renderService(workload, { sourceDir }, messages);
  }

  const volumes: Record<string, Record<string, unknown>> = {};
  for (const workload of model.workloads) {
    for (const mount of workload.mounts) {
      if (mount.kind === 'data') volumes[`${workload.name}-${mount.name}`] = {};
    }
  }
  for (const volume of model.volumes) {
    volumes[volume.name] = {};
  }

  // No top-level `name`: docker-compose 1.x rejects it, and the project is named after its
  // folder, which is the stack's name.
  const document: ComposeDocument = {
    services,
    ...(Object.keys(volumes).length > 0 ? { volumes } : {}),
  };
  return { documents: document, messages };
}

export { renderEnvExample } from './env-example';
