import * as fs from 'fs';
import { composeV2 } from '../../../lib/validate/compose-v2';
import { MissingToolError } from '../../../lib/validate/missing-tool';
import { attempt, hasCommand } from './commands';

/**
 * Why this machine cannot run the end-to-end tests, one reason each, or nothing when it can.
 * The engine's own start is the last check (see run.ts): these are the ones that need no engine.
 */
export function missingPrerequisites(): string[] {
  if (process.platform !== 'linux') return [`a Docker engine needs Linux; this is ${process.platform}`];
  const reasons: string[] = [];
  if (process.getuid?.() !== 0) reasons.push('dockerd, debootstrap and chroot need root; this run is not root');
  const tools: Array<[command: string, debianPackage: string]> = [
    ['dockerd', 'docker.io'],
    ['docker', 'docker.io'],
    ['debootstrap', 'debootstrap'],
    ['tar', 'tar'],
    ['ip', 'iproute2'],
  ];
  for (const [command, debianPackage] of tools) {
    if (!hasCommand(command)) reasons.push(`\`${command}\` is missing (Debian package ${debianPackage})`);
  }
  if (!isStaticBusybox('/bin/busybox')) reasons.push('/bin/busybox is missing or not static (Debian package busybox-static)');
  const compose = composeV2Problem();
  if (compose) reasons.push(compose);
  return reasons;
}

/** The stacks run with Compose v2, as users run them; why it cannot, or undefined. */
function composeV2Problem(): string | undefined {
  try {
    composeV2();
    return undefined;
  } catch (error) {
    if (error instanceof MissingToolError) return error.message;
    throw error;
  }
}

function isStaticBusybox(file: string): boolean {
  if (!fs.existsSync(file)) return false;
  // A dynamically linked program names its loader in the ELF header; a static one does not.
  return !fs.readFileSync(file).subarray(0, 4096).includes('/lib64/ld-linux') && attempt(file, ['true']).status === 0;
}
