import * as path from 'path';
import { OptionTable, UsageError, didYouMean, parseCommandLine } from './command-line';

/**
 * What a direct run of an app (`npx ts-node app.ts synth drm-prod --strict`) asks for: the
 * verbs and options of `cdk-compose synth` and `cdk-compose list` that make sense without the
 * command around the app.
 */
export interface DirectRunArguments {
  readonly command: 'synth' | 'list';
  /** Stacks to write; empty for every stack. */
  readonly stacks: readonly string[];
  readonly output?: string;
  readonly context: Record<string, string>;
  readonly strict: boolean;
  readonly quiet: boolean;
}

const OPTIONS: OptionTable<'output' | 'context', 'strict' | 'quiet' | 'help'> = {
  values: { '--output': 'output', '-o': 'output', '--context': 'context', '-c': 'context' },
  flags: { '--strict': 'strict', '--quiet': 'quiet', '-q': 'quiet', '--help': 'help', '-h': 'help' },
};

const VERBS = ['synth', 'list'];
/** Verbs of the `cdk-compose` command that need more than the app: they run it themselves. */
const COMMAND_VERBS = ['diff', 'validate', 'import', 'init'];

/** The help of a direct run; `program` is how the app was started, e.g. `app.ts`. */
export function directRunUsage(program: string): string {
  return `Usage: ${program} [synth] [stack...] [options]
       ${program} list

Runs the app as \`cdk-compose synth\` does: validates every stack and writes them (or only the
stacks named) to the output folder, one subfolder per stack. \`list\` prints the stack names and
writes nothing.

Options:
  -o, --output <dir>      Output folder (default: $CDK_COMPOSE_OUTDIR, else cdk.out)
  -c, --context <k=v>     Context value for the app (repeatable)
      --strict            Fail on warnings and on hardening findings not acknowledged
  -q, --quiet             Print nothing but errors
  -h, --help              Print this help

${COMMAND_VERBS.join(', ')} are commands of cdk-compose, which runs the app itself:
\`npx cdk-compose diff\` (see \`npx cdk-compose --help\`).

Exit codes: 0 success, 1 the app has errors (or warnings with --strict), 2 wrong usage.`;
}

/**
 * Reads the command line of a direct run. Returns 'help' for `--help`; throws a `UsageError`
 * on anything a direct run does not take, with the closest verb or option it does.
 */
export function parseDirectRun(argv: readonly string[]): DirectRunArguments | 'help' {
  const parsed = parseCommandLine(argv, OPTIONS);
  if (parsed.flags.help) return 'help';
  const command = parsed.command ?? 'synth';
  if (COMMAND_VERBS.includes(command)) {
    throw new UsageError(`${command} is a command of cdk-compose, not of the app: run \`npx cdk-compose ${command}\`, which runs the app itself`);
  }
  if (!VERBS.includes(command)) {
    throw new UsageError(`unknown command "${command}"${didYouMean(command, [...VERBS, ...COMMAND_VERBS], true) || `; the app takes ${VERBS.join(' and ')}`}`);
  }
  if (command === 'list' && parsed.names.length > 0) {
    throw new UsageError(`list takes no stack names, got ${parsed.names.join(' ')}`);
  }
  return {
    command: command as DirectRunArguments['command'],
    stacks: parsed.names,
    output: parsed.values.output,
    context: parsed.context,
    strict: parsed.flags.strict,
    quiet: parsed.flags.quiet,
  };
}

/** Set by the `cdk-compose` command, whose own command line is not the app's. */
const COMMAND_OWNS_ARGV = Symbol.for('cdk-compose.command-line');

/** Marks this process as the `cdk-compose` command: an `App` it builds (import) reads no arguments. */
export function claimCommandLine(): void {
  (globalThis as Record<symbol, unknown>)[COMMAND_OWNS_ARGV] = true;
}

/**
 * True when the app is the program node runs (`ts-node app.ts`, `node app.js`, also when the
 * `cdk-compose` command runs it): then its command line is its own and synth errors end the
 * process. False under a test runner, whose main module is not the script it was started with,
 * and inside the `cdk-compose` command itself.
 */
export function isProgram(): boolean {
  if ((globalThis as Record<symbol, unknown>)[COMMAND_OWNS_ARGV]) return false;
  const main = require.main?.filename;
  const script = process.argv[1];
  if (main === undefined || script === undefined) return false;
  const resolved = path.resolve(script);
  // `node app` runs app.js.
  return resolved === main || resolved === main.replace(/\.[cm]?[jt]sx?$/, '');
}

/**
 * The arguments of a direct run, or undefined when the app is not the program node runs.
 * Prints the help and exits 0 on `--help`; prints the mistake and exits 2 on wrong usage,
 * as any command does.
 */
export function directRunArguments(): DirectRunArguments | undefined {
  if (!isProgram()) return undefined;
  const program = path.relative(process.cwd(), process.argv[1]) || process.argv[1];
  try {
    const parsed = parseDirectRun(process.argv.slice(2));
    if (parsed !== 'help') return parsed;
    process.stdout.write(directRunUsage(program) + '\n');
    process.exit(0);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${program}: ${error.message}\n\nRun the app with --help for usage.\n`);
    process.exit(2);
  }
}
