import { spawnSync } from 'child_process';
import { OUTDIR_ENV } from '../core/app';
import { CONFIG_FILE, UsageError, readConfig } from './config';

const USAGE = `Usage: cdk-compose <command> [options]

Commands:
  synth     Run the app and write every stack to the output folder

Options:
  --app <command>     Shell command that runs the app (default: "app" in ${CONFIG_FILE})
  --output <dir>      Output folder (default: "output" in ${CONFIG_FILE}, else cdk.out)
  -h, --help          Show this help

Exit codes: 0 success, 1 the app failed or has errors, 2 wrong usage.`;

interface Options {
  readonly command?: string;
  readonly app?: string;
  readonly output?: string;
  readonly help: boolean;
}

/** Runs the command line and returns the exit code. */
export function main(argv: readonly string[], cwd = process.cwd()): number {
  try {
    const options = parseArguments(argv);
    if (options.help || options.command === undefined) {
      process.stdout.write(USAGE + '\n');
      return options.help ? 0 : 2;
    }
    if (options.command !== 'synth') {
      throw new UsageError(`unknown command "${options.command}"`);
    }
    return synth(options, cwd);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`cdk-compose: ${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    throw error;
  }
}

function synth(options: Options, cwd: string): number {
  const config = readConfig(cwd);
  const app = options.app ?? config?.app;
  if (!app) {
    throw new UsageError(`no app to run: pass --app "npx ts-node app.ts" or create ${CONFIG_FILE} with {"app": "npx ts-node app.ts"}`);
  }
  const output = options.output ?? config?.output ?? 'cdk.out';
  const result = spawnSync(app, {
    cwd,
    shell: true,
    stdio: 'inherit',
    env: { ...process.env, [OUTDIR_ENV]: output },
  });
  if (result.error) {
    process.stderr.write(`cdk-compose: could not run "${app}": ${result.error.message}\n`);
    return 1;
  }
  if (result.status !== 0) {
    process.stderr.write(`cdk-compose: the app "${app}" failed (exit code ${result.status ?? result.signal}); nothing new was written\n`);
    return 1;
  }
  return 0;
}

function parseArguments(argv: readonly string[]): Options {
  let command: string | undefined;
  let app: string | undefined;
  let output: string | undefined;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new UsageError(`${arg} needs a value`);
      return next;
    };
    if (arg === '-h' || arg === '--help') help = true;
    else if (arg === '--app') app = value();
    else if (arg === '--output' || arg === '-o') output = value();
    else if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}`);
    else if (command === undefined) command = arg;
    else throw new UsageError(`unexpected argument "${arg}"`);
  }
  return { command, app, output, help };
}
