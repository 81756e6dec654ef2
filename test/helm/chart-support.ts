/* eslint-disable @typescript-eslint/no-explicit-any -- parsed YAML is walked freely here */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from '../../lib';
import { defineExamples } from '../support/examples';

/** Synthesizes every example, as examples/main.ts does, into a new temporary folder. */
export function synthExamples(): { outdir: string; stacks: string[] } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdkc-helm-examples-'));
  const app = new App({ outdir, printSummary: false });
  defineExamples(app);
  const result = app.synth();
  return { outdir, stacks: result.stacks.map((s) => s.model.name) };
}

/** What tells one rendering's objects from the other's: the differences docs/helm.md lists. */
export type Rendering =
  | { readonly tool: 'kustomize'; readonly stack: string; readonly namespace?: string; readonly secrets: readonly string[] }
  | { readonly tool: 'helm'; readonly fullname: string; readonly release: string; readonly chartLabel: string };

/**
 * Objects as both renderings mean them, to compare `helm template` with `kubectl kustomize`, with
 * only the differences docs/helm.md lists taken off, each on the side that has it:
 * - names: the chart's `<fullname>-` off every string (names, references, hosts), and the
 *   stack's `<stack>-` off kustomize's, which starts the names of the stack's own objects
 *   (`<stack>-default-deny-ingress`);
 * - a Job's digest, which each computes from what it renders, and kustomize's hash suffix of a
 *   generated ConfigMap, which the chart's `checksum/` annotations replace;
 * - the labels that say who manages an object: the chart's `app.kubernetes.io/instance` (the
 *   release), `managed-by: Helm` and `helm.sh/chart`; kustomize's `managed-by: cdk-compose`;
 * - Secrets: kustomize generates them from .env (kustomize's left out, references to them called
 *   SECRET); the chart reads the existing `<fullname>-secrets` (references called SECRET);
 * - the namespace kustomize writes, and the Namespace object it writes for a Pod Security level
 *   (Helm's is the release's, which the chart leaves alone), and the chart's labels on the
 *   ConfigMaps that kustomize generates without labels.
 * Any other difference, a label of another value, a Secret in the chart, a reference to another
 * Secret, stays and fails the comparison.
 */
export function normalized(objects: readonly any[], rendering: Rendering, options: { jobs: readonly string[]; generated: readonly string[] }): Map<string, any> {
  const prefix = rendering.tool === 'helm' ? `${rendering.fullname}-` : `${rendering.stack}-`;
  const text = (s: string) => {
    let t = s;
    if (rendering.tool === 'kustomize') for (const name of options.generated) t = t.replace(new RegExp(`^${name}-[0-9a-z]{10}$`), name);
    t = t.split(prefix).join('');
    for (const job of options.jobs) t = t.replace(new RegExp(`\\b${job}-[0-9a-f]{10}\\b`, 'g'), `${job}-JOB`);
    return t;
  };
  const isSecret = (name: string) =>
    rendering.tool === 'helm' ? name === `${rendering.fullname}-secrets` : rendering.secrets.some((s) => new RegExp(`^${s}(-[0-9a-z]{10})?$`).test(name));
  const managementLabel = (key: string, value: unknown) =>
    rendering.tool === 'helm'
      ? (key === 'app.kubernetes.io/instance' && value === rendering.release) ||
        (key === 'app.kubernetes.io/managed-by' && value === 'Helm') ||
        (key === 'helm.sh/chart' && value === rendering.chartLabel)
      : key === 'app.kubernetes.io/managed-by' && value === 'cdk-compose';
  const walk = (value: any, key?: string): any => {
    if (typeof value === 'string') return text(value);
    if (Array.isArray(value)) return value.map((v) => walk(v));
    if (typeof value !== 'object' || value === null) return value;
    if (key === 'secretKeyRef' && isSecret(value.name)) return { ...value, name: 'SECRET' };
    const out: any = {};
    for (const [k, v] of Object.entries(value)) {
      if (['labels', 'matchLabels', 'selector'].includes(key as string) && managementLabel(k, v)) continue;
      if (rendering.tool === 'helm' && key === 'annotations' && k.startsWith('checksum/')) continue;
      out[k] = walk(v, k);
    }
    if (key === 'annotations' && Object.keys(out).length === 0) return undefined;
    return out;
  };
  const result = new Map<string, any>();
  for (const object of objects) {
    if (rendering.tool === 'kustomize' && object.kind === 'Secret' && isSecret(object.metadata.name)) continue;
    if (rendering.tool === 'kustomize' && object.kind === 'Namespace' && object.metadata.name === rendering.namespace) continue;
    const copy = JSON.parse(JSON.stringify(walk(object)));
    if (rendering.tool === 'kustomize' && copy.metadata.namespace === rendering.namespace) delete copy.metadata.namespace;
    if (rendering.tool === 'kustomize' && copy.kind === 'RoleBinding') {
      for (const subject of copy.subjects ?? []) if (subject.namespace === rendering.namespace) delete subject.namespace;
    }
    if (rendering.tool === 'helm' && copy.kind === 'ConfigMap' && options.generated.includes(copy.metadata.name)) delete copy.metadata.labels;
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

/** The names of the Secrets a kustomization generates. */
export function generatedSecrets(kustomization: any): string[] {
  return (kustomization.secretGenerator ?? []).map((g: { name: string }) => g.name);
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
