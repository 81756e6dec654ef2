import { Arguments, parseArguments } from './args';
import { diffCommand, DIFF_HELP } from './commands/diff';
import { initCommand, INIT_HELP } from './commands/init';
import { listCommand, LIST_HELP } from './commands/list';
import { synthCommand, SYNTH_HELP } from './commands/synth';
import { validateCommand, VALIDATE_HELP } from './commands/validate';
import { didYouMean } from '../core/command-line';
import { claimCommandLine } from '../core/direct-run';
import { UsageError } from './config';

const COMMANDS: Record<string, { run: (args: Arguments, cwd: string) => number; help: string }> = {
  init: { run: initCommand, help: INIT_HELP },
  synth: { run: synthCommand, help: SYNTH_HELP },
  list: { run: listCommand, help: LIST_HELP },
  diff: { run: diffCommand, help: DIFF_HELP },
  validate: { run: validateCommand, help: VALIDATE_HELP },
  import: { run: (a, c) => require('./commands/import').importCommand(a, c), get help(): string { return require('./commands/import').IMPORT_HELP; } },
};

const USAGE = `Usage: cdk-compose <command> [options]

Commands:
  init [name]           Write a new project into an empty folder (app.ts, a test, package.json...)
  synth [stack...]      Run the app and write its stacks to the output folder
  list                  Print the names of the app's stacks
  diff [stack...]       Show how the output folder differs from what synth writes (--fail for CI)
  validate [stack...]   Check the synthesized output with the real tools installed here
  import <file...>      Write an app.ts from docker-compose files (-o app.ts), reporting what differs

Run \`cdk-compose <command> --help\` for a command's options. The app and the output folder come
from cdk-compose.json ({"app": "npx ts-node app.ts", "output": "cdk.out", "context": {}, "strict": false,
"charts": true})
unless given as options.

Exit codes: 0 success, 1 the app failed, has errors, or the output drifted (diff --fail), 2 wrong usage.`;

/** Runs the command line and returns the exit code. */
export function main(argv: readonly string[], cwd = process.cwd()): number {
  // An App built in this process (import builds one) must not read the command's arguments.
  claimCommandLine();
  try {
    const args = parseArguments(argv);
    if (args.command === undefined) {
      (args.help ? process.stdout : process.stderr).write(USAGE + '\n');
      return args.help ? 0 : 2;
    }
    const command = COMMANDS[args.command];
    if (!command) throw new UsageError(`unknown command "${args.command}"${didYouMean(args.command, Object.keys(COMMANDS), true)}`);
    if (args.help) {
      process.stdout.write(command.help + '\n');
      return 0;
    }
    return command.run(args, cwd);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`cdk-compose: ${error.message}\n\nRun \`cdk-compose --help\` for usage.\n`);
      return 2;
    }
    throw error;
  }
}
