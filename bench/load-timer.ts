// Preloaded (`NODE_OPTIONS=--require <out>/bench/load-timer.js`) into the app processes that
// bench/pipeline.ts starts, to say where a synth command's time goes. It times every module
// load and every module body exclusively (a nested require is charged to the module it loads),
// sorts them into buckets by file, and times App.synth() apart. On exit it appends one JSON
// line to $CC_BENCH_REPORT. It does nothing in npm/npx's own process, nor without that variable.
import * as fs from 'fs';
import Module = require('module');
import { performance } from 'perf_hooks';

/** What one app process spent its time on, in milliseconds. */
export interface LoadReport {
  /** Epoch milliseconds at which the process started and ended. */
  readonly startEpochMs: number;
  readonly endEpochMs: number;
  /** From process start to this preload: Node's own start-up. */
  readonly nodeStartupMs: number;
  /** Exclusive time per bucket (see `bucketOf`). */
  readonly buckets: Record<string, number>;
  readonly typescriptFiles: number;
  readonly javascriptFiles: number;
}

const report = process.env.CC_BENCH_REPORT;
const inNpm = isNpm(process.argv[1] ?? '');

/** Bucket names the report uses besides `load + run: <bucketOf(file)>`. */
export const COMPILE_TS = 'ts-node compiling .ts files (transpile; type-check unless transpile-only)';
export const APP_SYNTH = 'App.synth(): validate, render, YAML text, write, summary';

if (report && !inNpm) install(report);

function install(reportFile: string): void {
  const nodeStartupMs = performance.now();
  const buckets: Record<string, number> = {};
  const stack: { bucket: string; start: number; children: number }[] = [];
  let typescriptFiles = 0;
  let javascriptFiles = 0;

  const enter = (bucket: string) => stack.push({ bucket, start: performance.now(), children: 0 });
  const leave = () => {
    const frame = stack.pop()!;
    const elapsed = performance.now() - frame.start;
    buckets[frame.bucket] = (buckets[frame.bucket] ?? 0) + elapsed - frame.children;
    if (stack.length > 0) stack[stack.length - 1].children += elapsed;
  };

  const internals = Module as unknown as {
    _load(request: string, parent: unknown, isMain: boolean): unknown;
    _resolveFilename(request: string, parent: unknown, isMain: boolean): string;
    prototype: { _compile(this: { filename: string }, content: string, filename: string): unknown };
  };
  const originalLoad = internals._load;
  internals._load = function (request: string, parent: unknown, isMain: boolean) {
    let filename = request;
    try {
      filename = internals._resolveFilename(request, parent, isMain);
    } catch {
      // Let the real load report the error.
    }
    // A .ts file's load includes ts-node compiling it (transpiling, and type-checking unless transpile-only).
    enter(filename.endsWith('.ts') ? COMPILE_TS : `load + run: ${bucketOf(filename)}`);
    try {
      const exported = originalLoad.call(this, request, parent, isMain);
      if (/[\\/]lib[\\/]core[\\/]app\.(js|ts)$/.test(filename)) timeSynth(exported);
      return exported;
    } finally {
      leave();
    }
  };
  const originalCompile = internals.prototype._compile;
  internals.prototype._compile = function (content: string, filename: string) {
    if (filename.endsWith('.ts')) typescriptFiles++;
    else javascriptFiles++;
    enter(`load + run: ${bucketOf(filename)}`);
    try {
      return originalCompile.call(this, content, filename);
    } finally {
      leave();
    }
  };

  const wrapped = new WeakSet<object>();
  function timeSynth(exported: unknown): void {
    const app = (exported as { App?: { prototype: { synth: (...args: unknown[]) => unknown } } }).App;
    if (!app || wrapped.has(app)) return;
    wrapped.add(app);
    const synth = app.prototype.synth;
    app.prototype.synth = function (this: unknown, ...args: unknown[]) {
      enter(APP_SYNTH);
      try {
        return synth.apply(this, args);
      } finally {
        leave();
      }
    };
  }

  process.on('exit', () => {
    const line: LoadReport = {
      startEpochMs: performance.timeOrigin,
      endEpochMs: performance.timeOrigin + performance.now(),
      nodeStartupMs,
      buckets,
      typescriptFiles,
      javascriptFiles,
    };
    fs.appendFileSync(reportFile, JSON.stringify(line) + '\n');
  });
}

/** True in npm's and npx's own processes (`/usr/bin/npx` is a link into npm's folder). */
function isNpm(script: string): boolean {
  let real = script;
  try {
    real = fs.realpathSync(script);
  } catch {
    // Not a file: `node -e`.
  }
  return /[\\/]npm[\\/]|npx-cli|npm-cli/.test(real);
}

/** The bucket of a file: the TypeScript compiler, ts-node, the runtime dependencies, the library, the app. */
export function bucketOf(filename: string): string {
  const inModules = /[\\/]node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(filename);
  if (inModules) {
    const pkg = inModules[1].replace(/\\/g, '/');
    if (pkg === 'typescript') return 'typescript (the compiler)';
    if (pkg === 'yaml' || pkg === 'constructs') return 'yaml + constructs';
    return 'ts-node and its helpers';
  }
  if (!filename.includes('/') && !filename.includes('\\')) return 'node built-ins';
  if (/[\\/]lib[\\/]/.test(filename)) return 'cdk-compose library';
  return 'the app (its top-level code builds the constructs)';
}
