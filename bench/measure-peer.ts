// Measures, side by side in one process, cdk8s 2 + cdk8s-plus-28 synthesizing N web services to
// Kubernetes YAML and cdk-compose synthesizing the same N services to Compose and Kubernetes
// (and its Helm chart), with two floors on cdk-compose's own documents: `yaml`'s stringify and
// JSON.stringify. Run by bench/bench.ts (compiled), one size per process; prints one JSON line.
//
//   node --expose-gc -e "require('<out>/bench/measure-peer.js').main([services, runs, warmup])"
import { performance } from 'perf_hooks';
import { App as Cdk8sApp } from 'cdk8s';
import { stringify } from 'yaml';
import { App, CHARTS_CONTEXT, synthesize } from '../lib';
import { defineCdk8sServices } from './peer/cdk8s-services';
import { defineCdkComposeServices } from './peer/cdk-compose-services';
import { documentsOf } from './measure-size';
import { median } from './stats';

/** What one size measured; times are medians in milliseconds, ratios medians of per-run ratios. */
export interface PeerResult {
  readonly services: number;
  readonly runs: number;
  readonly cdk8s: { readonly constructMs: number; readonly synthMs: number; readonly documents: number; readonly bytes: number };
  /** Compose and Kubernetes: the two targets (the stack's Helm chart turned off). */
  readonly cdkCompose: { readonly constructMs: number; readonly synthMs: number; readonly yamlDocuments: number; readonly files: number; readonly bytes: number };
  /** As synth runs by default: Compose, Kubernetes and the Helm chart. */
  readonly withChart: { readonly synthMs: number; readonly files: number; readonly bytes: number; readonly ratio: number };
  /** `yaml`'s stringify (synth's options before its own emitter) of every YAML document cdk-compose wrote. */
  readonly yamlFloorMs: number;
  /** JSON.stringify of the same documents. */
  readonly jsonFloorMs: number;
  /** cdk-compose synth (Compose and Kubernetes) / cdk8s synth, per run. */
  readonly ratioRuns: number[];
  readonly ratio: number;
}

const gc: () => void = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

function time<T>(fn: () => T): [T, number] {
  const start = performance.now();
  const value = fn();
  return [value, performance.now() - start];
}

export function main(args: readonly string[]): void {
  const [servicesArg, runsArg, warmupArg] = args;
  const services = Number(servicesArg);
  const runs = Number(runsArg ?? 3);
  const warmup = Number(warmupArg ?? 1);
  const samples = {
    peerConstruct: [] as number[],
    peerSynth: [] as number[],
    construct: [] as number[],
    synth: [] as number[],
    withChart: [] as number[],
    yaml: [] as number[],
    json: [] as number[],
    ratio: [] as number[],
    ratioWithChart: [] as number[],
  };
  const build = (charts: boolean) => {
    const app = new App({ outdir: '/nonexistent', printSummary: false, context: charts ? {} : { [CHARTS_CONTEXT]: false } });
    defineCdkComposeServices(app, 'peer', services);
    return app;
  };
  let chartFiles: ReturnType<typeof synthesize>['stacks'][number]['files'] = [];
  let peerText = '';
  let last: ReturnType<typeof synthesize> | undefined;
  let documents: unknown[] = [];
  for (let i = 0; i < warmup + runs; i++) {
    // Alternating the two keeps both under the same load; each starts from a collected heap.
    gc();
    const [peerApp, peerConstruct] = time(() => {
      const app = new Cdk8sApp({ outdir: '/nonexistent' });
      defineCdk8sServices(app, 'peer', services);
      return app;
    });
    // In memory, as synthesize() below: the text of every chart, nothing written.
    const [text, peerSynth] = time(() => peerApp.synthYaml());
    peerText = text;
    gc();
    const [app, construct] = time(() => build(false));
    const [synthesis, synth] = time(() => synthesize(app));
    last = synthesis;
    documents = documentsOf(synthesis);
    gc();
    const [, yamlFloor] = time(() => documents.map((d) => stringify(d, { version: '1.1', aliasDuplicateObjects: false, lineWidth: 0 })));
    const [, jsonFloor] = time(() => documents.map((d) => JSON.stringify(d)));
    gc();
    const charted = build(true);
    const [chartSynthesis, withChart] = time(() => synthesize(charted));
    chartFiles = chartSynthesis.stacks.flatMap((s) => s.files);
    if (i >= warmup) {
      samples.peerConstruct.push(peerConstruct);
      samples.peerSynth.push(peerSynth);
      samples.construct.push(construct);
      samples.synth.push(synth);
      samples.yaml.push(yamlFloor);
      samples.json.push(jsonFloor);
      samples.withChart.push(withChart);
      samples.ratio.push(synth / peerSynth);
      samples.ratioWithChart.push(withChart / peerSynth);
    }
  }
  const files = (last as ReturnType<typeof synthesize>).stacks.flatMap((s) => s.files);
  const result: PeerResult = {
    services,
    runs,
    cdk8s: {
      constructMs: median(samples.peerConstruct),
      synthMs: median(samples.peerSynth),
      documents: peerText.split(/^---$/m).length,
      bytes: Buffer.byteLength(peerText),
    },
    cdkCompose: {
      constructMs: median(samples.construct),
      synthMs: median(samples.synth),
      yamlDocuments: documents.length,
      files: files.length,
      bytes: files.reduce((sum, f) => sum + Buffer.byteLength(f.content), 0),
    },
    withChart: {
      synthMs: median(samples.withChart),
      files: chartFiles.length,
      bytes: chartFiles.reduce((sum, f) => sum + Buffer.byteLength(f.content), 0),
      ratio: median(samples.ratioWithChart),
    },
    yamlFloorMs: median(samples.yaml),
    jsonFloorMs: median(samples.json),
    ratioRuns: samples.ratio,
    ratio: median(samples.ratio),
  };
  process.stdout.write(JSON.stringify(result) + '\n');
}

