import { Annotation } from '../core/annotations';
import { App } from '../core/app';
import { Finding } from '../hardening/run-rules';
import { Stack } from '../core/stack';
import { ComposeDocument } from '../render/compose';
import { KubernetesObject } from '../render/k8s';
import { synthesize } from '../synth/synthesize';

export { Annotations } from './annotations';
export type { ConstructPathPattern } from './annotations';
export { Capture } from './capture';
export { Match, MatchResult, Matcher } from './match';
export type { MatchFailure, PathSegment } from './match';
export { Template } from './template';
export type { ComposeEntry, ConstructOutput, TemplateJson } from './template';

/** One stack synthesized in memory, as plain objects for assertions and snapshots. */
export interface SynthesizedStack {
  /** The Compose project; undefined when the stack does not render Compose. */
  readonly compose?: ComposeDocument;
  /** Kubernetes objects in file order; empty when the stack does not render Kubernetes. */
  readonly manifests: readonly KubernetesObject[];
  readonly kustomization?: Record<string, unknown>;
  /** Output files by path relative to the stack's folder, exactly as synth writes them. */
  readonly files: Readonly<Record<string, string>>;
  /** Warnings and notes of the whole app. */
  readonly messages: readonly Annotation[];
  /** Hardening findings of this stack's workloads, acknowledged or not. */
  readonly findings: readonly Finding[];
}

/** Helpers for testing stacks without writing to disk. */
export class Testing {
  /** An app that writes nothing unless asked and prints no summary. */
  public static app(): App {
    return new App({ outdir: 'cdk.out', printSummary: false });
  }

  /**
   * Synthesizes the app that `stack` belongs to, in memory, and returns `stack`'s output.
   * Throws a `SynthError` when the app has errors.
   */
  public static synth(stack: Stack): SynthesizedStack {
    const result = synthesize(stack.node.root, { sourceDir: '../..' });
    const own = result.stacks.find((s) => s.stack === stack);
    if (!own) {
      throw new Error(`[${stack.node.path}] was not synthesized; is it inside the app?`);
    }
    return {
      compose: own.compose,
      manifests: own.kubernetes?.files.map((f) => f.object) ?? [],
      kustomization: own.kubernetes?.kustomization,
      files: Object.fromEntries(own.files.map((f) => [f.path, f.content])),
      messages: result.messages,
      findings: result.findings.filter((f) => f.path === own.model.path || f.path.startsWith(`${own.model.path}/`)),
    };
  }
}
