// Measures synth of one generated stack size, in a process of its own so that sizes do not
// pollute each other's memory. Run by bench/bench.ts (compiled); prints one JSON line.
//
//   node --expose-gc -e "require('<out>/bench/measure-size.js').main([services, runs, warmup, scratch dir])"
//
// Not run as the main script: an App in the main script reads the command line as its own.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { stringify } from 'yaml';
import { App, synthesize } from '../lib';
import { renderCompose } from '../lib/render/compose';
import { renderKubernetes } from '../lib/render/k8s';
import { buildStackModel } from '../lib/synth/build-model';
import { formatSummary } from '../lib/synth/summary';
import { writeOutput } from '../lib/synth/writer';
import { generatedHeader, toYaml } from '../lib/synth/yaml-text';
import { generateStack } from './generate-stack';
import { median } from './stats';

/** A median of wall-clock and of CPU time (user + system, all threads), in milliseconds. */
export interface Timing {
  readonly wallMs: number;
  readonly cpuMs: number;
}

/** What one size measured. */
export interface SizeResult {
  readonly services: number;
  readonly runs: number;
  readonly warmup: number;
  /** Building the construct tree (the app's own code), apart from synth. */
  readonly construct: Timing;
  /** `synthesize(app)`: model, validation, hardening, both renderers and every file's YAML text. */
  readonly synth: Timing;
  /** `yaml`'s stringify of exactly the documents synth produced, same options; measured right after each synth run. */
  readonly baseline: Timing;
  readonly synthRunsWallMs: number[];
  readonly baselineRunsWallMs: number[];
  /** Where synth's time goes, each phase timed alone (wall, median). */
  readonly phasesMs: { readonly model: number; readonly compose: number; readonly kubernetes: number; readonly yamlText: number };
  /** What `app.synth()` adds to `synthesize()`: writing the files (to a scratch folder) and formatting the summary; one run. */
  readonly writeMs: number;
  readonly summaryMs: number;
  readonly workloads: number;
  readonly files: number;
  readonly kubernetesObjects: number;
  readonly outputBytes: number;
  readonly baselineBytes: number;
  readonly rssAfterLoadMiB: number;
  /** The process's peak RSS over two synths of the size (one to warm up), before the baseline ran. */
  readonly peakRssMiB: number;
  /** The largest heap used right after those synths. */
  readonly peakHeapUsedMiB: number;
  /** The process's peak RSS at the end, with the baseline's runs (the `yaml` package's document trees). */
  readonly peakRssWithBaselineMiB: number;
}

const gc: () => void = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
let peakHeap = 0;
const sampleHeap = () => {
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
};

interface Sample<T> {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly value: T;
}

function measure<T>(fn: () => T): Sample<T> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const value = fn();
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { wallMs, cpuMs: (used.user + used.system) / 1000, value };
}

function timing(samples: readonly Sample<unknown>[]): Timing {
  return { wallMs: median(samples.map((s) => s.wallMs)), cpuMs: median(samples.map((s) => s.cpuMs)) };
}

function newApp(services: number): App {
  // synthesize() renders in memory and writes nothing; outdir only names where app.synth() would write.
  const app = new App({ outdir: path.join('/nonexistent', 'cdk-compose-bench'), printSummary: false });
  generateStack(app, `bench-${services}`, services);
  return app;
}

type Synthesis = ReturnType<typeof synthesize>;

/** Exactly the objects synth turned into YAML text: the Compose document, every Kubernetes object, the kustomization. */
export function documentsOf(synthesis: Synthesis): unknown[] {
  const documents: unknown[] = [];
  for (const stack of synthesis.stacks) {
    if (stack.compose) documents.push(stack.compose);
    for (const file of stack.kubernetes?.files ?? []) documents.push(file.object);
    if (stack.kubernetes) documents.push(stack.kubernetes.kustomization);
  }
  return documents;
}

/**
 * The baseline: the same final documents serialized by `yaml` alone, with the options synth
 * passes (YAML 1.1, no anchors for repeated objects, no line folding). Returns the bytes.
 */
function serializeWithYamlAlone(documents: readonly unknown[]): number {
  let bytes = 0;
  for (const document of documents) {
    bytes += Buffer.byteLength(stringify(document, { version: '1.1', aliasDuplicateObjects: false, lineWidth: 0 }));
  }
  return bytes;
}

export function main(args: readonly string[]): void {
  const [servicesArg, runsArg, warmupArg, scratch] = args;
  const services = Number(servicesArg);
  const runs = Number(runsArg ?? 5);
  const warmup = Number(warmupArg ?? 1);
  gc();
  const rssAfterLoad = process.memoryUsage().rss;

  // Memory first, before the baseline's document trees can raise the peak: what synth alone needs.
  for (let i = 0; i < 2; i++) {
    synthesize(newApp(services));
    sampleHeap();
    gc();
  }
  const synthPeakRss = process.resourceUsage().maxRSS / 1024;
  const synthPeakHeap = peakHeap / 2 ** 20;

  // Each run: a fresh construct tree, synth, then the baseline on the documents that synth
  // just produced. Alternating the two keeps both under the same load and heap state.
  const constructs: Sample<App>[] = [];
  const synths: Sample<Synthesis>[] = [];
  const baselines: Sample<number>[] = [];
  let last: Synthesis | undefined;
  let baselineBytes = 0;
  for (let i = 0; i < warmup + runs; i++) {
    const built = measure(() => newApp(services));
    const synthesized = measure(() => synthesize(built.value));
    sampleHeap();
    gc();
    const documents = documentsOf(synthesized.value);
    const serialized = measure(() => serializeWithYamlAlone(documents));
    sampleHeap();
    if (i >= warmup) {
      constructs.push(built);
      synths.push(synthesized);
      baselines.push(serialized);
    }
    last = synthesized.value;
    baselineBytes = serialized.value;
    gc();
  }
  const synthesis = last as Synthesis;

  // Each phase alone, on the last tree: building the model, rendering each target, YAML text.
  const phases = { model: [] as number[], compose: [] as number[], kubernetes: [] as number[], yamlText: [] as number[] };
  const stack = synthesis.stacks[0].stack;
  for (let i = 0; i < warmup + runs; i++) {
    const model = measure(() => buildStackModel(stack));
    const compose = measure(() => renderCompose(model.value, { sourceDir: '.' }));
    const kubernetes = measure(() => renderKubernetes(model.value));
    const header = generatedHeader(model.value.name);
    const yamlText = measure(() => {
      toYaml(compose.value.documents.document, header);
      for (const file of kubernetes.value.documents.files) toYaml(file.object, header);
      toYaml(kubernetes.value.documents.kustomization, header);
    });
    if (i >= warmup) {
      phases.model.push(model.wallMs);
      phases.compose.push(compose.wallMs);
      phases.kubernetes.push(kubernetes.wallMs);
      phases.yamlText.push(yamlText.wallMs);
    }
    gc();
  }

  // What app.synth() adds: the atomic write into a scratch folder, and the printed summary.
  const outdir = fs.mkdtempSync(path.join(scratch ?? os.tmpdir(), `write-${services}-`));
  const write = measure(() =>
    writeOutput(outdir, synthesis.stacks.map((s) => ({ stackName: s.model.name, files: s.files }))),
  );
  const summary = measure(() => formatSummary(synthesis, outdir, 0));
  fs.rmSync(outdir, { recursive: true, force: true });

  const files = synthesis.stacks.flatMap((s) => s.files);
  const result: SizeResult = {
    services,
    runs,
    warmup,
    construct: timing(constructs),
    synth: timing(synths),
    baseline: timing(baselines),
    synthRunsWallMs: synths.map((s) => s.wallMs),
    baselineRunsWallMs: baselines.map((s) => s.wallMs),
    phasesMs: {
      model: median(phases.model),
      compose: median(phases.compose),
      kubernetes: median(phases.kubernetes),
      yamlText: median(phases.yamlText),
    },
    writeMs: write.wallMs,
    summaryMs: summary.wallMs,
    workloads: synthesis.stacks.reduce((sum, s) => sum + s.model.workloads.length, 0),
    files: files.length,
    kubernetesObjects: synthesis.stacks.reduce((sum, s) => sum + (s.kubernetes?.files.length ?? 0), 0),
    outputBytes: files.reduce((sum, f) => sum + Buffer.byteLength(f.content), 0),
    baselineBytes,
    rssAfterLoadMiB: rssAfterLoad / 2 ** 20,
    // maxRSS is in KiB: the whole process's peak, including every run's garbage before collection.
    peakRssMiB: synthPeakRss,
    peakHeapUsedMiB: synthPeakHeap,
    peakRssWithBaselineMiB: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(JSON.stringify(result) + '\n');
}

