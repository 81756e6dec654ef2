import { UsageError } from './config';

/** The command line, parsed. */
export interface Arguments {
  readonly command?: string;
  /** Positional arguments after the command (stack names). */
  readonly names: readonly string[];
  readonly app?: string;
  readonly output?: string;
  readonly against?: string;
  readonly context: Record<string, string>;
  readonly strict: boolean;
  readonly quiet: boolean;
  readonly fail: boolean;
  /** `--no-charts`: the app writes no Helm chart (the context value `cdk-compose:charts` false). */
  readonly noCharts: boolean;
  readonly help: boolean;
}

/** Options that take a value, and the field they fill. */
const VALUE_OPTIONS: Record<string, 'app' | 'output' | 'against' | 'context'> = {
  '--app': 'app',
  '-a': 'app',
  '--output': 'output',
  '-o': 'output',
  // `import --out app.ts` reads better for a file than --output.
  '--out': 'output',
  '--against': 'against',
  '--context': 'context',
  '-c': 'context',
};

const FLAGS: Record<string, 'strict' | 'quiet' | 'fail' | 'noCharts' | 'help'> = {
  '--strict': 'strict',
  '--quiet': 'quiet',
  '-q': 'quiet',
  '--fail': 'fail',
  '--no-charts': 'noCharts',
  '--help': 'help',
  '-h': 'help',
};

export function parseArguments(argv: readonly string[]): Arguments {
  let command: string | undefined;
  const names: string[] = [];
  const values: { app?: string; output?: string; against?: string } = {};
  const context: Record<string, string> = {};
  const flags = { strict: false, quiet: false, fail: false, noCharts: false, help: false };

  for (let i = 0; i < argv.length; i++) {
    const [arg, inline] = argv[i].startsWith('--') && argv[i].includes('=') ? splitOnce(argv[i], '=') : [argv[i], undefined];
    if (arg in FLAGS) {
      flags[FLAGS[arg]] = true;
    } else if (arg in VALUE_OPTIONS) {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new UsageError(`${arg} needs a value`);
      const field = VALUE_OPTIONS[arg];
      if (field === 'context') {
        const [key, contextValue] = splitOnce(value, '=');
        if (!key || contextValue === undefined) throw new UsageError(`${arg} needs key=value, got "${value}"`);
        context[key] = contextValue;
      } else {
        values[field] = value;
      }
    } else if (arg.startsWith('-')) {
      throw new UsageError(`unknown option ${arg}`);
    } else if (command === undefined) {
      command = arg;
    } else {
      names.push(arg);
    }
  }
  return { command, names, context, ...values, ...flags };
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}
