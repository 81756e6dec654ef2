import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type * as ts from 'typescript';

// The fast path for an app written in TypeScript: instead of `npx ts-node app.ts` (npm's start-up,
// then ts-node building a language service and type-checking on every run), the command
// type-checks and compiles the app itself with the TypeScript compiler API, in incremental mode,
// into a cache folder, and runs the JavaScript with node. When no input of the last successful
// compile changed (the same files, sizes and modification times), the compiler is not even
// loaded: those inputs were type-checked already, as `tsc --build` judges a project up to date.

/** An app command the CLI runs itself: `app.ts`, or `ts-node app.ts` with or without `npx`. */
export interface TypeScriptApp {
  /** The entry file, absolute. */
  readonly file: string;
  /** Words after the file, passed to the app. */
  readonly args: readonly string[];
  /** Written as a ts-node command, which keeps running as written when ts-node has options to honour. */
  readonly viaTsNode: boolean;
}

/** Words with no meaning to a shell, so that splitting on spaces is what the shell would do. */
const PLAIN_WORD = /^[\w@%+=:,./-]+$/;

/**
 * The TypeScript app of an app command, when the command is one the CLI can run itself:
 * `app.ts [args]`, `ts-node app.ts [args]` or `npx ts-node app.ts [args]`, where no word has
 * options or shell syntax. Anything else (`node -r ts-node/register app.ts`,
 * `npx ts-node --transpile-only app.ts`, `python app.py`) runs as the shell command it is.
 */
export function typeScriptAppOf(command: string, cwd: string): TypeScriptApp | undefined {
  const words = command.trim().split(/\s+/);
  if (!words.every((word) => PLAIN_WORD.test(word))) return undefined;
  let viaTsNode = false;
  if (words[0] === 'npx' && words[1] === 'ts-node') {
    words.splice(0, 2);
    viaTsNode = true;
  } else if (words[0] === 'ts-node') {
    words.splice(0, 1);
    viaTsNode = true;
  }
  const [file, ...args] = words;
  if (file === undefined || !file.endsWith('.ts') || file.endsWith('.d.ts') || file.startsWith('-')) return undefined;
  return { file: path.resolve(cwd, file), args, viaTsNode };
}

/** What preparing the app came to. */
export type Prepared =
  /** Run `node --require <hook> <file>`: the hook loads each `.ts` file's compiled JavaScript. */
  | { readonly kind: 'compiled'; readonly hook: string }
  /** The app does not type-check; the compiler's messages are printed. */
  | { readonly kind: 'failed' }
  /** Run the app command as written (ts-node has options of its own to honour). */
  | { readonly kind: 'command' };

/** Where the compiled app lives, with what the last successful compile read. */
interface State {
  readonly version: number;
  readonly entry: string;
  readonly typescript: string;
  /** Every file the compile read (sources, declarations, tsconfig files): path, size, mtime in ms. */
  readonly inputs: readonly (readonly [string, number, number])[];
  /** The compiled JavaScript of each source file, relative to the cache folder. */
  readonly outputs: Readonly<Record<string, string>>;
  /** True when tsconfig.json has ts-node options and the command is a ts-node one: run it as written. */
  readonly runCommand: boolean;
}

const STATE_VERSION = 1;
const STATE_FILE = 'state.json';
const BUILD_INFO_FILE = 'app.tsbuildinfo';
const HOOK_FILE = 'register.js';

/**
 * Loads each `.ts` file of the app from the JavaScript compiled for it, under its own file name,
 * so that `__dirname`, stack traces (with --enable-source-maps) and relative imports are the
 * source's. Written into the cache folder; runs in the app's process.
 */
const HOOK_SOURCE = `'use strict';
// Written by cdk-compose: loads the app's TypeScript files from their compiled JavaScript.
const fs = require('fs');
const path = require('path');
const { outputs } = JSON.parse(fs.readFileSync(path.join(__dirname, ${JSON.stringify(STATE_FILE)}), 'utf8'));
require.extensions['.ts'] = function (module, filename) {
  const output = outputs[filename];
  if (output === undefined) throw new Error('cdk-compose: ' + filename + ' is not part of the compiled app; run the command again');
  module._compile(fs.readFileSync(path.join(__dirname, output), 'utf8'), filename);
};
`;

/** TypeScript's codes that ts-node does not report either: inputs that tsconfig's `include` finds none of. */
const IGNORED_DIAGNOSTICS = new Set([6059, 18002, 18003]);

/** The cache folder for one app: under the nearest node_modules/.cache, else the system's temp folder. */
export function cacheDirOf(app: TypeScriptApp, cwd: string): string {
  const key = crypto.createHash('sha256').update(app.file).digest('hex').slice(0, 16);
  const nodeModules = nearestNodeModules(cwd);
  const root =
    process.env.CDK_COMPOSE_CACHE_DIR ??
    (nodeModules ? path.join(nodeModules, '.cache', 'cdk-compose') : path.join(os.tmpdir(), `cdk-compose-cache-${os.userInfo().uid}`));
  return path.join(root, `${path.basename(app.file, '.ts')}-${key}`);
}

function nearestNodeModules(from: string): string | undefined {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'node_modules'))) return path.join(dir, 'node_modules');
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** The `typescript` package the app's own project would use, else the one beside this package. */
function typescriptPackage(app: TypeScriptApp): string | undefined {
  for (const paths of [[path.dirname(app.file)], undefined]) {
    try {
      return path.dirname(require.resolve('typescript/package.json', paths && { paths }));
    } catch {
      // not there; try the next place
    }
  }
  return undefined;
}

/**
 * Type-checks and compiles the app into its cache folder, unless nothing it read last time
 * changed. Prints the compiler's messages on stderr when the app does not type-check.
 */
export function prepareTypeScriptApp(app: TypeScriptApp, cwd: string): Prepared {
  if (app.viaTsNode && Object.keys(process.env).some((name) => name.startsWith('TS_NODE_'))) return { kind: 'command' };
  const typescript = typescriptPackage(app);
  if (!typescript) {
    if (app.viaTsNode) return { kind: 'command' };
    process.stderr.write(`cdk-compose: compiling ${path.relative(cwd, app.file)} needs the typescript package: npm install --save-dev typescript\n`);
    return { kind: 'failed' };
  }
  const cacheDir = cacheDirOf(app, cwd);
  const previous = readState(cacheDir, app, typescript);
  let state = previous && isUpToDate(previous) ? previous : undefined;
  if (!state) {
    const compiled = compile(app, cwd, cacheDir, typescript, previous);
    if (!compiled) return { kind: 'failed' };
    state = compiled;
  }
  if (state.runCommand) return { kind: 'command' };
  const hook = path.join(cacheDir, HOOK_FILE);
  if (!fs.existsSync(hook) || fs.readFileSync(hook, 'utf8') !== HOOK_SOURCE) fs.writeFileSync(hook, HOOK_SOURCE);
  return { kind: 'compiled', hook };
}

function readState(cacheDir: string, app: TypeScriptApp, typescript: string): State | undefined {
  try {
    const state = JSON.parse(fs.readFileSync(path.join(cacheDir, STATE_FILE), 'utf8')) as State;
    if (state.version !== STATE_VERSION || state.entry !== app.file || state.typescript !== typescript) return undefined;
    // An output removed by hand: compile everything again.
    if (!Object.values(state.outputs).every((output) => fs.existsSync(path.join(cacheDir, output)))) return undefined;
    return state;
  } catch {
    return undefined;
  }
}

function isUpToDate(state: State): boolean {
  return state.inputs.every(([file, size, mtimeMs]) => {
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    return stat !== undefined && stat.size === size && stat.mtimeMs === mtimeMs;
  });
}

/** Type-checks and emits the app; the new state, or undefined when it does not type-check. */
function compile(app: TypeScriptApp, cwd: string, cacheDir: string, typescript: string, previous: State | undefined): State | undefined {
  const started = Date.now();
  const tsc = require(typescript) as typeof ts;
  const configFile = tsc.findConfigFile(path.dirname(app.file), tsc.sys.fileExists);
  const diagnostics: ts.Diagnostic[] = [];
  let options: ts.CompilerOptions = { target: tsc.ScriptTarget.ES2022, module: tsc.ModuleKind.CommonJS, strict: true, esModuleInterop: true };
  const configFiles: string[] = [];
  let runCommand = false;
  if (configFile) {
    const parsed = tsc.getParsedCommandLineOfConfigFile(configFile, {}, { ...tsc.sys, onUnRecoverableConfigFileDiagnostic: (d) => diagnostics.push(d) });
    if (parsed) {
      options = parsed.options;
      diagnostics.push(...parsed.errors);
      configFiles.push(configFile, ...((parsed.options.configFile as ts.TsConfigSourceFile | undefined)?.extendedSourceFiles ?? []));
      // ts-node reads its own options from tsconfig.json; a ts-node command with some keeps running as written.
      runCommand = app.viaTsNode && typeof parsed.raw === 'object' && parsed.raw !== null && 'ts-node' in parsed.raw;
    }
  }
  fs.mkdirSync(cacheDir, { recursive: true });
  if (runCommand) {
    const inputs = inputsOf(app.file, [...configFiles, path.join(typescript, 'package.json')], started);
    return saveState(cacheDir, { version: STATE_VERSION, entry: app.file, typescript, inputs, outputs: {}, runCommand });
  }
  const buildInfo = path.join(cacheDir, BUILD_INFO_FILE);
  if (!previous) fs.rmSync(buildInfo, { force: true });
  const outDir = path.join(cacheDir, 'js');
  options = {
    ...options,
    noEmit: false,
    emitDeclarationOnly: false,
    declaration: false,
    declarationMap: false,
    composite: false,
    sourceMap: false,
    inlineSourceMap: true,
    inlineSources: false,
    outFile: undefined,
    outDir,
    incremental: true,
    tsBuildInfoFile: buildInfo,
  };
  const host = tsc.createIncrementalCompilerHost(options);
  const program = tsc.createIncrementalProgram({ rootNames: [app.file], options, host, configFileParsingDiagnostics: diagnostics.slice() });
  diagnostics.push(...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics());
  const sources = program.getSourceFiles().filter((file) => !file.isDeclarationFile && !/[\\/]node_modules[\\/]/.test(file.fileName));
  for (const source of sources) {
    diagnostics.push(...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source));
  }
  const errors = diagnostics.filter((d) => !IGNORED_DIAGNOSTICS.has(d.code) && d.category === tsc.DiagnosticCategory.Error);
  if (errors.length > 0) {
    process.stderr.write(errors.map((d) => formatDiagnostic(tsc, d, cwd)).join(''));
    process.stderr.write(`cdk-compose: ${path.relative(cwd, app.file)} does not type-check (${errors.length} error${errors.length === 1 ? '' : 's'}); nothing was written\n`);
    return undefined;
  }

  // The builder emits only what changed since the build info; the rest is already in the cache.
  const outputs: Record<string, string> = { ...(previous?.outputs ?? {}) };
  program.emit(undefined, (fileName, text, _bom, _onError, sourceFiles) => {
    fs.mkdirSync(path.dirname(fileName), { recursive: true });
    fs.writeFileSync(fileName, text);
    // Keyed by real path, the file name node gives the hook.
    if (fileName.endsWith('.js') && sourceFiles?.length === 1) outputs[realPath(sourceFiles[0].fileName)] = path.relative(cacheDir, fileName);
  });
  const compiled = new Set(sources.map((source) => realPath(source.fileName)));
  for (const file of Object.keys(outputs)) if (!compiled.has(file)) delete outputs[file];
  const read = [...program.getSourceFiles().map((file) => path.resolve(file.fileName)), ...configFiles, path.join(typescript, 'package.json')];
  return saveState(cacheDir, { version: STATE_VERSION, entry: app.file, typescript, inputs: inputsOf(app.file, read, started), outputs, runCommand });
}

/**
 * What the compile read, to tell next time whether anything changed. A file changed while the
 * compile ran is recorded as unknown, so the next run compiles again.
 */
function inputsOf(entry: string, read: readonly string[], started: number): State['inputs'] {
  const files = [...read];
  // npm rewrites this file on every install: a package added to node_modules (an @types package, say) counts as a change.
  const nodeModules = nearestNodeModules(path.dirname(entry));
  if (nodeModules && fs.existsSync(path.join(nodeModules, '.package-lock.json'))) files.push(path.join(nodeModules, '.package-lock.json'));
  return [...new Set(files)].map((file) => {
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    return stat && stat.mtimeMs < started ? ([file, stat.size, stat.mtimeMs] as const) : ([file, -1, -1] as const);
  });
}

function realPath(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return path.resolve(file);
  }
}

function saveState(cacheDir: string, state: State): State {
  const file = path.join(cacheDir, STATE_FILE);
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(state));
  fs.renameSync(`${file}.tmp`, file);
  return state;
}

/**
 * `file:line:col - error TS2322: message`, as tsc's own header line of an error: editors and CI
 * logs link it to the place. The compiler's message is its own, with its chain of reasons.
 */
function formatDiagnostic(tsc: typeof ts, diagnostic: ts.Diagnostic, cwd: string): string {
  const message = tsc.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
  const where =
    diagnostic.file && diagnostic.start !== undefined
      ? (() => {
          const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
          return `${path.relative(cwd, diagnostic.file.fileName) || diagnostic.file.fileName}:${line + 1}:${character + 1} - `;
        })()
      : '';
  return `${where}error TS${diagnostic.code}: ${message}\n`;
}
