import { Arguments } from '../args';
import { resolveSettings, runApp } from '../run-app';

export const SYNTH_HELP = `Usage: cdk-compose synth [stack...] [options]

Runs the app and writes each stack to <output>/<stack>/: compose.yaml, .env.example, k8s/ and
chart/ (a Helm chart of the same objects).
Every stack is validated; only the named stacks are written when names are given.

Options:
  -a, --app <command>     Shell command that runs the app (default: "app" in cdk-compose.json)
  -o, --output <dir>      Output folder (default: "output" in cdk-compose.json, else cdk.out)
  -c, --context <k=v>     Context value for the app (repeatable)
      --no-charts         Write no Helm chart (default: "charts" in cdk-compose.json, else true)
      --strict            Fail on warnings too
  -q, --quiet             Print nothing but errors (for pipelines)`;

export function synthCommand(args: Arguments, cwd: string): number {
  const settings = resolveSettings(args, cwd);
  const ok = runApp(settings, { outdir: settings.output, stacks: args.names.length > 0 ? args.names : undefined, quiet: args.quiet });
  return ok ? 0 : 1;
}
