import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from '../../../lib';
import { APP_ENV } from '../../../lib/core/app';
import { composeV2 } from '../../../lib/validate/compose-v2';
import { attempt, CommandResult, run } from './commands';
import { dockerEnv, Engine } from './engine';
import { missingImages } from './images';

/**
 * Synthesizes one stack, as `cdk-compose synth` would, into `outdir` and returns the stack's
 * folder: the compose.yaml, .env.example and config files a user runs `docker compose` in.
 */
export function synthesizeStack(outdir: string, define: (app: App) => Stack, options: SynthesisOptions = {}): string {
  const previous = process.env[APP_ENV.PATHS_FROM];
  if (options.pathsFrom) process.env[APP_ENV.PATHS_FROM] = options.pathsFrom;
  try {
    const app = new App({ outdir, printSummary: false });
    const stack = define(app);
    app.synth();
    return path.join(outdir, stack.stackName);
  } finally {
    if (previous === undefined) delete process.env[APP_ENV.PATHS_FROM];
    else process.env[APP_ENV.PATHS_FROM] = previous;
  }
}

export interface SynthesisOptions {
  /**
   * Write relative paths (bind mounts, build contexts) as synth writes them into this output
   * folder, as `cdk-compose diff` does: the files are then those a user's `npm run synth` writes
   * there, and a relative bind resolves below the folder they are actually written to.
   *
   * @default - relative to the folder they are written to
   */
  readonly pathsFrom?: string;
}

/**
 * Writes the `.env` a user writes: .env.example with every variable filled in, and the
 * deploy-time parameters in `values` (commented out there with their default, `# NAME=default`)
 * set. Throws if the example names a variable `values` has no value for, or `values` one the
 * example names neither as a variable nor as a parameter.
 */
export function writeDotEnv(stackDir: string, values: Readonly<Record<string, string>>): void {
  const example = fs.readFileSync(path.join(stackDir, '.env.example'), 'utf8');
  const named = [...example.matchAll(/^([A-Z_][A-Z0-9_]*)=$/gm)].map((match) => match[1]);
  const parameters = [...example.matchAll(/^# ([A-Z_][A-Z0-9_]*)=.*$/gm)].map((match) => match[1]);
  const unfilled = named.filter((name) => !(name in values));
  const unknown = Object.keys(values).filter((name) => !named.includes(name) && !parameters.includes(name));
  if (unfilled.length > 0 || unknown.length > 0) {
    throw new Error(`${stackDir}/.env.example names ${named.join(', ')}; no value for: ${unfilled.join(', ') || '-'}; not named: ${unknown.join(', ') || '-'}`);
  }
  const filled = example
    .replace(/^([A-Z_][A-Z0-9_]*)=$/gm, (_, name: string) => `${name}=${values[name]}`)
    .replace(/^# ([A-Z_][A-Z0-9_]*)=.*$/gm, (line, name: string) => (name in values ? `${name}=${values[name]}` : line));
  fs.writeFileSync(path.join(stackDir, '.env'), filled);
}

/** What `docker inspect` says of a container (the fields the tests read). */
export interface ContainerState {
  readonly Name: string;
  readonly RestartCount: number;
  readonly State: {
    readonly Status: string;
    readonly ExitCode: number;
    readonly StartedAt: string;
    readonly FinishedAt: string;
    readonly Health?: { readonly Status: string; readonly Log: Array<{ readonly ExitCode: number; readonly Output: string }> };
  };
  readonly Config: { readonly User: string; readonly Env: string[]; readonly Labels: Record<string, string> };
  readonly HostConfig: {
    readonly ReadonlyRootfs: boolean;
    readonly CapDrop: string[] | null;
    readonly CapAdd: string[] | null;
    readonly Memory: number;
    readonly MemoryReservation: number;
    readonly NanoCpus: number;
    readonly LogConfig: { readonly Type: string; readonly Config: Record<string, string> };
  };
}

/** One event of the engine's own record (`docker events`). */
export interface EngineEvent {
  readonly Action: string;
  readonly Actor: { readonly Attributes: Record<string, string> };
  readonly timeNano: number;
}

/**
 * A synthesized stack folder run with Docker Compose v2 (`docker compose`, found as the real-tool
 * check finds it: lib/validate/compose-v2.ts) against the private engine, as a user would.
 */
export class ComposeProject {
  private readonly env: NodeJS.ProcessEnv;

  constructor(
    private readonly engine: Engine,
    readonly dir: string,
  ) {
    this.env = dockerEnv(engine);
  }

  /**
   * The images `up` pulls: those compose.yaml names for its services outside profiles (a service
   * in a profile starts only when the profile is asked for), as Compose reads them with the
   * stack's `.env` (an image may be a deploy-time parameter), every one of which must be a
   * loaded stand-in.
   */
  images(): string[] {
    const listed = this.compose('config', '--images');
    if (listed.status !== 0) throw new Error(`docker compose config --images failed:\n${listed.stderr}`);
    return [...new Set(listed.stdout.split('\n').map((line) => line.trim()).filter(Boolean))].sort();
  }

  assertImagesLoaded(): void {
    const missing = missingImages(this.engine, this.images());
    if (missing.length > 0) {
      throw new Error(`no stand-in image for ${missing.join(', ')}: add the name to STAND_IN_IMAGES in test/e2e/harness/images.ts`);
    }
  }

  /** Runs `docker compose` in the stack's folder; the result whatever the exit status. */
  compose(...args: string[]): CommandResult {
    return attempt(composeV2().binary, args, { cwd: this.dir, env: this.env, timeoutMs: 600_000 });
  }

  /** `docker compose up -d --no-build`; throws with compose's output if it fails. */
  up(): CommandResult {
    const result = this.compose('up', '-d', '--no-build');
    if (result.status !== 0) {
      const logs = this.compose('logs', '--no-color', '--tail', '20');
      throw new Error(`docker compose up failed (${result.status}):\n${result.stderr}${result.stdout}\nThe containers' last lines:\n${logs.stdout}${logs.stderr}`);
    }
    return result;
  }

  containerId(service: string): string {
    const ids = this.containerIds(service);
    if (ids.length !== 1) throw new Error(`service ${service} has ${ids.length} containers in ${this.dir}, not one`);
    return ids[0];
  }

  /** Every container of the service: one per replica. */
  containerIds(service: string): string[] {
    // --all: a one-shot job that has exited is still the service's container.
    return this.compose('ps', '--all', '-q', service).stdout.split('\n').filter(Boolean).sort();
  }

  /** Whether the service has a container at all (started or not). */
  hasContainer(service: string): boolean {
    return this.containerIds(service).length > 0;
  }

  inspect(service: string): ContainerState {
    return this.inspectContainer(this.containerId(service));
  }

  /** `docker inspect` of one container, such as one replica of a service. */
  inspectContainer(containerId: string): ContainerState {
    return (JSON.parse(run('docker', ['inspect', containerId], { env: this.env })) as ContainerState[])[0];
  }

  /** The engine's names of the networks the service's container is on (`<project>_<network>`). */
  networks(service: string): string[] {
    const json = run('docker', ['inspect', '--format', '{{json .NetworkSettings.Networks}}', this.containerId(service)], { env: this.env });
    return Object.keys(JSON.parse(json) as Record<string, unknown>).sort();
  }

  /** The service's output, standard output and error together. */
  logs(service: string): string {
    return this.containerLogs(this.containerId(service));
  }

  /** One container's output, standard output and error together. */
  containerLogs(containerId: string): string {
    const result = attempt('docker', ['logs', containerId], { env: this.env });
    return result.stdout + result.stderr;
  }

  /** A command run in the service's running container; throws if it fails. */
  exec(service: string, command: readonly string[]): string {
    return run('docker', ['exec', this.containerId(service), ...command], { env: this.env });
  }

  /** The loopback port the engine published a container port on. */
  publishedPort(service: string, containerPort: number): number {
    const address = this.compose('port', service, String(containerPort)).stdout.trim();
    const port = Number(/:(\d+)$/.exec(address)?.[1]);
    if (!port) throw new Error(`service ${service} publishes no port for ${containerPort} (got "${address}")`);
    return port;
  }

  /** What the engine publishes of the service's container, as `docker port` lists it (`80/tcp -> 127.0.0.1:8081`). */
  portBindings(service: string): string[] {
    return run('docker', ['port', this.containerId(service)], { env: this.env }).split('\n').filter(Boolean).sort();
  }

  /** The engine's container events between two moments, oldest first. */
  events(since: Date, until: Date): EngineEvent[] {
    const seconds = (date: Date) => (date.getTime() / 1000).toFixed(3);
    const output = run(
      'docker',
      ['events', '--since', seconds(since), '--until', seconds(until), '--filter', 'type=container', '--format', '{{json .}}'],
      { env: this.env },
    );
    return output
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as EngineEvent)
      .sort((a, b) => a.timeNano - b.timeNano);
  }
}

/** The Compose service a container event is of, from the label Compose puts on every container. */
export function serviceOf(event: EngineEvent): string | undefined {
  return event.Actor.Attributes['com.docker.compose.service'];
}

/**
 * When the engine first recorded `action` for a container of `service` (ns); throws, listing
 * what it did record. By service, not container name: Compose v1 and v2 name containers apart
 * (`shop_db_1`, `shop-db-1`).
 */
export function firstEvent(events: readonly EngineEvent[], service: string, action: string): number {
  const found = events.find((event) => serviceOf(event) === service && event.Action === action);
  if (!found) {
    const seen = events.map((event) => `${serviceOf(event)} (${event.Actor.Attributes.name}) ${event.Action}`).join('\n  ');
    throw new Error(`the engine recorded no "${action}" of service ${service}; it recorded:\n  ${seen}`);
  }
  return found.timeNano;
}

/** Polls until `check` returns a value other than undefined; throws with `what` after the timeout. */
export async function waitFor<T>(what: string, check: () => T | undefined | Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}
