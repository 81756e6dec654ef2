import * as fs from 'fs';
import * as path from 'path';
import { Annotation } from '../core/annotations';
import { Finding } from '../hardening/run-rules';

/** The file in the output folder that says what the last synth produced. */
export const MANIFEST_FILE = 'manifest.json';

/** `<outdir>/manifest.json`: the stacks of the app and the messages of its last synth. */
export interface OutputManifest {
  readonly version: 1;
  /**
   * Every stack of the app, in the order to deploy them (each after the stacks it requires,
   * tree order otherwise); each has a folder of the same name.
   */
  readonly stacks: readonly ManifestStack[];
  /** Warnings and notes, by construct path. */
  readonly messages: readonly Annotation[];
  /** Hardening findings, acknowledged or not. */
  readonly findings: readonly Finding[];
}

/** A stack in the manifest: its name, and the stacks deployed before it when there are any. */
export interface ManifestStack {
  readonly name: string;
  readonly requires?: readonly string[];
}

/** `stacks` in the order to deploy them: each after those it requires, tree order otherwise. */
export function deployOrder(stacks: readonly ManifestStack[]): ManifestStack[] {
  const byName = new Map(stacks.map((s) => [s.name, s]));
  const ordered: ManifestStack[] = [];
  const placed = new Set<string>();
  const place = (stack: ManifestStack, visiting: Set<string>) => {
    if (placed.has(stack.name) || visiting.has(stack.name)) return;
    visiting.add(stack.name);
    for (const name of stack.requires ?? []) {
      const required = byName.get(name);
      if (required) place(required, visiting);
    }
    placed.add(stack.name);
    ordered.push(stack);
  };
  for (const stack of stacks) place(stack, new Set());
  return ordered;
}

/** What `cdk-compose list` prints beside the names: which stack is deployed after which. */
export function deployOrderNotes(stacks: readonly ManifestStack[]): string {
  return stacks
    .filter((s) => (s.requires ?? []).length > 0)
    .map((s) => `${s.name} is deployed after ${s.requires!.join(', ')}\n`)
    .join('');
}

export function readManifest(outdir: string): OutputManifest | undefined {
  const file = path.join(outdir, MANIFEST_FILE);
  if (!fs.existsSync(file)) return undefined;
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as OutputManifest;
    return parsed.version === 1 && Array.isArray(parsed.stacks) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export function manifestText(manifest: OutputManifest): string {
  return JSON.stringify(manifest, undefined, 2) + '\n';
}
