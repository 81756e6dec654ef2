import { IConstruct } from 'constructs';
import { Annotation, Annotations } from '../core/annotations';
import { Stack } from '../core/stack';
import { SynthError } from '../core/synth-error';
import { StackModel } from '../model';
import { ComposeDocument, renderCompose, renderEnvExample } from '../render/compose';
import { KubernetesManifests, renderKubernetes } from '../render/k8s';
import { Finding, runHardeningRules } from '../hardening/run-rules';
import { Workload } from '../services/workload';
import { buildStackModel } from './build-model';
import { generatedHeader, toYaml } from './yaml-text';

/** Options for synthesis. */
export interface SynthesizeOptions {
  /**
   * The app's directory seen from a stack's output folder, so that relative build contexts
   * and host paths keep pointing at the app's files.
   *
   * @default '.'
   */
  readonly sourceDir?: string;
}

/** Everything synth produced for one stack. */
export interface StackSynthesis {
  readonly stack: Stack;
  readonly model: StackModel;
  readonly compose?: ComposeDocument;
  readonly kubernetes?: KubernetesManifests;
  /** Output files, relative to the stack's folder, in a stable order. */
  readonly files: readonly OutputFile[];
}

/** A file synth writes, relative to the stack's folder. */
export interface OutputFile {
  readonly path: string;
  readonly content: string;
  /** Permission bits; undefined for the usual 0644. */
  readonly mode?: number;
}

/** The result of synthesizing every stack under a root. */
export interface AppSynthesis {
  readonly stacks: readonly StackSynthesis[];
  /** Warnings and notes, by construct path. Errors are thrown as a `SynthError`. */
  readonly messages: readonly Annotation[];
  /** Hardening rules the workloads do not meet, acknowledged or not. */
  readonly findings: readonly Finding[];
}

/**
 * Validates and renders every stack under `root`. Throws a `SynthError` listing every error
 * of every stack when there is at least one; writes nothing.
 */
export function synthesize(root: IConstruct, options: SynthesizeOptions = {}): AppSynthesis {
  const stacks = root.node.findAll().filter(Stack.isStack);
  for (const orphan of root.node.findAll().filter((c) => Workload.isWorkload(c) && !c.node.scopes.some(Stack.isStack))) {
    Annotations.of(orphan).addError('is not inside a Stack, so no output would hold it; create it with a Stack (or a construct inside one) as its scope');
  }
  const models = stacks.map((stack) => buildStackModel(stack));
  const rendered = stacks.map((stack, i) => renderStack(stack, models[i], options));

  const messages = [...Annotations.collect(root), ...rendered.flatMap((r) => r.messages)];
  const errors = messages.filter((m) => m.level === 'error');
  if (errors.length > 0) {
    throw new SynthError(errors);
  }
  const constructs = new Map(root.node.findAll().map((c) => [c.node.path, c]));
  const findings = models.flatMap((model) => runHardeningRules(model, (path) => constructs.get(path)));
  return { stacks: rendered.map((r) => r.synthesis), messages: messages.filter((m) => m.level !== 'error'), findings };
}

function renderStack(stack: Stack, model: StackModel, options: SynthesizeOptions) {
  const header = generatedHeader(model.name);
  const files: OutputFile[] = [];
  const messages: Annotation[] = [];
  let compose: ComposeDocument | undefined;
  let kubernetes: KubernetesManifests | undefined;
  const hasErrors = Annotations.collect(stack).some((m) => m.level === 'error');
  if (hasErrors) {
    // The model is incomplete; rendering it would only add noise to the real errors.
    return { synthesis: { stack, model, files }, messages };
  }

  if (stack.renders('compose')) {
    const result = renderCompose(model, { sourceDir: options.sourceDir });
    compose = result.documents.document;
    messages.push(...result.messages);
    files.push({ path: 'compose.yaml', content: toYaml(compose, header) });
    files.push(...result.documents.files);
  }
  // Both targets read their secrets from a filled-in copy of this file.
  files.push({ path: '.env.example', content: renderEnvExample(model) });
  if (stack.renders('kubernetes')) {
    const result = renderKubernetes(model);
    kubernetes = result.documents;
    messages.push(...result.messages);
    for (const file of kubernetes.files) {
      files.push({ path: `k8s/${file.fileName}`, content: toYaml(file.object, header) });
    }
    files.push({ path: 'k8s/kustomization.yaml', content: toYaml(kubernetes.kustomization, header) });
    for (const file of kubernetes.textFiles) files.push({ path: `k8s/${file.fileName}`, content: file.content });
  }
  return { synthesis: { stack, model, compose, kubernetes, files }, messages };
}
