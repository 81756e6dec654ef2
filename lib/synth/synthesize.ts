import { IConstruct } from 'constructs';
import { Annotation, Annotations } from '../core/annotations';
import { invokeAspects } from '../core/aspects';
import { Stack } from '../core/stack';
import { SynthError } from '../core/synth-error';
import { StackModel } from '../model';
import { ComposeDocument, renderCompose, renderEnvExample } from '../render/compose';
import { HelmChart, renderHelmChart } from '../render/helm';
import { KubernetesManifests, renderKubernetes } from '../render/k8s';
import { PROFILES_FOLDER } from '../render/k8s/profile-overlays';
import { Finding, runHardeningRules } from '../hardening/run-rules';
import { Workload } from '../services/workload';
import { buildStackModel } from './build-model';
import { generatedHeader, toYaml } from './yaml-text';
import { USER_OWNED_FILES } from './writer';

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
  /** The Helm chart (`chart/`), unless the stack turns it off. */
  readonly chart?: HelmChart;
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
  invokeAspects(root);
  const stacks = root.node.findAll().filter(Stack.isStack);
  for (const orphan of root.node.findAll().filter((c) => Workload.isWorkload(c) && !c.node.scopes.some(Stack.isStack))) {
    Annotations.of(orphan).addError('is not inside a Stack, so no output would hold it; create it with a Stack (or a construct inside one) as its scope');
  }
  const models = stacks.map((stack) => buildStackModel(stack));
  checkStackOrder(stacks);
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

/**
 * Stacks deployed after one another must have a first: a cycle (A after B after A) has no
 * order to deploy in, and each would wait for the other.
 */
function checkStackOrder(stacks: readonly Stack[]) {
  const state = new Map<Stack, 'visiting' | 'done'>();
  const visit = (stack: Stack, trail: Stack[]): void => {
    if (state.get(stack) === 'done') return;
    if (state.get(stack) === 'visiting') {
      const cycle = [...trail.slice(trail.indexOf(stack)), stack].map((s) => s.stackName);
      Annotations.of(stack).addError(
        `stacks are deployed after one another in a cycle: ${cycle.join(' after ')}; remove one of these dependencies (a connect() or after: across stacks, or Stack.addDependency)`,
      );
      return;
    }
    state.set(stack, 'visiting');
    for (const dependency of stack.dependencies) visit(dependency, [...trail, stack]);
    state.set(stack, 'done');
  };
  for (const stack of stacks) visit(stack, []);
}

/** The header of a stack's files: generated, and which stacks must be deployed first. */
function headerOf(model: StackModel): string {
  const header = generatedHeader(model.name);
  if (model.requires.length === 0) return header;
  const which = model.requires.length === 1 ? `stack ${model.requires[0]}` : `stacks ${model.requires.join(', ')}`;
  return `${header}\n# Deploy ${which} first: this stack's workloads wait for workloads of it.`;
}

function renderStack(stack: Stack, model: StackModel, options: SynthesizeOptions) {
  const header = headerOf(model);
  const files: OutputFile[] = [];
  const messages: Annotation[] = [];
  let compose: ComposeDocument | undefined;
  let kubernetes: KubernetesManifests | undefined;
  let chart: HelmChart | undefined;
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
  // The filled-in copies hold secret values: keep them out of any repository the output is in.
  files.push({ path: '.gitignore', content: `# Generated by cdk-compose: the filled-in env files hold secret values.\n${USER_OWNED_FILES.map((f) => `/${f}`).join('\n')}\n` });
  if (stack.renders('kubernetes')) {
    const result = renderKubernetes(model);
    kubernetes = result.documents;
    messages.push(...result.messages);
    for (const file of kubernetes.files) {
      files.push({ path: `k8s/${file.fileName}`, content: toYaml(file.object, header) });
    }
    files.push({ path: 'k8s/kustomization.yaml', content: toYaml(kubernetes.kustomization, header) });
    for (const file of kubernetes.textFiles) files.push({ path: `k8s/${file.fileName}`, content: file.content });
    for (const overlay of kubernetes.profileOverlays) {
      const folder = `${PROFILES_FOLDER}/${overlay.profile}`;
      for (const file of overlay.files) files.push({ path: `${folder}/${file.fileName}`, content: toYaml(file.object, header) });
      files.push({ path: `${folder}/kustomization.yaml`, content: toYaml(overlay.kustomization, header) });
    }
    if (stack.chart) {
      const helm = renderHelmChart(model, { ...stack.chart, header, kubernetes });
      chart = helm.documents;
      messages.push(...helm.messages);
      for (const file of chart.files) files.push({ path: `chart/${file.path}`, content: file.content });
    }
  }
  return { synthesis: { stack, model, compose, kubernetes, chart, files }, messages };
}
