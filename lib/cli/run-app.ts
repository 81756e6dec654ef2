import { StdioOptions, spawnSync } from 'child_process';
import * as path from 'path';
import { APP_ENV } from '../core/app';
import { CHARTS_CONTEXT } from '../core/stack';
import { Arguments } from './args';
import { CONFIG_FILE, CliConfig, UsageError, readConfig } from './config';
import { prepareTypeScriptApp, typeScriptAppOf } from './typescript-app';

/** Everything needed to run the user's app: from the arguments, then cdk-compose.json, then defaults. */
export interface AppSettings {
  readonly app: string;
  readonly cwd: string;
  /** Output folder, absolute. */
  readonly output: string;
  readonly context: Record<string, unknown>;
  readonly strict: boolean;
}

export function resolveSettings(args: Arguments, cwd: string): AppSettings {
  const config: CliConfig = readConfig(cwd) ?? {};
  const app = args.app ?? config.app;
  if (!app) {
    throw new UsageError(`no app to run: pass --app "npx ts-node app.ts" or create ${CONFIG_FILE} with {"app": "npx ts-node app.ts"}`);
  }
  // Charts are turned off through the context value the stacks read, so that `ts-node app.ts synth
  // -c cdk-compose:charts=false` and `cdk-compose synth --no-charts` do the same.
  const charts = args.noCharts || config.charts === false ? { [CHARTS_CONTEXT]: false } : {};
  return {
    app,
    cwd,
    output: path.resolve(cwd, args.output ?? config.output ?? 'cdk.out'),
    context: { ...(config.context ?? {}), ...args.context, ...charts },
    strict: args.strict || config.strict === true,
  };
}

/** Options of one run of the app. */
export interface RunOptions {
  readonly outdir: string;
  readonly stacks?: readonly string[];
  readonly quiet: boolean;
  /**
   * The folder to compute relative paths (build contexts, bind mounts) from, when `outdir` is
   * only where the files land: diff renders as if into the folder it compares with.
   *
   * @default - outdir
   */
  readonly pathsFrom?: string;
}

/**
 * Runs the app as a child process with the options in its environment (see `APP_ENV`).
 * The app's own output goes to stderr, so that stdout holds only what the command prints.
 * Returns true when the app succeeded; its errors have then already been printed by it.
 *
 * An app command such as `app.ts` or `npx ts-node app.ts` is type-checked and compiled here,
 * then run with node (see typescript-app.ts); any other command runs in a shell as written.
 */
export function runApp(settings: AppSettings, options: RunOptions): boolean {
  const env = {
    ...process.env,
    [APP_ENV.OUTDIR]: options.outdir,
    [APP_ENV.STACKS]: options.stacks?.join(',') ?? '',
    [APP_ENV.STRICT]: settings.strict ? '1' : '',
    [APP_ENV.QUIET]: options.quiet ? '1' : '',
    [APP_ENV.CONTEXT]: JSON.stringify(settings.context),
    [APP_ENV.PATHS_FROM]: options.pathsFrom ?? '',
  };
  const stdio: StdioOptions = ['ignore', 2, 2];
  const typeScriptApp = typeScriptAppOf(settings.app, settings.cwd);
  const prepared = typeScriptApp ? prepareTypeScriptApp(typeScriptApp, settings.cwd) : ({ kind: 'command' } as const);
  if (prepared.kind === 'failed') return false;
  const result =
    prepared.kind === 'compiled' && typeScriptApp
      ? spawnSync(process.execPath, ['--enable-source-maps', '--require', prepared.hook, typeScriptApp.file, ...typeScriptApp.args], { cwd: settings.cwd, stdio, env })
      : spawnSync(settings.app, { cwd: settings.cwd, shell: true, stdio, env });
  if (result.error) {
    process.stderr.write(`cdk-compose: could not run "${settings.app}": ${result.error.message}\n`);
    return false;
  }
  if (result.status !== 0) {
    process.stderr.write(`cdk-compose: the app "${settings.app}" failed (exit code ${result.status ?? result.signal})\n`);
    return false;
  }
  return true;
}
