import { closestName } from './closest-name';

/** A mistake in how a command was called: it exits with code 2. */
export class UsageError extends Error {}

/** The options a command takes: those that take a value, and flags, each mapped to its field. */
export interface OptionTable<V extends string, F extends string> {
  /** `--output dir`, `--output=dir`, `-o dir`. The field `context` takes `key=value` and repeats. */
  readonly values: Readonly<Record<string, V>>;
  readonly flags: Readonly<Record<string, F>>;
}

/** A command line, parsed: the first word, the other words, and the options. */
export interface CommandLine<V extends string, F extends string> {
  readonly command?: string;
  /** The words after the command (stack names, files). */
  readonly names: readonly string[];
  readonly values: Partial<Record<Exclude<V, 'context'>, string>>;
  /** `-c key=value` options, later ones winning. */
  readonly context: Record<string, string>;
  readonly flags: Record<F, boolean>;
}

/**
 * Parses `argv` (without the program) against `table`. Throws a `UsageError` on an unknown
 * option (naming the closest known one), a missing value, or a context value without `=`.
 * Shared by the `cdk-compose` command and by an app run directly (`ts-node app.ts synth`).
 */
export function parseCommandLine<V extends string, F extends string>(argv: readonly string[], table: OptionTable<V, F>): CommandLine<V, F> {
  let command: string | undefined;
  const names: string[] = [];
  const values: Partial<Record<V, string>> = {};
  const context: Record<string, string> = {};
  const flags = Object.fromEntries(Object.values<F>(table.flags).map((f) => [f, false])) as Record<F, boolean>;

  for (let i = 0; i < argv.length; i++) {
    const [arg, inline] = argv[i].startsWith('--') && argv[i].includes('=') ? splitOnce(argv[i], '=') : [argv[i], undefined];
    if (arg in table.flags) {
      if (inline !== undefined) throw new UsageError(`${arg} takes no value, got "${argv[i]}"`);
      flags[table.flags[arg]] = true;
    } else if (arg in table.values) {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new UsageError(`${arg} needs a value`);
      const field = table.values[arg];
      if (field === 'context') {
        const [key, contextValue] = splitOnce(value, '=');
        if (!key || contextValue === undefined) throw new UsageError(`${arg} needs key=value, got "${value}"`);
        context[key] = contextValue;
      } else {
        values[field] = value;
      }
    } else if (arg.startsWith('-') && arg !== '-') {
      // A one-letter option is one edit away from every other: only long ones are guessed.
      const long = [...Object.keys(table.flags), ...Object.keys(table.values)].filter((o) => o.startsWith('--'));
      throw new UsageError(`unknown option ${arg}${arg.startsWith('--') ? didYouMean(arg, long) : ''}`);
    } else if (command === undefined) {
      command = arg;
    } else {
      names.push(arg);
    }
  }
  return { command, names, values: values as CommandLine<V, F>['values'], context, flags };
}

/** `; did you mean "synth"?` when `name` looks like a misspelling of one of `candidates`, else ''. */
export function didYouMean(name: string, candidates: readonly string[], quote = false): string {
  const closest = closestName(name, candidates);
  if (closest === undefined) return '';
  return `; did you mean ${quote ? JSON.stringify(closest) : closest}?`;
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}
