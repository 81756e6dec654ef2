import * as fs from 'fs';
import * as path from 'path';
import { stackNameProblem } from '../../core/names';
import { Arguments } from '../args';
import { UsageError } from '../config';
import { DEV_PACKAGES, templateFiles } from '../init/template';

export const INIT_HELP = `Usage: cdk-compose init [name] [options]

Writes a new project into the current folder, which must be empty: package.json, tsconfig.json,
cdk-compose.json, app.ts (one stack named <name>, by default the folder's name), app.test.ts
(jest, with the testing kit) and .gitignore. Then run npm install; npm test and
npx cdk-compose synth pass as they are.

Options:
      --cdk-compose-version <range>   What package.json asks for as cdk-compose (default: ^<this version>)`;

/** Files a folder may hold and still count as empty: what \`git init\` and editors leave. */
const IGNORED = new Set(['.git', '.DS_Store', '.idea', '.vscode']);

export function initCommand(args: Arguments, cwd: string): number {
  if (args.names.length > 1) throw new UsageError(`init takes one name, got ${args.names.join(' ')}`);
  const name = args.names[0] ?? stackNameOf(path.basename(cwd));
  const problem = stackNameProblem(name);
  if (problem) {
    throw new UsageError(
      `${problem}; ${args.names[0] ? 'give another name' : `the folder's name does not make a stack name: give one, as in \`cdk-compose init my-app\``}`,
    );
  }
  const present = fs.readdirSync(cwd).filter((f) => !IGNORED.has(f)).sort();
  if (present.length > 0) {
    process.stderr.write(
      `cdk-compose: init writes a new project into an empty folder; ${cwd} holds ${present.slice(0, 3).join(', ')}${present.length > 3 ? ` and ${present.length - 3} more` : ''}. ` +
        'Run it in a new folder (mkdir my-app && cd my-app).\n',
    );
    return 1;
  }

  const own = ownPackageJson();
  const files = templateFiles(name, {
    cdkCompose: args.cdkComposeVersion ?? `^${own.version}`,
    packages: Object.fromEntries(['constructs', ...DEV_PACKAGES].map((p) => [p, own.devDependencies[p]])),
  });
  for (const [file, content] of Object.entries(files)) fs.writeFileSync(path.join(cwd, file), content);

  process.stderr.write(
    [
      `Wrote a cdk-compose project with one stack, ${name}: ${Object.keys(files).join(', ')}.`,
      'Next:',
      '  npm install',
      '  npm test                  # the tests in app.test.ts; the first run writes __snapshots__/, commit it',
      `  npx cdk-compose synth     # writes cdk.out/${name}/compose.yaml and cdk.out/${name}/k8s/`,
      '',
    ].join('\n'),
  );
  return 0;
}

/** `My Shop` -> `my-shop`: the folder's name, as a stack name if it can be one. */
function stackNameOf(folder: string): string {
  return folder
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^[-_]+|[-_]+$/g, '');
}

interface PackageJson {
  readonly version: string;
  readonly devDependencies: Record<string, string>;
}

/** This package's package.json, from the source checkout (lib/cli/commands) or the compiled package (dist/lib/cli/commands). */
function ownPackageJson(): PackageJson {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
      if (parsed.name === 'cdk-compose') return parsed;
    }
  }
  throw new Error(`cdk-compose: no package.json of cdk-compose above ${__dirname}`);
}
