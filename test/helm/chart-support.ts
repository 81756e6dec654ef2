/* eslint-disable @typescript-eslint/no-explicit-any -- parsed YAML is walked freely here */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from '../../lib';
import { defineDrm } from '../../examples/device-remote-management/app';
import { defineEscrowgrid } from '../../examples/escrowgrid/app';
import { defineParmana } from '../../examples/parmana/app';
import { defineProject88 } from '../../examples/project88/app';
import { defineQuickstart } from '../../examples/quickstart/app';
import { defineSrvthreds } from '../../examples/srvthreds/app';

/** Synthesizes every example, as examples/main.ts does, into a new temporary folder. */
export function synthExamples(): { outdir: string; stacks: string[] } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdkc-helm-examples-'));
  const app = new App({ outdir, printSummary: false });
  defineQuickstart(app);
  for (const environment of ['dev', 'prod'] as const) {
    defineDrm(app, environment);
    defineParmana(app, environment);
    defineEscrowgrid(app, environment);
    defineProject88(app, environment);
    defineSrvthreds(app, environment);
  }
  const result = app.synth();
  return { outdir, stacks: result.stacks.map((s) => s.model.name) };
}

/** Labels and annotations that say who manages an object, not what it is. */
const MANAGEMENT_LABELS = ['app.kubernetes.io/instance', 'app.kubernetes.io/managed-by', 'helm.sh/chart'];

/**
 * Objects as both renderings mean them, to compare `helm template` with `kubectl kustomize`:
 * - the release's prefix (`<fullname>-`) taken off every string (names, references, hosts), and
 *   the stack's (`<stack>-`) off those of kustomize, which names the stack's own objects with it;
 * - a Job's digest (which each computes from what it renders) and a generated ConfigMap's hash
 *   suffix taken off;
 * - the Secret a pod reads called SECRET (kustomize generates one per reader, the chart reads
 *   one that exists), and kustomize's generated Secrets left out, since the chart has none;
 * - the labels that say who manages an object, `checksum/` annotations (the chart's way of what
 *   kustomize's name suffixes do) and the namespace kustomize writes (Helm's is the release's)
 *   left out; a generated ConfigMap's labels too (kustomize gives it none).
 */
export function normalized(objects: readonly any[], options: { prefix?: string; jobs: readonly string[]; generated: readonly string[] }): Map<string, any> {
  const result = new Map<string, any>();
  const text = (s: string) => {
    let t = s;
    for (const name of options.generated) t = t.replace(new RegExp(`^${name}-[0-9a-z]{10}$`), name);
    if (options.prefix) t = t.split(`${options.prefix}-`).join('');
    for (const job of options.jobs) t = t.replace(new RegExp(`\\b${job}-[0-9a-f]{10}\\b`, 'g'), `${job}-JOB`);
    return t;
  };
  const walk = (value: any, key?: string): any => {
    if (typeof value === 'string') return text(value);
    if (Array.isArray(value)) return value.map((v) => walk(v));
    if (typeof value !== 'object' || value === null) return value;
    if (key === 'secretKeyRef') return { ...value, name: 'SECRET' };
    const out: any = {};
    for (const [k, v] of Object.entries(value)) {
      if ((['labels', 'matchLabels', 'selector'].includes(key as string) && MANAGEMENT_LABELS.includes(k)) || (key === 'annotations' && k.startsWith('checksum/'))) continue;
      out[k] = walk(v, k);
    }
    if (key === 'annotations' && Object.keys(out).length === 0) return undefined;
    return out;
  };
  for (const object of objects) {
    if (object.kind === 'Secret') continue;
    const copy = JSON.parse(JSON.stringify(walk(object)));
    delete copy.metadata.namespace;
    if (copy.kind === 'RoleBinding') for (const subject of copy.subjects ?? []) delete subject.namespace;
    if (copy.kind === 'ConfigMap' && options.generated.map(text).includes(copy.metadata.name)) delete copy.metadata.labels;
    result.set(`${copy.kind}/${copy.metadata.name}`, copy);
  }
  return result;
}

/** The names of the one-shot jobs of a `kubectl kustomize` output, without their digests. */
export function jobsOf(objects: readonly any[]): string[] {
  return objects.filter((o) => o.kind === 'Job').map((o) => String(o.metadata.name).replace(/-[0-9a-f]{10}$/, ''));
}

/** The names of the ConfigMaps a kustomization generates. */
export function generatedConfigMaps(kustomization: any): string[] {
  return (kustomization.configMapGenerator ?? []).map((g: { name: string }) => g.name);
}

/** Every object of `objects` by `kind/name`. */
export function byKindAndName(objects: readonly any[]): Map<string, any> {
  return new Map(objects.map((o) => [`${o.kind}/${o.metadata.name}`, o]));
}

/** Each path (`a.b[0].c`) where `a` and `b` differ, with both values. */
export function differences(a: unknown, b: unknown, at = ''): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null && Array.isArray(a) === Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    return keys.flatMap((k) => differences((a as any)[k], (b as any)[k], Array.isArray(a) ? `${at}[${k}]` : at ? `${at}.${k}` : k));
  }
  return [at];
}
