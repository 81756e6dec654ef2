import * as fs from 'fs';
import * as path from 'path';
import { MANIFEST_FILE, ManifestStack, OutputManifest, manifestText, readManifest } from './manifest';

/** Files the user writes into a stack's folder; synth never generates them and keeps them. */
export const USER_OWNED_FILES = ['.env', 'k8s/.env'];

export interface StackFiles {
  readonly stackName: string;
  readonly files: readonly { readonly path: string; readonly content: string; readonly mode?: number }[];
}

/**
 * Replaces the stacks' folders under `outdir`, and `manifest.json`, all together or not at
 * all. Everything is first written beside its place (`.<stack>.staging`, `manifest.json.staging`);
 * then the old folders are renamed aside and the new ones into place. If any step fails, the
 * renames done so far are undone in reverse, so the output is the previous one, and no staging
 * folder stays. Files of removed services do not linger; neither do folders of removed stacks,
 * but for the files the user wrote into them (returned as `kept`).
 */
export function writeOutput(outdir: string, stacks: readonly StackFiles[], app?: AppOutput): { kept: string[] } {
  fs.mkdirSync(outdir, { recursive: true });
  const previousManifest = readManifest(outdir);
  const staged: { staging: string; target: string; aside: string }[] = [];
  const manifestFile = path.join(outdir, MANIFEST_FILE);
  const manifestStaging = `${manifestFile}.staging`;
  const renames: { from: string; to: string }[] = [];
  const rename = (from: string, to: string) => {
    fs.renameSync(from, to);
    renames.push({ from, to });
  };
  try {
    for (const stack of stacks) {
      const target = path.join(outdir, stack.stackName);
      const staging = path.join(outdir, `.${stack.stackName}.staging`);
      const aside = path.join(outdir, `.${stack.stackName}.previous`);
      fs.rmSync(staging, { recursive: true, force: true });
      fs.rmSync(aside, { recursive: true, force: true });
      staged.push({ staging, target, aside });
      writeFiles(staging, stack.files);
      carryOverUserFiles(target, staging);
    }
    if (app) {
      const manifest: OutputManifest = { version: 1, stacks: app.stacks, messages: app.messages, findings: app.findings };
      fs.writeFileSync(manifestStaging, manifestText(manifest));
    }
    for (const { staging, target, aside } of staged) {
      if (fs.existsSync(target)) rename(target, aside);
      rename(staging, target);
    }
    if (app) rename(manifestStaging, manifestFile);
  } catch (error) {
    for (const { from, to } of renames.reverse()) {
      fs.renameSync(to, from);
    }
    for (const { staging } of staged) fs.rmSync(staging, { recursive: true, force: true });
    fs.rmSync(manifestStaging, { force: true });
    throw error;
  }
  for (const { aside } of staged) fs.rmSync(aside, { recursive: true, force: true });
  const kept: string[] = [];
  if (app?.complete) {
    // A stack removed from the app leaves nothing synth wrote behind; the files the user wrote
    // (its filled-in .env files) stay, since only the user can write them again.
    for (const old of previousManifest?.stacks ?? []) {
      if (!app.stacks.some((s) => s.name === old.name) && isPlainName(old.name)) kept.push(...removeGeneratedFiles(path.join(outdir, old.name), old.name));
    }
  }
  return { kept };
}

/** Deletes a stack folder but the user's own files, and returns those it kept (`<stack>/.env`). */
function removeGeneratedFiles(folder: string, stackName: string): string[] {
  const kept = USER_OWNED_FILES.filter((name) => fs.existsSync(path.join(folder, name)));
  if (kept.length === 0) {
    fs.rmSync(folder, { recursive: true, force: true });
    return [];
  }
  const saved = kept.map((name) => ({ name, content: fs.readFileSync(path.join(folder, name)), mode: fs.statSync(path.join(folder, name)).mode & 0o777 }));
  fs.rmSync(folder, { recursive: true, force: true });
  for (const file of saved) {
    fs.mkdirSync(path.dirname(path.join(folder, file.name)), { recursive: true });
    fs.writeFileSync(path.join(folder, file.name), file.content, { mode: file.mode });
  }
  return kept.map((name) => `${stackName}/${name}`);
}

/** What the writer needs to know about the whole app. */
export interface AppOutput {
  /** Every stack of the app, in the order to deploy them, with what each requires. */
  readonly stacks: readonly ManifestStack[];
  readonly messages: OutputManifest['messages'];
  readonly findings: OutputManifest['findings'];
  /** Every stack was written, so folders of stacks that are gone can be removed. */
  readonly complete: boolean;
}

/** A stack name read back from a manifest names a folder directly under outdir, nothing else. */
function isPlainName(name: unknown): name is string {
  return typeof name === 'string' && /^[a-z0-9_-]+$/.test(name);
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
