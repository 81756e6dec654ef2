import * as fs from 'fs';
import * as path from 'path';
import { Annotation } from '../core/annotations';
import { Finding } from '../hardening/run-rules';

/** The file in the output folder that says what the last synth produced. */
export const MANIFEST_FILE = 'manifest.json';

/** `<outdir>/manifest.json`: the stacks of the app and the messages of its last synth. */
export interface OutputManifest {
  readonly version: 1;
  /** Every stack of the app, in tree order; each has a folder of the same name. */
  readonly stacks: readonly { readonly name: string }[];
  /** Warnings and notes, by construct path. */
  readonly messages: readonly Annotation[];
  /** Hardening findings, acknowledged or not. */
  readonly findings: readonly Finding[];
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
