import * as fs from 'fs';
import * as path from 'path';
import { MANIFEST_FILE, OutputManifest, manifestText, readManifest } from './manifest';

/** Files the user writes into a stack's folder; synth never generates them and keeps them. */
export const USER_OWNED_FILES = ['.env', 'k8s/.env'];

export interface StackFiles {
  readonly stackName: string;
  readonly files: readonly { readonly path: string; readonly content: string; readonly mode?: number }[];
}

/**
 * Replaces each stack's folder under `outdir` as a whole: files are written to a staging
 * folder beside it, which then takes the old folder's place. A failure leaves the previous
 * output as it was and no staging folder behind; files of removed services do not linger.
 */
export function writeOutput(outdir: string, stacks: readonly StackFiles[], app?: AppOutput): void {
  fs.mkdirSync(outdir, { recursive: true });
  const previous = readManifest(outdir);
  const staged: { staging: string; target: string }[] = [];
  try {
    for (const stack of stacks) {
      const target = path.join(outdir, stack.stackName);
      const staging = path.join(outdir, `.${stack.stackName}.staging`);
      fs.rmSync(staging, { recursive: true, force: true });
      staged.push({ staging, target });
      writeFiles(staging, stack.files);
      carryOverUserFiles(target, staging);
    }
  } catch (error) {
    for (const { staging } of staged) fs.rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  for (const { staging, target } of staged) {
    swap(staging, target);
  }
  if (app) {
    writeManifest(outdir, { version: 1, stacks: app.allStacks.map((name) => ({ name })), messages: app.messages, findings: app.findings });
    if (app.complete) {
      // A stack removed from the app leaves no folder behind.
      for (const old of previous?.stacks ?? []) {
        if (!app.allStacks.includes(old.name) && isPlainName(old.name)) {
          fs.rmSync(path.join(outdir, old.name), { recursive: true, force: true });
        }
      }
    }
  }
}

/** What the writer needs to know about the whole app. */
export interface AppOutput {
  readonly allStacks: readonly string[];
  readonly messages: OutputManifest['messages'];
  readonly findings: OutputManifest['findings'];
  /** Every stack was written, so folders of stacks that are gone can be removed. */
  readonly complete: boolean;
}

function writeManifest(outdir: string, manifest: OutputManifest): void {
  const file = path.join(outdir, MANIFEST_FILE);
  const staging = `${file}.staging`;
  fs.writeFileSync(staging, manifestText(manifest));
  fs.renameSync(staging, file);
}

/** A stack name read back from a manifest names a folder directly under outdir, nothing else. */
function isPlainName(name: unknown): name is string {
  return typeof name === 'string' && /^[a-z0-9-]+$/.test(name);
}

function writeFiles(folder: string, files: StackFiles['files']): void {
  for (const file of files) {
    const destination = path.join(folder, file.path);
    fs.mkdirSync(path.dirname(destination), { recursive: true });
    fs.writeFileSync(destination, file.content, { mode: file.mode ?? 0o644 });
    // The umask may have taken bits away; a script that must be executable needs them all.
    if (file.mode !== undefined) fs.chmodSync(destination, file.mode);
  }
}

function carryOverUserFiles(from: string, to: string): void {
  for (const name of USER_OWNED_FILES) {
    const source = path.join(from, name);
    if (fs.existsSync(source)) {
      fs.mkdirSync(path.dirname(path.join(to, name)), { recursive: true });
      fs.copyFileSync(source, path.join(to, name));
    }
  }
}

/** Puts `staging` in `target`'s place with two renames, so the folder is never half-written. */
function swap(staging: string, target: string): void {
  const previous = path.join(path.dirname(target), `.${path.basename(target)}.previous`);
  fs.rmSync(previous, { recursive: true, force: true });
  if (fs.existsSync(target)) fs.renameSync(target, previous);
  try {
    fs.renameSync(staging, target);
  } catch (error) {
    if (fs.existsSync(previous)) fs.renameSync(previous, target);
    fs.rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  fs.rmSync(previous, { recursive: true, force: true });
}
