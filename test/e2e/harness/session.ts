import * as path from 'path';
import { App, Stack } from '../../../lib';
import { ComposeProject, EngineEvent, SynthesisOptions, synthesizeStack, writeDotEnv } from './compose-project';
import { Engine } from './engine';
import { E2E_ENV } from './settings';

/**
 * The engine `npm run e2e` started for this run, or undefined when jest was started some other
 * way: the end-to-end suites then skip, since nothing else starts an engine for them.
 */
export function runningEngine(): Engine | undefined {
  const root = process.env[E2E_ENV.ENGINE_ROOT];
  const host = process.env.DOCKER_HOST;
  if (!root || !host) return undefined;
  return { host, root, pid: 0, logFile: path.join(root, 'dockerd.log') };
}

/** `describe` on the private engine, or a skipped suite that says how to run it. */
export function describeOnEngine(name: string, body: (engine: Engine) => void): void {
  const engine = runningEngine();
  if (engine) {
    describe(name, () => body(engine));
  } else {
    describe.skip(`${name} (skipped: run \`npm run e2e\`, which starts the engine these tests need)`, () => {
      it('needs the engine', () => undefined);
    });
  }
}

/** The folder synthesized stacks go to: below the engine's root, removed with it after the run. */
export function stacksDir(engine: Engine): string {
  return path.join(engine.root, 'stacks');
}

/** A stack a suite runs: its project, and what the engine recorded while `up` brought it up. */
export interface BootedStack {
  readonly project: ComposeProject;
  readonly events: EngineEvent[];
}

/**
 * Registers the suite's set-up and tear-down: before its tests, synthesize the stack, write the
 * `.env` a user writes and run `docker compose up`; after them, `down --volumes`.
 */
export function bootForSuite(engine: Engine, define: (app: App) => Stack, dotEnv: Readonly<Record<string, string>>, synthesis: SynthesisOptions = {}): BootedStack {
  const booted: { project?: ComposeProject; events?: EngineEvent[] } = {};
  beforeAll(() => {
    const dir = synthesizeStack(stacksDir(engine), define, synthesis);
    writeDotEnv(dir, dotEnv);
    const project = new ComposeProject(engine, dir);
    project.assertImagesLoaded();
    const since = new Date();
    project.up();
    booted.project = project;
    booted.events = project.events(since, new Date());
  });
  afterAll(() => {
    booted.project?.compose('down', '--volumes', '--remove-orphans');
  });
  const unbooted = () => new Error('the stack is not up: its beforeAll failed (see above)');
  return {
    get project() {
      if (!booted.project) throw unbooted();
      return booted.project;
    },
    get events() {
      if (!booted.events) throw unbooted();
      return booted.events;
    },
  };
}
