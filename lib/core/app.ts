import * as path from 'path';
import { Construct } from 'constructs';
import type { AppSynthesis } from '../synth/synthesize';
import { DirectRunArguments, directRunArguments, isProgram } from './direct-run';
import { checkProps, knownProps } from './known-props';
import { SOURCE_DIR_CONTEXT } from './source-dir';
import { SynthError } from './synth-error';

/**
 * The variables through which the `cdk-compose` command passes its options to the app it runs.
 */
export const APP_ENV = {
  OUTDIR: 'CDK_COMPOSE_OUTDIR',
  /** Comma-separated stack names: only these are written (all are still validated). */
  STACKS: 'CDK_COMPOSE_STACKS',
  /** '1': warnings fail synth. */
  STRICT: 'CDK_COMPOSE_STRICT',
  /** '1': print nothing but errors. */
  QUIET: 'CDK_COMPOSE_QUIET',
  /** A JSON object of context values. */
  CONTEXT: 'CDK_COMPOSE_CONTEXT',
  /**
   * The folder relative paths in the output are computed from, when the files are written
   * elsewhere: `cdk-compose diff` renders into a temporary folder as if into the output folder.
   */
  PATHS_FROM: 'CDK_COMPOSE_PATHS_FROM',
} as const;


/**
 * Properties for an `App`.
 */
export interface AppProps {
  /**
   * Folder the stacks are written to, one subfolder per stack.
   *
   * @default - $CDK_COMPOSE_OUTDIR, else 'cdk.out'
   */
  readonly outdir?: string;

  /**
   * Folder that relative build contexts and host paths in the source are relative to.
   *
   * @default - the current working directory
   */
  readonly sourceDir?: string;

  /**
   * Print what was written where after synth.
   *
   * @default - true, unless $CDK_COMPOSE_QUIET is '1'
   */
  readonly printSummary?: boolean;

  /**
   * Write only these stacks (by name); every stack is still validated.
   *
   * @default - $CDK_COMPOSE_STACKS, else every stack
   */
  readonly stacks?: string[];

  /**
   * Treat warnings as errors.
   *
   * @default - true when $CDK_COMPOSE_STRICT is '1'
   */
  readonly strict?: boolean;

  /**
   * Context values, read in constructs with `this.node.tryGetContext(key)`.
   *
   * @default - the JSON object in $CDK_COMPOSE_CONTEXT, else none
   */
  readonly context?: Record<string, unknown>;
}

const PROPS = knownProps<AppProps>('AppProps', ['outdir', 'sourceDir', 'printSummary', 'stacks', 'strict', 'context']);

/**
 * The root of the construct tree: holds the stacks and writes them out.
 *
 * Run directly (`npx ts-node app.ts`), an app takes the verbs and options of `cdk-compose synth`
 * and `cdk-compose list`: `npx ts-node app.ts synth shop-prod --strict -c imageTag=1.5.0`,
 * `npx ts-node app.ts list` (`--help` lists them). Props given in code win over the command
 * line, which wins over the `CDK_COMPOSE_*` variables the `cdk-compose` command sets.
 */
export class App extends Construct {
  public readonly outdir: string;
  public readonly sourceDir: string;
  private readonly printSummary: boolean;
  private readonly selectedStacks?: readonly string[];
  private readonly strict: boolean;
  /** What a direct run asks for; undefined in a test or when nothing was asked. */
  private readonly commandLine?: DirectRunArguments;

  constructor(props: AppProps = {}) {
    // The root of a construct tree has no scope and an empty id.
    super(undefined as unknown as Construct, '');
    checkProps(this, App, props, PROPS);
    const env = process.env;
    const args = directRunArguments();
    this.commandLine = args;
    this.outdir = props.outdir ?? args?.output ?? (env[APP_ENV.OUTDIR] || 'cdk.out');
    this.sourceDir = path.resolve(props.sourceDir ?? '.');
    this.printSummary = props.printSummary ?? !(args?.quiet || env[APP_ENV.QUIET] === '1');
    const envStacks = env[APP_ENV.STACKS] ? env[APP_ENV.STACKS]!.split(',').filter(Boolean) : undefined;
    this.selectedStacks = props.stacks ?? (args && args.stacks.length > 0 ? [...args.stacks] : envStacks);
    this.strict = props.strict ?? (args?.strict || env[APP_ENV.STRICT] === '1');
    this.node.setContext(SOURCE_DIR_CONTEXT, this.sourceDir);
    for (const [key, value] of Object.entries(props.context ?? { ...contextFromEnv(), ...args?.context })) {
      this.node.setContext(key, value);
    }
  }

  /**
   * Validates every stack, renders it for its targets and replaces its output folder.
   * Throws a `SynthError` listing every problem, and writes nothing, when the app has errors
   * (or warnings, in strict mode).
   *
   * When the app is the program node runs (`npx ts-node app.ts`, or run by `cdk-compose`),
   * the errors are printed instead, as `SynthError: synth failed with 2 errors; ...` and one
   * `[path] message` line each, and the process exits with code 1. `list` on the command line
   * prints the stack names instead of writing them.
   */
  public synth(): AppSynthesis {
    if (!isProgram()) return this.run();
    try {
      return this.run();
    } catch (error) {
      if (!SynthError.isSynthError(error)) throw error;
      // The list is the whole story: node's report of an uncaught error would add a trace into
      // the library and print every error twice.
      process.stderr.write(`${error.name}: ${error.message}\n`);
      process.exit(1);
    }
  }

  private run(): AppSynthesis {
    // Loaded when called: the tree's modules do not import the synthesizer, which imports them.
    const { synthesizeApp } = require('../synth/app-synthesis') as typeof import('../synth/app-synthesis');
    return synthesizeApp(this, {
      outdir: this.outdir,
      sourceDir: this.sourceDir,
      pathsFrom: process.env[APP_ENV.PATHS_FROM] || this.outdir,
      printSummary: this.printSummary,
      selectedStacks: this.selectedStacks,
      strict: this.strict,
      listOnly: this.commandLine?.command === 'list',
    });
  }
}

function contextFromEnv(): Record<string, unknown> {
  const raw = process.env[APP_ENV.CONTEXT];
  if (!raw) return {};
  const parsed: unknown = JSON.parse(raw);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`${APP_ENV.CONTEXT} must hold a JSON object, got ${raw}`);
  }
  return parsed as Record<string, unknown>;
}
