import * as fs from 'fs';
import * as path from 'path';
import { Arguments } from '../args';
import { UsageError } from '../config';
import { ImportError, formatReport, importCompose } from '../../import';

export const IMPORT_HELP = `Usage: cdk-compose import <compose file...> [--out app.ts]

Reads one or more Compose files (later files override earlier ones, as Compose merges them),
resolves \`extends\`, and writes an idiomatic app.ts: official images become typed constructs
(PostgresService, RedisService, MongoService, RabbitMqService, OpenSearchService, StaticSite),
\`restart: "no"\` services become MigrationJobs, depends_on becomes \`after\`, everything else a
ContainerService (or Worker when it has no ports). \${VAR} in environment values stays a variable
(Secret.fromEnv). The report (stderr) lists every key without a construct (kept in app.ts as node
metadata) and every difference between the input and what the app synthesizes.

Options:
  -o, --out <file>      where to write the app (also --output) (default: app.ts); "-" prints it on stdout
  -q, --quiet           print nothing but errors

Exit codes: 0 written, 1 bad input (the message names the file and the key), 2 wrong usage.
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
      const counts = ['unmapped', 'difference', 'note'].map((k) => `${result.findings.filter((f) => f.kind === k).length} ${k}`);
      process.stderr.write(`${output === '-' ? 'printed' : `wrote ${output}`} (stack ${result.stackName}): ${counts.join(', ')}\n`);
      if (result.findings.length > 0) process.stderr.write(formatReport(result.findings) + '\n');
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
