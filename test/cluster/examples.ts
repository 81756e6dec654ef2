import * as fs from 'fs';
import * as path from 'path';
import { App } from '../../lib';
import { kubernetesName } from '../../lib/core/names';
import { podSecurityViolations } from '../../lib/hardening/pod-security';
import { isRenderedOnKubernetes } from '../../lib/model';
import { synthesize } from '../../lib/synth/synthesize';
import { kubectlKustomize } from '../support/real-tools';
import { defineExamples } from '../support/examples';

/** The examples/ folders the definitions below come from; a new example must be added to both. */
export const EXAMPLE_FOLDERS = ['device-remote-management', 'escrowgrid', 'parmana', 'project88', 'quickstart', 'srvthreds'];


/** A Kubernetes object as kubectl prints it; only what the tests read is typed. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; [key: string]: any };
  [key: string]: any;
}

/** The stacks that are deployed into one namespace, and what `kubectl kustomize` made of them. */
export interface Deployment {
  /** The namespace the kustomizations name, else the stack's own name. */
  readonly namespace: string;
  readonly stacks: string[];
  /** Every object of every stack, in the order of the stacks and of kustomize's output. */
  readonly objects: KubeObject[];
  /**
   * What synth's own Pod Security check says "restricted" refuses, as `<workload> <control>`
   * (the library's verdict, which the API server's is compared with).
   */
  readonly restrictedBySynth: string[];
}

/**
 * Synthesizes every example into `outdir` and renders each stack's k8s/ folder with
 * `kubectl kustomize` (a `.env` of dummy values made from `.env.example`). Stacks whose
 * kustomizations name the same namespace (srvthreds' infrastructure and application, as its
 * README deploys them) form one deployment.
 */
export function synthesizeExamples(outdir: string): Deployment[] {
  const app = new App({ outdir, printSummary: false });
  defineExamples(app);
  app.synth();
  const verdicts = new Map(
    synthesize(app).stacks.map(({ model }) => [
      model.name,
      model.workloads
        .filter((w) => isRenderedOnKubernetes(w, model.profiles))
        .flatMap((w) => podSecurityViolations(w, 'restricted').map((v) => `${kubernetesName(w.name)} ${v.control}`)),
    ]),
  );
  const byNamespace = new Map<string, { stacks: string[]; objects: KubeObject[]; restrictedBySynth: string[] }>();
  for (const stack of fs.readdirSync(outdir).sort()) {
    const k8sDir = path.join(outdir, stack, 'k8s');
    if (!fs.existsSync(k8sDir)) continue;
    const objects = kubectlKustomize(k8sDir).objects as KubeObject[];
    const namespaces = [...new Set(objects.map((o) => o.metadata.namespace ?? stack))];
    if (namespaces.length !== 1) throw new Error(`stack ${stack} spans namespaces ${namespaces.join(', ')}`);
    const entry = byNamespace.get(namespaces[0]) ?? { stacks: [], objects: [], restrictedBySynth: [] };
    entry.stacks.push(stack);
    entry.objects.push(...objects);
    entry.restrictedBySynth.push(...(verdicts.get(stack) ?? []));
    byNamespace.set(namespaces[0], entry);
  }
  return [...byNamespace].map(([namespace, entry]) => ({ namespace, ...entry }));
}
