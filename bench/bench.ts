// `npm run bench`: synth against the peer (cdk8s 2 + cdk8s-plus-28) on the same services, how
// synth scales with the number of services and what it keeps in memory, against serializing the
// same documents with `yaml` alone, and what the command a pipeline runs costs, against the peer's.
// See docs/performance.md.
//
//   npm run bench                      sizes 10, 100, 1000, 5000, 10000 and the pipeline commands (~10-15 min on 2 cores)
//   npm run bench -- --quick           sizes 10, 100, 1000, fewer runs
//   npm run bench -- --sizes 10,1000   chosen sizes (multiples of ten)
//   npm run bench -- --no-pipeline     synth only
//   npm run bench -- --no-sizes        pipeline only
//   npm run bench -- --no-peer         without the side-by-side runs of cdk8s
//
// Everything is written under a fresh folder in the system's temp dir, never to cdk.out.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import type { SizeResult } from './measure-size';
import type { PeerResult } from './measure-peer';
import { PipelineResult, runPipeline } from './pipeline';
import { median } from './stats';

const repo = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};

/** Runs and warm-up runs per size: fewer for the large ones, which take seconds each. */
const RUNS: Record<number, { runs: number; warmup: number }> = quick
  ? { 10: { runs: 5, warmup: 2 }, 100: { runs: 5, warmup: 1 }, 1000: { runs: 3, warmup: 1 }, 5000: { runs: 1, warmup: 1 }, 10000: { runs: 1, warmup: 1 } }
  : { 10: { runs: 15, warmup: 3 }, 100: { runs: 9, warmup: 2 }, 1000: { runs: 7, warmup: 1 }, 5000: { runs: 3, warmup: 1 }, 10000: { runs: 1, warmup: 1 } };
/** The same for the side-by-side runs, each of which synthesizes four times (cdk8s, ours, ours with the chart, the floors). */
const PEER_RUNS: Record<number, { runs: number; warmup: number }> = quick
  ? { 10: { runs: 5, warmup: 2 }, 100: { runs: 3, warmup: 1 }, 1000: { runs: 3, warmup: 1 }, 5000: { runs: 1, warmup: 1 }, 10000: { runs: 1, warmup: 1 } }
  : { 10: { runs: 11, warmup: 3 }, 100: { runs: 7, warmup: 2 }, 1000: { runs: 5, warmup: 1 }, 5000: { runs: 2, warmup: 1 }, 10000: { runs: 1, warmup: 1 } };
const sizes = (flag('--sizes') ?? (quick ? '10,100,1000' : '10,100,1000,5000,10000')).split(',').map(Number);

const started = performance.now();
const log = (line: string) => process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${line}\n`);

function machine(): Record<string, string> {
  const cpus = os.cpus();
  return {
    cpu: `${cpus.length} × ${cpus[0]?.model ?? 'unknown'}`,
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    typescript: (require('typescript/package.json') as { version: string }).version,
    'ts-node': (require('ts-node/package.json') as { version: string }).version,
    yaml: (require('yaml/package.json') as { version: string }).version,
    cdk8s: (require('cdk8s/package.json') as { version: string }).version,
    'cdk8s-plus-28': (require('cdk8s-plus-28/package.json') as { version: string }).version,
    'load average at start (1, 5, 15 min)': os.loadavg().map((l) => l.toFixed(2)).join(', '),
  };
}

/** Compiles lib/, bench/ and examples/ with tsc into `<scratch>/out`, with the examples' other files beside them. */
function compile(scratch: string): { out: string; ms: number; errors: string[] } {
  const out = path.join(scratch, 'out');
  const config = path.join(scratch, 'tsconfig.compile.json');
  fs.writeFileSync(
    config,
    JSON.stringify({
      extends: path.join(repo, 'tsconfig.json'),
      compilerOptions: {
        outDir: out,
        rootDir: repo,
        noEmit: false,
        declaration: true,
        sourceMap: false,
        incremental: false,
        types: ['node'],
        typeRoots: [path.join(repo, 'node_modules', '@types')],
      },
      include: ['lib', 'bench', 'examples'].map((d) => path.join(repo, d, '**', '*.ts')),
    }),
  );
  const start = performance.now();
  const tsc = spawnSync(process.execPath, [path.join(repo, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', config], { encoding: 'utf8' });
  const ms = performance.now() - start;
  if (!fs.existsSync(path.join(out, 'lib', 'index.js'))) {
    throw new Error(`tsc emitted nothing:\n${tsc.stdout}${tsc.stderr}`);
  }
  for (const dir of ['lib', 'examples']) {
    fs.cpSync(path.join(repo, dir), path.join(out, dir), { recursive: true, filter: (source) => !source.endsWith('.ts') });
  }
  fs.symlinkSync(path.join(repo, 'node_modules'), path.join(out, 'node_modules'));
  // tsc still emits when the tree has type errors (someone's work in progress); say so.
  const errors = (tsc.stdout ?? '').split('\n').filter((l) => /error TS\d+/.test(l));
  return { out, ms, errors };
}

/**
 * Runs `main(args)` of a compiled bench module in a Node process of its own and returns the JSON
 * line it prints. Through `-e`, not as the main script: an App in the main script would read
 * the command line as its own.
 */
function measureInChild<T>(out: string, module: string, args: readonly (string | number)[]): T {
  const script = `require(${JSON.stringify(path.join(out, 'bench', module))}).main(${JSON.stringify(args.map(String))})`;
  const child = spawnSync(process.execPath, ['--expose-gc', '-e', script], { encoding: 'utf8', maxBuffer: 16 * 2 ** 20 });
  if (child.status !== 0) throw new Error(`${module} ${args.join(' ')} failed:\n${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').pop() as string) as T;
}

function measureSize(out: string, scratch: string, services: number): SizeResult {
  const { runs, warmup } = RUNS[services] ?? { runs: 3, warmup: 1 };
  return measureInChild<SizeResult>(out, 'measure-size.js', [services, runs, warmup, scratch]);
}

function measurePeer(out: string, services: number): PeerResult {
  const { runs, warmup } = PEER_RUNS[services] ?? { runs: 1, warmup: 1 };
  return measureInChild<PeerResult>(out, 'measure-peer.js', [services, runs, warmup]);
}

/** The target of the side-by-side runs: synth to both targets at most a third of cdk8s's Kubernetes-only synth. */
const PEER_TARGET = 1 / 3;

function peerTable(results: readonly PeerResult[]): string {
  return table(
    [
      'services',
      'cdk8s synth (Kubernetes)',
      'cdk-compose synth (Compose + Kubernetes)',
      '**cdk-compose / cdk8s**',
      'cdk-compose + Helm chart (the default)',
      'with chart / cdk8s',
      'floor: `yaml` stringify of our documents',
      'floor: JSON.stringify of our documents',
      'cdk-compose / JSON floor',
      'construct: cdk8s / cdk-compose',
      'output: cdk8s / ours / ours with chart',
    ],
    results.map((r) => [
      String(r.services),
      `${ms(r.cdk8s.synthMs)} ms`,
      `${ms(r.cdkCompose.synthMs)} ms`,
      `**${r.ratio.toFixed(2)}×**`,
      `${ms(r.withChart.synthMs)} ms`,
      `${r.withChart.ratio.toFixed(2)}×`,
      `${ms(r.yamlFloorMs)} ms`,
      `${ms(r.jsonFloorMs)} ms`,
      `${(r.cdkCompose.synthMs / r.jsonFloorMs).toFixed(1)}×`,
      `${ms(r.cdk8s.constructMs)} / ${ms(r.cdkCompose.constructMs)} ms`,
      `${mib(r.cdk8s.bytes)} / ${mib(r.cdkCompose.bytes)} / ${mib(r.withChart.bytes)}`,
    ]),
  );
}

const ms = (value: number) => (value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2));
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(bytes < 2 ** 20 ? 2 : 1)} MiB`;

function table(header: string[], rows: string[][]): string {
  return [`| ${header.join(' | ')} |`, `|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

/** The median over runs of synth / baseline, each pair measured back to back: steadier than a ratio of medians on a busy machine. */
function pairedRatio(r: SizeResult): number {
  return median(r.synthRunsWallMs.map((t, i) => t / r.baselineRunsWallMs[i]));
}

function sizeTables(results: readonly SizeResult[]): string {
  const main = table(
    ['services', 'files', 'output', 'construct', 'synth', 'baseline (`yaml` alone)', 'synth / baseline (paired runs)', 'synth CPU / baseline CPU', 'synth per service', 'peak RSS', 'peak heap used'],
    results.map((r) => [
      String(r.services),
      String(r.files),
      mib(r.outputBytes),
      `${ms(r.construct.wallMs)} ms`,
      `${ms(r.synth.wallMs)} ms`,
      `${ms(r.baseline.wallMs)} ms`,
      `**${pairedRatio(r).toFixed(2)}×**`,
      `${(r.synth.cpuMs / r.baseline.cpuMs).toFixed(2)}×`,
      `${((r.synth.wallMs * 1000) / r.services).toFixed(0)} µs`,
      `${r.peakRssMiB.toFixed(0)} MiB`,
      `${r.peakHeapUsedMiB.toFixed(0)} MiB`,
    ]),
  );
  const phases = table(
    ['services', 'model (validate)', 'render Compose', 'render Kubernetes', 'YAML text', 'sum', 'write files (app.synth)', 'summary (app.synth)'],
    results.map((r) => {
      const p = r.phasesMs;
      return [String(r.services), ms(p.model), ms(p.compose), ms(p.kubernetes), ms(p.yamlText), ms(p.model + p.compose + p.kubernetes + p.yamlText), ms(r.writeMs), ms(r.summaryMs)].map(
        (v, i) => (i === 0 ? v : `${v} ms`),
      );
    }),
  );
  const linearity = table(
    ['from → to', 'services ×', 'synth time × (wall)', 'synth time × (CPU)', 'baseline time ×', 'growth exponent (1 = linear)'],
    results.slice(1).map((r, i) => {
      const prev = results[i];
      const n = r.services / prev.services;
      const t = r.synth.wallMs / prev.synth.wallMs;
      return [
        `${prev.services} → ${r.services}`,
        `${n}`,
        t.toFixed(2),
        (r.synth.cpuMs / prev.synth.cpuMs).toFixed(2),
        (r.baseline.wallMs / prev.baseline.wallMs).toFixed(2),
        (Math.log(t) / Math.log(n)).toFixed(2),
      ];
    }),
  );
  const memory = table(
    ['services', 'peak RSS (synth)', 'RSS after loading', 'peak RSS − after loading', 'per service', 'peak heap used', 'peak RSS with the baseline runs'],
    results.map((r) => {
      const grown = r.peakRssMiB - r.rssAfterLoadMiB;
      return [
        String(r.services),
        `${r.peakRssMiB.toFixed(0)} MiB`,
        `${r.rssAfterLoadMiB.toFixed(0)} MiB`,
        `${grown.toFixed(0)} MiB`,
        `${((grown * 1024) / r.services).toFixed(1)} KiB`,
        `${r.peakHeapUsedMiB.toFixed(0)} MiB`,
        `${r.peakRssWithBaselineMiB.toFixed(0)} MiB`,
      ];
    }),
  );
  return `${main}\n\nWhere synth's time goes (each phase timed alone, median):\n\n${phases}\n\nLinearity:\n\n${linearity}\n\nMemory (synth alone, before the baseline runs in the same process):\n\n${memory}`;
}

function pipelineTables(p: PipelineResult): string {
  const examples = table(
    ['example', 'stacks', 'services (Compose)', 'Kubernetes objects'],
    p.examples.map((e) => [e.example === p.largest ? `**${e.example}** (largest)` : e.example, String(e.stacks), String(e.services), String(e.kubernetesObjects)]),
  );
  const commands = table(
    ['command', 'app', 'cold', 'warm (median)', '.ts files compiled'],
    p.commands.map((c) => [c.label + (c.ok ? '' : ` — FAILED: ${c.failure}`), c.app, `${ms(c.coldMs)} ms`, `**${ms(c.warmMs)} ms**`, String(c.typescriptFiles)]),
  );
  const attributions = [...new Set(p.commands.map((c) => c.app))].map((app) => {
    const runs = p.commands.filter((c) => c.app === app);
    const parts = [...new Set(runs.flatMap((c) => Object.keys(c.attribution)))];
    return `Attribution, ${app}:\n\n${table(
      ['where the time goes (warm, median)', ...runs.map((c) => c.label)],
      parts.map((part) => [part, ...runs.map((c) => (c.attribution[part] ? `${ms(c.attribution[part])} ms` : '–'))]),
    )}`;
  });
  const references = table(['reference', 'median'], p.references.map((r) => [r.label, `${ms(r.ms)} ms`]));
  const check = table(
    ['`tsc --noEmit --extendedDiagnostics` on the largest example', ''],
    Object.entries(p.typeCheck).map(([k, v]) => [k, v]).concat([['wall (with npx)', `${ms(p.typeCheckMs)} ms`]]),
  );
  const side = p.peer;
  const peer = side
    ? [
        `The documented pipeline command of each library, ${side.services} web services, in a project laid out as a user's (libraries installed as JavaScript + .d.ts):`,
        table(
          ['command', 'cold', 'warm (median)', 'warm runs'],
          [side.cdk8s, side.cdkCompose].map((c) => [
            c.label + (c.ok ? '' : ` — FAILED: ${c.failure}`),
            `${ms(c.coldMs)} ms`,
            `**${ms(c.warmMs)} ms**`,
            c.warmRunsMs.map((t) => ms(t)).join(', '),
          ]),
        ),
        `cdk-compose / cdk8s, warm (median of the runs paired one after the other): **${side.ratio.toFixed(2)}×**`,
        `Attribution, side by side:\n\n${table(
          ['where the time goes (warm, median)', side.cdk8s.label, side.cdkCompose.label],
          [...new Set([...Object.keys(side.cdk8s.attribution), ...Object.keys(side.cdkCompose.attribution)])].map((part) => [
            part,
            ...[side.cdk8s, side.cdkCompose].map((c) => (c.attribution[part] ? `${ms(c.attribution[part])} ms` : '–')),
          ]),
        )}`,
      ]
    : [];
  return [...peer, examples, commands, ...attributions, references, check].join('\n\n');
}

function main(): void {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-compose-bench-'));
  const info = machine();
  log(`scratch folder ${scratch}`);
  log('compiling lib/, bench/ and examples/ with tsc ...');
  const compiled = compile(scratch);
  log(`compiled in ${ms(compiled.ms)} ms${compiled.errors.length ? ` (${compiled.errors.length} type errors in the tree, emitted anyway: ${compiled.errors[0]})` : ''}`);

  const peers: PeerResult[] = [];
  if (!args.includes('--no-sizes') && !args.includes('--no-peer')) {
    for (const services of sizes) {
      log(`side by side with cdk8s, ${services} services ...`);
      const r = measurePeer(compiled.out, services);
      peers.push(r);
      log(`  cdk8s ${ms(r.cdk8s.synthMs)} ms, cdk-compose ${ms(r.cdkCompose.synthMs)} ms (${r.ratio.toFixed(2)}×), with chart ${ms(r.withChart.synthMs)} ms (${r.withChart.ratio.toFixed(2)}×)`);
    }
  }

  const results: SizeResult[] = [];
  if (!args.includes('--no-sizes')) {
    for (const services of sizes) {
      log(`synth of ${services} services ...`);
      const r = measureSize(compiled.out, scratch, services);
      results.push(r);
      log(`  synth ${ms(r.synth.wallMs)} ms, baseline ${ms(r.baseline.wallMs)} ms, ratio ${pairedRatio(r).toFixed(2)}, peak RSS ${r.peakRssMiB.toFixed(0)} MiB`);
    }
  }

  let pipeline: PipelineResult | undefined;
  if (!args.includes('--no-pipeline')) {
    log('pipeline commands ...');
    pipeline = runPipeline({ repo, out: compiled.out, scratch, warmRuns: quick ? 2 : 3, includeMain: !quick }, log);
  }
  info['load average at end (1, 5, 15 min)'] = os.loadavg().map((l) => l.toFixed(2)).join(', ');

  const sections = [
    '## Machine\n\n' + table(['', ''], Object.entries(info)),
    `tsc (type-check + emit of lib/, bench/, examples/): ${ms(compiled.ms)} ms`,
  ];
  if (peers.length > 0) sections.push('## Side by side with cdk8s 2 + cdk8s-plus-28, in process\n\n' + peerTable(peers));
  if (results.length > 0) sections.push('## Synth, in process\n\n' + sizeTables(results));
  if (pipeline) sections.push('## The pipeline command\n\n' + pipelineTables(pipeline));
  const verdicts: string[] = [];
  const peerAt1000 = peers.find((r) => r.services === 1000);
  if (peerAt1000) {
    const { ratio, withChart } = peerAt1000;
    verdicts.push(
      `${ratio <= PEER_TARGET ? 'PASS' : 'FAIL'}: at 1000 services synth to Compose and Kubernetes costs ${ratio.toFixed(2)}× cdk8s's Kubernetes-only synth (target ≤ ${PEER_TARGET.toFixed(2)}×); ` +
        `with the Helm chart synth writes by default, ${withChart.ratio.toFixed(2)}×`,
    );
  }
  const at5000 = results.find((r) => r.services === 5000);
  if (at5000) {
    verdicts.push(`${at5000.peakRssMiB <= 304 ? 'PASS' : 'FAIL'}: peak RSS of synth at 5000 services ${at5000.peakRssMiB.toFixed(0)} MiB (target ≤ 304 MiB, half of the 608 MiB measured before)`);
  }
  const memoryFrom = results.find((r) => r.services >= 100);
  const memoryTo = results[results.length - 1];
  if (memoryFrom && memoryTo && memoryTo !== memoryFrom) {
    const grown = (r: SizeResult) => r.peakRssMiB - r.rssAfterLoadMiB;
    const exponent = Math.log(grown(memoryTo) / grown(memoryFrom)) / Math.log(memoryTo.services / memoryFrom.services);
    verdicts.push(`${exponent <= 1.15 ? 'PASS' : 'FAIL'}: synth's memory grows as services^${exponent.toFixed(2)} from ${memoryFrom.services} to ${memoryTo.services} services (target: linear)`);
  }
  const at1000 = results.find((r) => r.services === 1000);
  if (at1000) {
    const ratio = pairedRatio(at1000);
    verdicts.push(`${ratio <= 2 ? 'PASS' : 'FAIL'}: at 1000 services synth to both targets costs ${ratio.toFixed(2)}× the YAML-only baseline (target ≤ 2×)`);
  }
  if (results.length >= 2) {
    // From the first size where fixed costs no longer dominate.
    const first = results.find((r) => r.services >= 100 && r !== results[results.length - 1]) ?? results[0];
    const last = results[results.length - 1];
    const exponent = Math.log(last.synth.wallMs / first.synth.wallMs) / Math.log(last.services / first.services);
    verdicts.push(`${exponent <= 1.15 ? 'PASS' : 'FAIL'}: synth time grows as services^${exponent.toFixed(2)} from ${first.services} to ${last.services} services (target: linear)`);
  }
  if (pipeline?.peer) {
    const { peer } = pipeline;
    const ok = peer.cdk8s.ok && peer.cdkCompose.ok;
    verdicts.push(
      `${ok && peer.ratio <= 0.5 ? 'PASS' : 'FAIL'}: the pipeline command, warm, type-checking, ${peer.services} services: npx cdk-compose synth ${ms(peer.cdkCompose.warmMs)} ms, ` +
        `cdk8s's npx ts-node main.ts ${ms(peer.cdk8s.warmMs)} ms: ${peer.ratio.toFixed(2)}× (target ≤ 0.50×)`,
    );
  }
  if (pipeline) {
    const fast = pipeline.commands.filter((c) => c.app !== 'examples/main.ts' && !c.label.includes('type-checks') && c.ok);
    const best = [...fast].sort((a, b) => a.warmMs - b.warmMs)[0];
    if (best) verdicts.push(`${best.warmMs < 1000 ? 'PASS' : 'FAIL'}: fastest command without type-checking: ${best.label}, ${ms(best.warmMs)} ms warm (target: well under 1 s)`);
    for (const c of fast.filter((f) => f !== best && f.label.includes('library precompiled'))) {
      verdicts.push(`${c.warmMs < 1000 ? 'PASS' : 'FAIL'}: ${c.label}: ${ms(c.warmMs)} ms warm`);
    }
  }
  if (verdicts.length > 0) sections.push('## Verdicts\n\n' + verdicts.map((v) => `- ${v}`).join('\n'));
  const markdown = sections.join('\n\n') + '\n';

  fs.writeFileSync(path.join(scratch, 'results.md'), markdown);
  fs.writeFileSync(path.join(scratch, 'results.json'), JSON.stringify({ machine: info, compileMs: compiled.ms, peers, sizes: results, pipeline }, null, 2));
  // Keep the results; drop the compiled tree and the synthesized outputs.
  for (const entry of fs.readdirSync(scratch)) {
    if (entry.startsWith('out') || entry === 'user-project') fs.rmSync(path.join(scratch, entry), { recursive: true, force: true });
  }
  process.stdout.write(markdown);
  log(`done in ${((performance.now() - started) / 1000).toFixed(0)} s; results in ${path.join(scratch, 'results.md')} and results.json`);
}

main();
