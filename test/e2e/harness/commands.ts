import { spawnSync, SpawnSyncOptions } from 'child_process';

/** What a finished command left behind. */
export interface CommandResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly input?: string | Buffer;
  /** Milliseconds before the command is killed. @default 10 minutes */
  readonly timeoutMs?: number;
}

/** Runs a command to its end and returns its exit status and output, whatever the status. */
export function attempt(command: string, args: readonly string[], options: RunOptions = {}): CommandResult {
  const spawnOptions: SpawnSyncOptions = {
    cwd: options.cwd,
    env: options.env ?? process.env,
    input: options.input,
    timeout: options.timeoutMs ?? 600_000,
    maxBuffer: 256 * 1024 * 1024,
    encoding: 'utf8',
  };
  const result = spawnSync(command, [...args], spawnOptions);
  if (result.error) {
    return { status: 127, stdout: '', stderr: `${command}: ${result.error.message}` };
  }
  return {
    status: result.status ?? 128,
    stdout: String(result.stdout ?? ''),
    stderr: String(result.stderr ?? '') + (result.signal ? `\n${command} was killed by ${result.signal}` : ''),
  };
}

/** Runs a command and returns its standard output; a non-zero exit throws with its error output. */
export function run(command: string, args: readonly string[], options: RunOptions = {}): string {
  const result = attempt(command, args, options);
  if (result.status !== 0) {
    throw new Error(`\`${[command, ...args].join(' ')}\` exited with ${result.status}:\n${tail(result.stderr || result.stdout)}`);
  }
  return result.stdout;
}

/** Whether a command is on the PATH. */
export function hasCommand(command: string): boolean {
  return attempt('sh', ['-c', `command -v ${command}`]).status === 0;
}

/** The last lines of a long output, enough to see why something failed. */
export function tail(text: string, lines = 30): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}
