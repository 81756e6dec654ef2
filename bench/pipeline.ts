// The command a pipeline runs, timed end to end: `npx ts-node examples/<app>/app.ts synth`
// with and without type-checking, against `node` on a precompiled copy, cold (first run) and
// warm (median of several), with an attribution of where each one's time goes (see load-timer.ts).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { parse } from 'yaml';
import type { LoadReport } from './load-timer';
import { median } from './stats';

export interface PipelineOptions {
  /** The repository. */
  readonly repo: string;
  /** The compiled copy of lib/, bench/ and examples/ (with the examples' other files beside them). */
  readonly out: string;
  /** A scratch folder for outputs and reports. */
  readonly scratch: string;
  /** Warm runs per command (after one cold run). */
  readonly warmRuns: number;
  /** Also time examples/main.ts, which synthesizes every example. */
  readonly includeMain: boolean;
}

export interface ExampleSize {
  readonly example: string;
  readonly stacks: number;
  readonly services: number;
  readonly kubernetesObjects: number;
}

export interface CommandResult {
  readonly label: string;
  readonly app: string;
  readonly command: string;
  readonly coldMs: number;
  readonly warmMs: number;
  readonly warmRunsMs: number[];
  readonly ok: boolean;
  readonly failure?: string;
  /** Median over the warm runs of each part, in milliseconds; the parts add up to warmMs. */
  readonly attribution: Record<string, number>;
  readonly typescriptFiles: number;
}

export interface ReferenceTiming {
  readonly label: string;
  readonly ms: number;
}

/** The pipeline command of each library on the same services, in a project laid out as a user's. */
export interface PeerPipeline {
  readonly services: number;
  readonly cdk8s: CommandResult;
  readonly cdkCompose: CommandResult;
  /** cdk-compose warm / cdk8s warm: the median of the ratios of runs made one after the other. */
  readonly ratio: number;
}

export interface PipelineResult {
  readonly peer?: PeerPipeline;
  readonly examples: ExampleSize[];
  readonly largest: string;
  readonly references: ReferenceTiming[];
  readonly commands: CommandResult[];
  /** `tsc --noEmit --extendedDiagnostics` on the largest example and what it imports: what type-checking costs. */
  readonly typeCheck: Record<string, string>;
  readonly typeCheckMs: number;
}

interface Run {
  readonly wallMs: number;
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly report?: LoadReport;
  readonly startEpochMs: number;
  readonly endEpochMs: number;
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, reportFile?: string): Run {
  if (reportFile) fs.rmSync(reportFile, { force: true });
  const startEpochMs = performance.timeOrigin + performance.now();
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  const endEpochMs = performance.timeOrigin + performance.now();
  let report: LoadReport | undefined;
  if (reportFile && fs.existsSync(reportFile)) {
    const lines = fs.readFileSync(reportFile, 'utf8').trim().split('\n').filter(Boolean);
    // The app's own process: the one that ran App.synth() (npx itself reports nothing).
    const reports = lines.map((l) => JSON.parse(l) as LoadReport);
    report = reports.find((r) => Object.keys(r.buckets).some((b) => b.startsWith('App.synth'))) ?? reports.pop();
  }
  return { wallMs: endEpochMs - startEpochMs, status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? String(result.error ?? ''), report, startEpochMs, endEpochMs };
}

function appEnv(scratch: string, label: string, reportFile?: string): NodeJS.ProcessEnv {
  const outdir = fs.mkdtempSync(path.join(scratch, `out-${label.replace(/[^a-z0-9]+/gi, '-')}-`));
  const env: NodeJS.ProcessEnv = { ...process.env, CDK_COMPOSE_OUTDIR: outdir };
  // The variables of the bench's own ts-node must not reach the commands being timed.
  for (const key of Object.keys(env)) if (key.startsWith('TS_NODE_')) delete env[key];
  if (reportFile) {
    env.CC_BENCH_REPORT = reportFile;
    env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --require ${path.join(reportFile, '..', 'load-timer.js')}`.trim();
  }
  return env;
}

/** Runs every example app (precompiled) once and counts what it synthesizes. */
export function measureExamples(options: PipelineOptions): ExampleSize[] {
  const examples = fs
    .readdirSync(path.join(options.repo, 'examples'))
    .filter((name) => fs.existsSync(path.join(options.repo, 'examples', name, 'app.ts')))
    .sort();
  const sizes: ExampleSize[] = [];
  for (const example of examples) {
    const env = appEnv(options.scratch, `count-${example}`);
    env.CDK_COMPOSE_QUIET = '1';
    const result = run(process.execPath, [path.join('examples', example, 'app.js'), 'synth'], options.out, env);
    let stacks = 0;
    let services = 0;
    let kubernetesObjects = 0;
    if (result.status === 0) {
      const outdir = env.CDK_COMPOSE_OUTDIR as string;
      for (const stack of fs.readdirSync(outdir)) {
        const composeFile = path.join(outdir, stack, 'compose.yaml');
        const k8s = path.join(outdir, stack, 'k8s');
        if (!fs.existsSync(composeFile) && !fs.existsSync(k8s)) continue;
        stacks++;
        if (fs.existsSync(composeFile)) {
          const compose = parse(fs.readFileSync(composeFile, 'utf8')) as { services?: Record<string, unknown> };
          services += Object.keys(compose.services ?? {}).length;
        }
        if (fs.existsSync(k8s)) kubernetesObjects += fs.readdirSync(k8s).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml').length;
      }
    }
    sizes.push({ example, stacks, services, kubernetesObjects });
  }
  return sizes;
}

/** The compiled library and example, with .d.ts files, as a user's project sees an installed package. */
function userProject(options: PipelineOptions): string {
  const dir = path.join(options.scratch, 'user-project');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.cpSync(path.join(options.repo, 'examples'), path.join(dir, 'examples'), { recursive: true });
  fs.symlinkSync(path.join(options.out, 'lib'), path.join(dir, 'lib'));
  fs.symlinkSync(path.join(options.repo, 'node_modules'), path.join(dir, 'node_modules'));
  const repoConfig = JSON.parse(fs.readFileSync(path.join(options.repo, 'tsconfig.json'), 'utf8')) as { compilerOptions: object };
  fs.writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { ...repoConfig.compilerOptions, types: ['node'] }, include: ['examples/**/*.ts'] }, null, 2),
  );
  return dir;
}

const ORDER = [
  'before the app process starts',
  'node start-up',
  'load + run: typescript',
  'load + run: ts-node',
  'ts-node compiling',
  'load + run: yaml',
  'load + run: cdk-compose',
  'load + run: the app',
  'App.synth',
  'load + run: node built-ins',
  'rest of the app process',
  'after the app process',
];
const rank = (part: string) => {
  const i = ORDER.findIndex((prefix) => part.startsWith(prefix));
  return i < 0 ? ORDER.length : i;
};

function attribution(runs: readonly Run[]): { parts: Record<string, number>; typescriptFiles: number } {
  const perRun = runs.map((r) => {
    const parts: Record<string, number> = {};
    const report = r.report;
    if (!report) {
      parts['(no report)'] = r.wallMs;
      return parts;
    }
    parts['before the app process starts (npx/npm, spawn)'] = Math.max(0, report.startEpochMs - r.startEpochMs);
    parts['node start-up'] = report.nodeStartupMs;
    let attributed = report.nodeStartupMs;
    for (const [bucket, ms] of Object.entries(report.buckets)) {
      parts[bucket] = ms;
      attributed += ms;
    }
    parts['rest of the app process (ts-node set-up, exit, GC between modules)'] = report.endEpochMs - report.startEpochMs - attributed;
    parts['after the app process exits (npm, reaping)'] = Math.max(0, r.endEpochMs - report.endEpochMs);
    return parts;
  });
  const keys = [...new Set(perRun.flatMap((p) => Object.keys(p)))].sort((a, b) => rank(a) - rank(b));
  const parts: Record<string, number> = {};
  for (const key of keys) parts[key] = median(perRun.map((p) => p[key] ?? 0));
  return { parts, typescriptFiles: runs[runs.length - 1]?.report?.typescriptFiles ?? 0 };
}

function timeCommand(
  options: PipelineOptions,
  label: string,
  app: string,
  command: string,
  args: string[],
  cwd: string,
  warmRuns: number,
  log: (line: string) => void,
): CommandResult {
  const runs: Run[] = [];
  for (let i = 0; i < 1 + warmRuns; i++) runs.push(runOnce(options, label, app, command, args, cwd, i));
  return commandResult(options, label, app, command, args, cwd, runs, log);
}

/** One run of a command, with the load report of its app process. */
function runOnce(options: PipelineOptions, label: string, app: string, command: string, args: string[], cwd: string, i: number): Run {
  const reportFile = path.join(options.scratch, 'reports', `${label.replace(/[^a-z0-9]+/gi, '-')}-${path.basename(path.dirname(app))}-${i}.jsonl`);
  return run(command, args, cwd, appEnv(options.scratch, label, reportFile), reportFile);
}

/** The cold run (the first) and the median of the warm ones, with the attribution of the warm ones. */
function commandResult(options: PipelineOptions, label: string, app: string, command: string, args: string[], cwd: string, runs: Run[], log: (line: string) => void): CommandResult {
  const failed = runs.find((r) => r.status !== 0);
  const warm = runs.slice(1);
  const { parts, typescriptFiles } = attribution(warm);
  const result: CommandResult = {
    label,
    app,
    command: `${[path.basename(command), ...args].join(' ')}   (in ${path.relative(options.repo, cwd) || '.'})`,
    coldMs: runs[0].wallMs,
    warmMs: median(warm.map((r) => r.wallMs)),
    warmRunsMs: warm.map((r) => r.wallMs),
    ok: !failed,
    failure: failed ? failed.stderr.split('\n').filter((l) => /error|Error/.test(l)).slice(0, 3).join(' | ') || `exit ${failed.status}` : undefined,
    attribution: parts,
    typescriptFiles,
  };
  log(`  ${label} ${app}: cold ${result.coldMs.toFixed(0)} ms, warm ${result.warmMs.toFixed(0)} ms${result.ok ? '' : ` (FAILED: ${result.failure})`}`);
  return result;
}

function reference(label: string, args: string[], cwd: string, runs: number): ReferenceTiming {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(run(process.execPath, args, cwd, { ...process.env }).wallMs);
  return { label, ms: median(times) };
}

/** Services of each app in the side-by-side pipeline commands. */
export const PEER_PIPELINE_SERVICES = 100;

/** A file of the repository with the imports of the library read as the installed package's. */
function asInstalled(file: string): string {
  return fs.readFileSync(file, 'utf8').replace(/'(\.\.\/)+lib'/g, "'cdk-compose'");
}

/**
 * A project as a user's looks after `npm install`: the library installed as its compiled
 * JavaScript and .d.ts files (as `npm pack` ships it, with its bin), cdk8s and cdk8s-plus-28
 * beside it, and the two apps: `main.ts` for cdk8s (the cdk8s template's name) and `app.ts` for
 * cdk-compose with the cdk-compose.json that `cdk-compose init` writes.
 */
function peerProject(options: PipelineOptions): string {
  const dir = path.join(options.scratch, 'peer-project');
  fs.rmSync(dir, { recursive: true, force: true });
  const modules = path.join(dir, 'node_modules');
  fs.mkdirSync(path.join(modules, '.bin'), { recursive: true });
  for (const entry of fs.readdirSync(path.join(options.repo, 'node_modules'))) {
    if (!entry.startsWith('.')) fs.symlinkSync(path.join(options.repo, 'node_modules', entry), path.join(modules, entry));
  }
  const installed = path.join(modules, 'cdk-compose');
  const repoPackage = JSON.parse(fs.readFileSync(path.join(options.repo, 'package.json'), 'utf8')) as Record<string, unknown>;
  fs.mkdirSync(path.join(installed, 'dist'), { recursive: true });
  fs.writeFileSync(path.join(installed, 'package.json'), JSON.stringify({ ...repoPackage, devDependencies: undefined, scripts: undefined }, null, 2));
  fs.symlinkSync(path.join(options.out, 'lib'), path.join(installed, 'dist', 'lib'));
  fs.cpSync(path.join(options.repo, 'bin'), path.join(installed, 'bin'), { recursive: true });
  const bins: Record<string, string> = { 'cdk-compose': '../cdk-compose/bin/cdk-compose.js', 'ts-node': '../ts-node/dist/bin.js', tsc: '../typescript/bin/tsc' };
  for (const [name, target] of Object.entries(bins)) fs.symlinkSync(target, path.join(modules, '.bin', name));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'peer-project', version: '0.1.0', private: true }, null, 2));
  fs.writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'commonjs', moduleResolution: 'node', strict: true, esModuleInterop: true, types: ['node'] }, exclude: ['node_modules', 'cdk.out', 'dist'] }, null, 2),
  );
  fs.writeFileSync(path.join(dir, 'cdk8s-services.ts'), asInstalled(path.join(options.repo, 'bench', 'peer', 'cdk8s-services.ts')));
  fs.writeFileSync(path.join(dir, 'cdk-compose-services.ts'), asInstalled(path.join(options.repo, 'bench', 'peer', 'cdk-compose-services.ts')));
  const n = PEER_PIPELINE_SERVICES;
  fs.writeFileSync(
    path.join(dir, 'main.ts'),
    `import { App } from 'cdk8s';\nimport { defineCdk8sServices } from './cdk8s-services';\n\nconst app = new App();\ndefineCdk8sServices(app, 'peer', ${n});\napp.synth();\n`,
  );
  fs.writeFileSync(
    path.join(dir, 'app.ts'),
    `import { App } from 'cdk-compose';\nimport { defineCdkComposeServices } from './cdk-compose-services';\n\nconst app = new App();\ndefineCdkComposeServices(app, 'peer', ${n});\napp.synth();\n`,
  );
  fs.writeFileSync(path.join(dir, 'cdk-compose.json'), JSON.stringify({ app: 'npx ts-node app.ts', output: 'cdk.out' }, null, 2));
  return dir;
}

export function runPipeline(options: PipelineOptions, log: (line: string) => void): PipelineResult {
  fs.mkdirSync(path.join(options.scratch, 'reports'), { recursive: true });
  fs.copyFileSync(path.join(options.out, 'bench', 'load-timer.js'), path.join(options.scratch, 'reports', 'load-timer.js'));

  const examples = measureExamples(options);
  const largest = [...examples].sort((a, b) => b.services - a.services)[0]?.example ?? 'quickstart';
  log(`  examples: ${examples.map((e) => `${e.example} ${e.services} services`).join(', ')}; largest: ${largest}`);

  const references = [
    reference('node -e 0 (bare Node start-up)', ['-e', '0'], options.repo, 5),
    reference("node -e \"require('typescript')\"", ['-e', "require('typescript')"], options.repo, 3),
    reference("node -e \"require('ts-node').register({ transpileOnly: true })\"", ['-e', "require('ts-node').register({ transpileOnly: true })"], options.repo, 3),
    reference("node -e \"require('yaml'); require('constructs')\"", ['-e', "require('yaml'); require('constructs')"], options.repo, 3),
    reference('node -e "require(\'<precompiled>/lib\')" (the whole library, compiled)', ['-e', `require(${JSON.stringify(path.join(options.out, 'lib'))})`], options.repo, 3),
  ];
  const npxTimes: number[] = [];
  for (let i = 0; i < 3; i++) npxTimes.push(run('npx', ['--version'], options.repo, { ...process.env }).wallMs);
  references.push({ label: 'npx --version (npm start-up alone)', ms: median(npxTimes) });

  // The documented pipeline commands side by side, warm: cdk8s's `npx ts-node main.ts` and
  // `npx cdk-compose synth`, which type-checks app.ts itself and keeps the compiled app in a cache.
  const peerDir = peerProject(options);
  // The two alternate, run by run, as the in-process runs do: a busy moment on the machine
  // then falls on both, and the ratio is the median of each pair's.
  const sides = [
    { label: 'cdk8s: npx ts-node main.ts (type-checks)', app: 'peer-project/main.ts', args: ['ts-node', 'main.ts'], runs: [] as Run[] },
    { label: 'cdk-compose: npx cdk-compose synth (type-checks)', app: 'peer-project/app.ts', args: ['cdk-compose', 'synth', '--quiet'], runs: [] as Run[] },
  ];
  const peerWarm = Math.max(5, options.warmRuns);
  for (let i = 0; i < 1 + peerWarm; i++) {
    for (const side of sides) side.runs.push(runOnce(options, side.label, side.app, 'npx', side.args, peerDir, i));
  }
  const [peerCdk8s, peerOurs] = sides.map((side) => commandResult(options, side.label, side.app, 'npx', side.args, peerDir, side.runs, log));
  const pairRatios = sides[1].runs.slice(1).map((r, i) => r.wallMs / sides[0].runs[i + 1].wallMs);
  const peer: PeerPipeline = { services: PEER_PIPELINE_SERVICES, cdk8s: peerCdk8s, cdkCompose: peerOurs, ratio: median(pairRatios) };

  const user = userProject(options);
  const commands: CommandResult[] = [];
  const app = `examples/${largest}/app.ts`;
  const compiled = app.replace(/\.ts$/, '.js');
  const warm = options.warmRuns;
  const transpileOnly = ['-r', 'ts-node/register/transpile-only'];
  const time = (label: string, appFile: string, command: string, commandArgs: string[], cwd: string, runs = warm) =>
    commands.push(timeCommand(options, label, appFile, command, commandArgs, cwd, runs, log));
  // In this repository the examples import the library's TypeScript source: ts-node compiles all of it.
  time('npx ts-node (type-checks)', app, 'npx', ['ts-node', app, 'synth'], options.repo);
  time('npx ts-node --transpile-only', app, 'npx', ['ts-node', '--transpile-only', app, 'synth'], options.repo);
  time('node -r ts-node/register/transpile-only (no npx)', app, process.execPath, [...transpileOnly, app, 'synth'], options.repo);
  time('node, precompiled (tsc --outDir)', app, process.execPath, [compiled, 'synth'], options.out);
  // What a user of the published package runs: ts-node compiles only the app; the library is JavaScript + .d.ts.
  time('npx ts-node (type-checks), library precompiled', app, 'npx', ['ts-node', app, 'synth'], user);
  time('npx ts-node --transpile-only, library precompiled', app, 'npx', ['ts-node', '--transpile-only', app, 'synth'], user);
  time('node -r ts-node/register/transpile-only, library precompiled', app, process.execPath, [...transpileOnly, app, 'synth'], user);
  if (options.includeMain) {
    // Every example at once, and the repository's own pipeline step: `npm run synth` runs the
    // CLI, which runs cdk-compose.json's app (`npx ts-node examples/main.ts`); here into a temp folder.
    const main = 'examples/main.ts';
    const mainWarm = Math.max(1, warm - 1);
    const output = path.join(options.scratch, 'out-npm-run-synth');
    time('npx ts-node (type-checks)', main, 'npx', ['ts-node', main, 'synth'], options.repo, mainWarm);
    time('npx ts-node --transpile-only', main, 'npx', ['ts-node', '--transpile-only', main, 'synth'], options.repo, mainWarm);
    time('node, precompiled (tsc --outDir)', main, process.execPath, [main.replace(/\.ts$/, '.js'), 'synth'], options.out, mainWarm);
    time('npm run synth (CLI + cdk-compose.json app)', main, 'npm', ['run', '--silent', 'synth', '--', '--output', output, '--quiet'], options.repo, mainWarm);
    time(
      'npm run synth, app run with node -r ts-node/register/transpile-only',
      main,
      'npm',
      ['run', '--silent', 'synth', '--', '--output', output, '--quiet', '--app', `node -r ts-node/register/transpile-only ${main}`],
      options.repo,
      mainWarm,
    );
  }

  // What type-checking costs: tsc on the same program ts-node checks (the app and everything it imports).
  const checkConfig = path.join(options.scratch, 'tsconfig.typecheck.json');
  fs.writeFileSync(
    checkConfig,
    JSON.stringify({
      extends: path.join(options.repo, 'tsconfig.json'),
      compilerOptions: { noEmit: true, typeRoots: [path.join(options.repo, 'node_modules', '@types')] },
      files: [path.join(options.repo, 'examples', largest, 'app.ts')],
      include: [],
    }),
  );
  const check = run('npx', ['tsc', '-p', checkConfig, '--extendedDiagnostics'], options.repo, { ...process.env });
  const typeCheck: Record<string, string> = {};
  for (const line of check.stdout.split('\n')) {
    const match = /^(Files|Lines of TypeScript|Lines of Library|I\/O Read time|Parse time|Bind time|Check time|Program time|Total time|Memory used):\s+(.+)$/.exec(line.trim());
    if (match) typeCheck[match[1]] = match[2].trim();
  }
  return { peer, examples, largest, references, commands, typeCheck, typeCheckMs: check.wallMs };
}
