import * as fs from 'fs';
import * as path from 'path';
import { readManifest } from '../../synth/manifest';
import { USER_OWNED_FILES } from '../../synth/writer';
import { Arguments } from '../args';
import { resolveSettings, runApp } from '../run-app';
import { styler } from '../style';
import { listFiles, withTempDir } from '../temp-output';
import { unifiedDiff } from '../text-diff';

export const DIFF_HELP = `Usage: cdk-compose diff [stack...] [options]

Compares what synth would write with what is in the output folder (or --against <dir>) and
shows the differences. With --fail it exits 1 when they differ: the CI guard against
hand-edited or stale output.

Options:
  -a, --app <command>     Shell command that runs the app (default: "app" in cdk-compose.json)
  -o, --output <dir>      Output folder to compare with (default: from cdk-compose.json, else cdk.out)
      --against <dir>     Compare with this folder instead of the output folder
  -c, --context <k=v>     Context value for the app (repeatable)
      --no-charts         Synthesize without Helm charts (as synth --no-charts)
      --fail              Exit 1 when there is any difference`;

export function diffCommand(args: Arguments, cwd: string): number {
  const settings = resolveSettings(args, cwd);
  const committed = args.against ? path.resolve(cwd, args.against) : settings.output;
  const style = styler(process.stdout);
  return withTempDir((fresh) => {
    // Relative paths in compose.yaml are relative to its folder: rendered as if into the folder
    // compared with, they are what synth would write there.
    if (!runApp(settings, { outdir: fresh, pathsFrom: committed, stacks: args.names.length > 0 ? args.names : undefined, quiet: true })) return 1;
    const stacks = (readManifest(fresh)?.stacks ?? []).map((s) => s.name).filter((n) => args.names.length === 0 || args.names.includes(n));
    let changed = 0;
    for (const stack of stacks) {
      const before = path.join(committed, stack);
      const after = path.join(fresh, stack);
      const files = [...new Set([...listFiles(before), ...listFiles(after)])].filter((f) => !USER_OWNED_FILES.includes(f)).sort();
      for (const file of files) {
        const oldText = readIfExists(path.join(before, file));
        const newText = readIfExists(path.join(after, file));
        if (oldText === newText) continue;
        changed++;
        const label = `${stack}/${file}`;
        const text = unifiedDiff(oldText ?? '', newText ?? '', oldText === undefined ? '/dev/null' : `a/${label}`, newText === undefined ? '/dev/null' : `b/${label}`);
        process.stdout.write(
          text
            .split('\n')
            .map((line) => (line.startsWith('+') && !line.startsWith('+++') ? style.green(line) : line.startsWith('-') && !line.startsWith('---') ? style.red(line) : line))
            .join('\n'),
        );
      }
    }
    const where = path.relative(cwd, committed) || '.';
    if (changed === 0) {
      process.stderr.write(`cdk-compose: ${where} is up to date (${stacks.length} stack${stacks.length === 1 ? '' : 's'})\n`);
      return 0;
    }
    process.stderr.write(`cdk-compose: ${changed === 1 ? '1 file' : `${changed} files`} in ${where} ${changed === 1 ? 'differs' : 'differ'} from what synth writes; run \`cdk-compose synth\`\n`);
    return args.fail ? 1 : 0;
  });
}

function readIfExists(file: string): string | undefined {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
}
