import { execFileSync, spawnSync, SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { REPO } from './user-project';

/**
 * Packs this checkout with `npm pack` into `dir`, as it would be published, and returns the
 * tarball's file name: consumer projects install that, so their tests see the package users get.
 */
export function packInto(dir: string): string {
  return execFileSync('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: REPO, encoding: 'utf8' }).trim().split('\n').pop()!;
}

/** The versions this checkout is tested with, for a consumer project's package.json. */
export function ownDevDependencies(names: readonly string[]): Record<string, string> {
  const ours = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
  return Object.fromEntries(names.map((n) => [n, ours.devDependencies[n]]));
}

/** `npm install` in `project` from the local cache where it can: the tests run without a registry round trip. */
export function npmInstall(project: string): void {
  execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: project, stdio: 'pipe' });
}

/** Runs `npx <args>` (or `npm <args>` when `tool` is 'npm') in `project`, without colours and without our own output folder setting. */
export function inProject(project: string, args: readonly string[], tool: 'npx' | 'npm' = 'npx'): SpawnSyncReturns<string> {
  return spawnSync(tool, args, { cwd: project, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0', CDK_COMPOSE_OUTDIR: '' } });
}
