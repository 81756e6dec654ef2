import * as fs from 'fs';
import * as path from 'path';
import { Arguments } from '../args';
import { UsageError } from '../config';
import { ImportError, ImportResult, formatReport, importCompose } from '../../import';

export const IMPORT_HELP = `Usage: cdk-compose import <compose file...> [--out app.ts]

Reads one or more Compose files (later files override earlier ones, as Compose merges them),
resolves \`extends\`, and writes an idiomatic app.ts. The stack is named as docker compose names
the project, and volumes keep their names, so \`up\` on the output finds the input's data.
Official images become typed constructs where those keep everything the input says
(PostgresService, RedisService, MongoService, RabbitMqService); services others wait for to
complete become MigrationJobs; everything else a ContainerService (or Worker without ports).
\${VAR} becomes a Parameter (Secret.fromEnv for a secret). The report (stderr) lists every key
without a construct (kept in app.ts as node metadata), every difference between the input and
what the app synthesizes, and every choice made; a summary says what became what.

Options:
  -o, --out <file>      where to write the app (also --output) (default: app.ts); "-" prints it on stdout
  -q, --quiet           print nothing but errors

Exit codes: 0 written, 1 bad input (the message names the file, line, column and key), 2 wrong usage.
See docs/import.md.`;

export function importCommand(args: Arguments, cwd: string): number {
  if (args.names.length === 0) throw new UsageError('import needs at least one Compose file');
  const output = args.output ?? 'app.ts';
  try {
    const result = importCompose(args.names, { cwd, outFile: output === '-' ? 'app.ts' : output });
    if (output === '-') process.stdout.write(result.source);
    else {
      fs.mkdirSync(path.dirname(path.resolve(cwd, output)), { recursive: true });
      fs.writeFileSync(path.resolve(cwd, output), result.source);
    }
    if (!args.quiet) {
      if (result.findings.length > 0) process.stderr.write(formatReport(result.findings) + '\n\n');
      process.stderr.write(formatSummary(result, output === '-' ? undefined : output) + '\n');
    }
    return 0;
  } catch (error) {
    if (error instanceof ImportError) {
      process.stderr.write(`cdk-compose import: ${error.message}\n`);
      return 1;
    }
    if (error instanceof Error && error.name === 'SynthError') {
      process.stderr.write(`cdk-compose import: the imported app does not synthesize:\n${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

/** The summary import ends with: what was written, what became what, and what to read. */
function formatSummary(result: ImportResult, written: string | undefined): string {
  const { summary, findings } = result;
  const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
  const lines = [`${written ? `wrote ${written}` : 'printed the app'}: stack ${result.stackName}, ${count(summary.services, 'service')}, ${count(summary.volumes, 'volume')}`];
  for (const [construct, names] of Object.entries(summary.constructs).sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`  ${construct.padEnd(16)} ${names.join(', ')}`);
  }
  if (summary.parameters.length > 0) lines.push(`  ${'Parameter'.padEnd(16)} ${summary.parameters.join(', ')}`);
  const kinds = [
    count(findings.filter((f) => f.kind === 'unmapped').length, 'unmapped key'),
    count(findings.filter((f) => f.kind === 'difference').length, 'difference'),
    count(findings.filter((f) => f.kind === 'note').length, 'note'),
  ];
  lines.push(`report: ${kinds.join(', ')} (above); the Compose project keeps the name ${result.stackName}, so its volumes are found again.`);
  lines.push(`next: npx cdk-compose synth, then copy the values of your .env into cdk.out/${result.stackName}/.env (and k8s/.env) before docker compose up.`);
  return lines.join('\n');
}
