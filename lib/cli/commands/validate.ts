import * as path from 'path';
import { readManifest } from '../../synth/manifest';
import { missingEnvValues } from '../../validate/dot-env';
import { Arguments } from '../args';
import { resolveSettings, runApp } from '../run-app';
import type { CheckResult } from '../../validate/real-tools';
import { Styler, styler } from '../style';
import { withTempDir } from '../temp-output';

export const VALIDATE_HELP = `Usage: cdk-compose validate [stack...] [options]

Synthesizes the app (writing nothing to the output folder) and checks each stack with the real
tools installed on this machine: the Compose Specification schema (npm: ajv), docker-compose
config (Compose v1), docker compose config (Compose v2), the Kubernetes object schemas (npm:
kubernetes-models) and kubectl kustomize, helm lint --strict and helm template of the chart
(its output through the same schemas), and the connections check (every host and port a
container reaches resolves, on both targets). Checks whose tool is missing are skipped, and the
output says which and how to install it. Last, it checks that the .env and k8s/.env in the
output folder set every secret the stack needs.

Options:
  -a, --app <command>     Shell command that runs the app (default: "app" in cdk-compose.json)
  -c, --context <k=v>     Context value for the app (repeatable)
      --no-charts         Synthesize and check without Helm charts
      --strict            Fail when a check is skipped, and on warnings`;

// Padded before colouring, so that the check names and the problems under them line up.
const MARKS: Record<CheckResult['status'], (style: Styler) => string> = {
  passed: (style) => style.green('passed '),
  failed: (style) => style.red('FAILED '),
  skipped: (style) => style.yellow('skipped'),
};
const PROBLEM_INDENT = ' '.repeat('  skipped  '.length);

export function validateCommand(args: Arguments, cwd: string): number {
  const settings = resolveSettings(args, cwd);
  // Loaded here so that the other commands never need the validators' packages.
  const { validateStackOutput } = require('../../validate/real-tools') as typeof import('../../validate/real-tools');
  const style = styler(process.stdout);
  return withTempDir((outdir) => {
    if (!runApp(settings, { outdir, stacks: args.names.length > 0 ? args.names : undefined, quiet: true })) return 1;
    const stacks = (readManifest(outdir)?.stacks ?? []).map((s) => s.name).filter((n) => args.names.length === 0 || args.names.includes(n));
    let failed = 0;
    let skipped = 0;
    for (const stack of stacks) {
      process.stdout.write(`${style.bold(stack)}\n`);
      const envProblems = missingEnvValues(path.join(settings.output, stack), path.join(outdir, stack));
      const results = [
        ...validateStackOutput(path.join(outdir, stack)),
        { check: `secrets and required values in ${path.join(settings.output, stack)}`, status: envProblems.length > 0 ? ('failed' as const) : ('passed' as const), problems: envProblems },
      ];
      for (const result of results) {
        process.stdout.write(`  ${MARKS[result.status](style)}  ${result.check}\n`);
        for (const problem of result.problems) process.stdout.write(`${PROBLEM_INDENT}${problem.replace(/\n/g, `\n${PROBLEM_INDENT}`)}\n`);
        if (result.status === 'failed') failed++;
        if (result.status === 'skipped') skipped++;
      }
    }
    process.stdout.write(`${failed} failed, ${skipped} skipped\n`);
    return failed > 0 || (settings.strict && skipped > 0) ? 1 : 0;
  });
}
