import * as path from 'path';
import { Construct } from 'constructs';
import { formatSummary } from '../synth/summary';
import { SOURCE_DIR_CONTEXT } from './source-dir';
import { AppSynthesis, synthesize } from '../synth/synthesize';
import { writeOutput } from '../synth/writer';

/** The variable through which the `cdk-compose` command tells an app where to write. */
export const OUTDIR_ENV = 'CDK_COMPOSE_OUTDIR';

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
   * @default true
   */
  readonly printSummary?: boolean;
}

/**
 * The root of the construct tree: holds the stacks and writes them out.
 */
export class App extends Construct {
  public readonly outdir: string;
  private readonly sourceDir: string;
  private readonly printSummary: boolean;

  constructor(props: AppProps = {}) {
    // The root of a construct tree has no scope and an empty id.
    super(undefined as unknown as Construct, '');
    this.outdir = props.outdir ?? process.env[OUTDIR_ENV] ?? 'cdk.out';
    this.sourceDir = path.resolve(props.sourceDir ?? '.');
    this.printSummary = props.printSummary ?? true;
    this.node.setContext(SOURCE_DIR_CONTEXT, this.sourceDir);
  }

  /**
   * Validates every stack, renders it for its targets and replaces its output folder.
   * Throws a `SynthError` listing every problem, and writes nothing, when the app has errors.
   */
  public synth(): AppSynthesis {
    const started = Date.now();
    // Relative paths in the source are relative to the app; the Compose file sits in <outdir>/<stack>/.
    const sourceDir = toPosix(path.relative(path.resolve(this.outdir, 'stack'), this.sourceDir)) || '.';
    const result = synthesize(this, { sourceDir });
    writeOutput(
      this.outdir,
      result.stacks.map((s) => ({ stackName: s.model.name, files: s.files })),
    );
    if (this.printSummary) {
      process.stderr.write(formatSummary(result, this.outdir, Date.now() - started) + '\n');
    }
    return result;
  }
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
