import * as path from 'path';
import { Construct } from 'constructs';
import { formatSummary } from '../synth/summary';
import { AppSynthesis, synthesize } from '../synth/synthesize';
import { writeOutput } from '../synth/writer';
import { Annotation } from './annotations';
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
 */
export class App extends Construct {
  public readonly outdir: string;
  public readonly sourceDir: string;
  private readonly printSummary: boolean;
  private readonly selectedStacks?: readonly string[];
  private readonly strict: boolean;

  constructor(props: AppProps = {}) {
    // The root of a construct tree has no scope and an empty id.
    super(undefined as unknown as Construct, '');
    checkProps(this, App, props, PROPS);
    const env = process.env;
    this.outdir = props.outdir ?? env[APP_ENV.OUTDIR] ?? 'cdk.out';
    this.sourceDir = path.resolve(props.sourceDir ?? '.');
    this.printSummary = props.printSummary ?? env[APP_ENV.QUIET] !== '1';
    this.selectedStacks = props.stacks ?? (env[APP_ENV.STACKS] ? env[APP_ENV.STACKS]!.split(',').filter(Boolean) : undefined);
    this.strict = props.strict ?? env[APP_ENV.STRICT] === '1';
    this.node.setContext(SOURCE_DIR_CONTEXT, this.sourceDir);
    for (const [key, value] of Object.entries(props.context ?? contextFromEnv())) {
      this.node.setContext(key, value);
    }
  }

  /**
   * Validates every stack, renders it for its targets and replaces its output folder.
   * Throws a `SynthError` listing every problem, and writes nothing, when the app has errors
   * (or warnings, in strict mode).
   */
  public synth(): AppSynthesis {
    const started = Date.now();
    // Relative paths in the source are relative to the app; the Compose file sits in <outdir>/<stack>/.
    const sourceDir = toPosix(path.relative(path.resolve(this.outdir, 'stack'), this.sourceDir)) || '.';
    const result = synthesize(this, { sourceDir });

    const problems: Annotation[] = [];
    const names = result.stacks.map((s) => s.model.name);
    for (const wanted of this.selectedStacks ?? []) {
      if (!names.includes(wanted)) {
        problems.push({ level: 'error', path: wanted, message: `there is no stack named "${wanted}"; the app has: ${names.join(', ')}` });
      }
    }
    if (this.strict) {
      for (const warning of result.messages.filter((m) => m.level === 'warning')) {
        problems.push({ ...warning, level: 'error', message: `${warning.message} (a warning; strict mode fails on warnings)` });
      }
      for (const finding of result.findings.filter((f) => f.acknowledged === undefined)) {
        problems.push({
          level: 'error',
          path: finding.path,
          message: `[${finding.ruleId}] ${finding.message} (strict mode fails on hardening findings that are not acknowledged with Hardening.of(construct).acknowledge('${finding.ruleId}', reason))`,
        });
      }
    }
    if (problems.length > 0) throw new SynthError(problems);

    const written = result.stacks.filter((s) => !this.selectedStacks || this.selectedStacks.includes(s.model.name));
    const { kept } = writeOutput(
      this.outdir,
      written.map((s) => ({ stackName: s.model.name, files: s.files })),
      { allStacks: names, messages: result.messages, findings: result.findings, complete: !this.selectedStacks },
    );
    if (this.printSummary) {
      process.stderr.write(formatSummary({ ...result, stacks: written }, this.outdir, Date.now() - started, kept) + '\n');
    }
    return result;
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

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
