import { OptionTable, parseCommandLine } from '../core/command-line';

/** The command line, parsed. */
export interface Arguments {
  readonly command?: string;
  /** Positional arguments after the command (stack names, files). */
  readonly names: readonly string[];
  readonly app?: string;
  readonly output?: string;
  readonly against?: string;
  /** `init`: what the new project's package.json asks for as cdk-compose. */
  readonly cdkComposeVersion?: string;
  readonly context: Record<string, string>;
  readonly strict: boolean;
  readonly quiet: boolean;
  readonly fail: boolean;
  /** `--no-charts`: the app writes no Helm chart (the context value `cdk-compose:charts` false). */
  readonly noCharts: boolean;
  readonly help: boolean;
}

const OPTIONS: OptionTable<'app' | 'output' | 'against' | 'context' | 'cdkComposeVersion', 'strict' | 'quiet' | 'fail' | 'noCharts' | 'help'> = {
  values: {
    '--app': 'app',
    '-a': 'app',
    '--output': 'output',
    '-o': 'output',
    // `import --out app.ts` reads better for a file than --output.
    '--out': 'output',
    '--against': 'against',
    '--context': 'context',
    '-c': 'context',
    '--cdk-compose-version': 'cdkComposeVersion',
  },
  flags: {
    '--strict': 'strict',
    '--quiet': 'quiet',
    '-q': 'quiet',
    '--fail': 'fail',
    '--no-charts': 'noCharts',
    '--help': 'help',
    '-h': 'help',
  },
};

/** Parses the `cdk-compose` command line; throws a `UsageError` on an unknown or incomplete option. */
export function parseArguments(argv: readonly string[]): Arguments {
  const parsed = parseCommandLine(argv, OPTIONS);
  return { command: parsed.command, names: parsed.names, context: parsed.context, ...parsed.values, ...parsed.flags };
}
