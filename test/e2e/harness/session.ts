import * as path from 'path';
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

/** A folder for synthesized stacks below the engine's root, removed with it after the run. */
export function stacksDir(engine: Engine, name: string): string {
  return path.join(engine.root, 'stacks', name);
}
