/**
 * Finds the Docker Compose v2 CLI (the Go `docker compose` that users run, built on
 * compose-spec/compose-go) for the real-tool checks and the end-to-end tests. It is run as a
 * standalone binary by its path, so the check does not depend on which `docker` or `docker-compose`
 * the caller's PATH finds first, and can run with a clean environment.
 *
 * Where it looks, in order (the first that exists decides):
 *   1. `$CDK_COMPOSE_DOCKER_COMPOSE_V2`: a path to a Compose v2 binary (a standalone
 *      `docker-compose` v2 or the `docker-compose` CLI plugin file);
 *   2. `tools/.bin/docker-compose-v2` in this package's folder: what `tools/compose/build.sh`
 *      builds in a checkout of the repository;
 *   3. the Docker CLI plugin, where the Docker CLI looks for it on Linux:
 *      `$DOCKER_CONFIG/cli-plugins` (default `~/.docker/cli-plugins`), then
 *      `/usr/local/lib/docker/cli-plugins`, `/usr/local/libexec/docker/cli-plugins`,
 *      `/usr/lib/docker/cli-plugins`, `/usr/libexec/docker/cli-plugins`;
 *   4. a `docker-compose` on PATH that reports version 2 or later (Debian's 1.29 does not).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MissingToolError } from './missing-tool';

/** Names a Compose v2 binary; it wins over every other place. */
export const COMPOSE_V2_ENV = 'CDK_COMPOSE_DOCKER_COMPOSE_V2';

/** A Compose v2 binary and the version it reports (`5.6.0`). */
export interface ComposeV2 {
  readonly binary: string;
  readonly version: string;
}

const INSTALL_HINT =
  'in a checkout, build it with `tools/compose/build.sh` (needs Go >= 1.26.8; it writes tools/.bin/docker-compose-v2), ' +
  `or install the Docker Compose plugin (Docker's docker-compose-plugin package), or set ${COMPOSE_V2_ENV} to a Compose v2 binary`;

const SYSTEM_PLUGIN_DIRS = [
  '/usr/local/lib/docker/cli-plugins',
  '/usr/local/libexec/docker/cli-plugins',
  '/usr/lib/docker/cli-plugins',
  '/usr/libexec/docker/cli-plugins',
];

/** Lookups by what they depend on, so a test that changes PATH or the variable looks again. */
const found = new Map<string, ComposeV2 | string>();

/**
 * The Compose v2 CLI to run. Throws MissingToolError, saying where it looked and how to install
 * it, when there is none.
 */
export function composeV2(env: NodeJS.ProcessEnv = process.env): ComposeV2 {
  const key = JSON.stringify([env[COMPOSE_V2_ENV], env.PATH, env.DOCKER_CONFIG, env.HOME]);
  let result = found.get(key);
  if (result === undefined) {
    result = lookUp(env);
    found.set(key, result);
  }
  if (typeof result === 'string') throw new MissingToolError(result);
  return result;
}

function lookUp(env: NodeJS.ProcessEnv): ComposeV2 | string {
  const named = env[COMPOSE_V2_ENV];
  if (named) {
    const version = versionOf(named, env);
    if (typeof version !== 'string') return `${COMPOSE_V2_ENV}=${named}: ${version.problem}; ${INSTALL_HINT}`;
    return isV2(version) ? { binary: named, version } : `${COMPOSE_V2_ENV}=${named} is Compose ${version}, not v2 or later; ${INSTALL_HINT}`;
  }

  const notV2: string[] = [];
  for (const binary of candidates(env)) {
    if (!isExecutable(binary)) continue;
    const version = versionOf(binary, env);
    if (typeof version !== 'string') {
      notV2.push(`${binary}: ${version.problem}`);
    } else if (isV2(version)) {
      return { binary, version };
    } else {
      notV2.push(`${binary} is Compose ${version}`);
    }
  }
  const seen = notV2.length > 0 ? ` (found only: ${notV2.join('; ')})` : '';
  return `Docker Compose v2 was not found${seen}: ${INSTALL_HINT}`;
}

function candidates(env: NodeJS.ProcessEnv): string[] {
  const dockerConfig = env.DOCKER_CONFIG || path.join(env.HOME || os.homedir(), '.docker');
  const onPath = (env.PATH ?? '')
    .split(path.delimiter)
    .filter(Boolean)
    .map((dir) => path.join(dir, 'docker-compose'));
  return [
    path.join(packageRoot(), 'tools', '.bin', 'docker-compose-v2'),
    ...[path.join(dockerConfig, 'cli-plugins'), ...SYSTEM_PLUGIN_DIRS].map((dir) => path.join(dir, 'docker-compose')),
    ...onPath,
  ];
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

/** `version --short` prints `5.6.0` (v2 and later), `v2.29.1` (some v2 builds) or `1.29.2` (v1). */
function versionOf(binary: string, env: NodeJS.ProcessEnv): string | { problem: string } {
  const result = spawnSync(binary, ['version', '--short'], {
    encoding: 'utf8',
    timeout: 30_000,
    env: { PATH: env.PATH ?? '/usr/local/bin:/usr/bin:/bin', HOME: env.HOME ?? os.homedir(), LANG: 'C.UTF-8' },
  });
  if (result.error) return { problem: `cannot run it (${result.error.message})` };
  const version = /^v?(\d+\.\d+\.\d+\S*)\s*$/.exec(result.stdout.trim())?.[1];
  if (result.status !== 0 || !version) {
    return { problem: `\`version --short\` did not print a version (exit ${result.status ?? result.signal}): ${(result.stderr || result.stdout).trim()}` };
  }
  return version;
}

function isV2(version: string): boolean {
  return Number(version.split('.')[0]) >= 2;
}
