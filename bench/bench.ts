// `npm run bench`: how synth scales with the number of services, against serializing the same
// documents with `yaml` alone, and what the command a pipeline runs costs. See docs/performance.md.
//
//   npm run bench                      sizes 10, 100, 1000, 5000 and the pipeline commands (~2.5-3.5 min on 2 cores)
//   npm run bench -- --quick           sizes 10, 100, 1000, fewer runs
//   npm run bench -- --sizes 10,1000   chosen sizes (multiples of ten)
//   npm run bench -- --no-pipeline     synth only
//   npm run bench -- --no-sizes        pipeline only
//
// Everything is written under a fresh folder in the system's temp dir, never to cdk.out.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import type { SizeResult } from './measure-size';
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
  ? { 10: { runs: 5, warmup: 2 }, 100: { runs: 5, warmup: 1 }, 1000: { runs: 3, warmup: 1 }, 5000: { runs: 1, warmup: 1 } }
  : { 10: { runs: 15, warmup: 3 }, 100: { runs: 9, warmup: 2 }, 1000: { runs: 7, warmup: 1 }, 5000: { runs: 3, warmup: 1 } };
const sizes = (flag('--sizes') ?? (quick ? '10,100,1000' : '10,100,1000,5000')).split(',').map(Number);

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

function measureSize(out: string, scratch: string, services: number): SizeResult {
  const { runs, warmup } = RUNS[services] ?? { runs: 3, warmup: 1 };
  const child = spawnSync(
    process.execPath,
    ['--expose-gc', path.join(out, 'bench', 'measure-size.js'), String(services), String(runs), String(warmup), scratch],
    { encoding: 'utf8', maxBuffer: 16 * 2 ** 20 },
  );
  if (child.status !== 0) throw new Error(`measuring ${services} services failed:\n${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').pop() as string) as SizeResult;
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
  return `${main}\n\nWhere synth's time goes (each phase timed alone, median):\n\n${phases}\n\nLinearity:\n\n${linearity}`;
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
  return [examples, commands, ...attributions, references, check].join('\n\n');
}

function main(): void {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-compose-bench-'));
  const info = machine();
  log(`scratch folder ${scratch}`);
  log('compiling lib/, bench/ and examples/ with tsc ...');
  const compiled = compile(scratch);
  log(`compiled in ${ms(compiled.ms)} ms${compiled.errors.length ? ` (${compiled.errors.length} type errors in the tree, emitted anyway: ${compiled.errors[0]})` : ''}`);

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
  if (results.length > 0) sections.push('## Synth, in process\n\n' + sizeTables(results));
  if (pipeline) sections.push('## The pipeline command\n\n' + pipelineTables(pipeline));
  const verdicts: string[] = [];
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
  fs.writeFileSync(path.join(scratch, 'results.json'), JSON.stringify({ machine: info, compileMs: compiled.ms, sizes: results, pipeline }, null, 2));
  // Keep the results; drop the compiled tree and the synthesized outputs.
  for (const entry of fs.readdirSync(scratch)) {
    if (entry.startsWith('out') || entry === 'user-project') fs.rmSync(path.join(scratch, entry), { recursive: true, force: true });
  }
  process.stdout.write(markdown);
  log(`done in ${((performance.now() - started) / 1000).toFixed(0)} s; results in ${path.join(scratch, 'results.md')} and results.json`);
}

main();
