import { deployOrderNotes, readManifest } from '../../synth/manifest';
import { Arguments } from '../args';
import { resolveSettings, runApp } from '../run-app';
import { withTempDir } from '../temp-output';

export const LIST_HELP = `Usage: cdk-compose list [options]

Runs the app (writing nothing to the output folder) and prints the name of each stack, one per line,
in the order to deploy them: a stack whose workloads wait for another stack's comes after it
(on stderr, a line says which stack is deployed after which).

Options:
  -a, --app <command>     Shell command that runs the app (default: "app" in cdk-compose.json)
  -c, --context <k=v>     Context value for the app (repeatable)`;

export function listCommand(args: Arguments, cwd: string): number {
  const settings = resolveSettings(args, cwd);
  return withTempDir((outdir) => {
    if (!runApp({ ...settings, strict: false }, { outdir, quiet: true })) return 1;
    const manifest = readManifest(outdir);
    if (!manifest) {
      process.stderr.write('cdk-compose: the app wrote no manifest; does it call app.synth()?\n');
      return 1;
    }
    for (const stack of manifest.stacks) process.stdout.write(`${stack.name}\n`);
    process.stderr.write(deployOrderNotes(manifest.stacks));
    return 0;
  });
}
