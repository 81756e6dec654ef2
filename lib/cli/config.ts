import * as fs from 'fs';
import * as path from 'path';
import { UsageError, didYouMean } from '../core/command-line';

export { UsageError };

/** The name of the file that tells the command how to run the app. */
export const CONFIG_FILE = 'cdk-compose.json';

/** `cdk-compose.json`: how to run the app and where its output goes. */
export interface CliConfig {
  /** Shell command that runs the app, e.g. `npx ts-node app.ts`. */
  readonly app?: string;
  /** Output folder, relative to the config file. */
  readonly output?: string;
  /** Context values passed to the app. */
  readonly context?: Record<string, unknown>;
  /** Treat warnings as errors. */
  readonly strict?: boolean;
  /** Write each stack's Helm chart (false: as `--no-charts`). */
  readonly charts?: boolean;
}

const KEYS: Record<keyof CliConfig, string> = {
  app: 'string',
  output: 'string',
  context: 'object',
  strict: 'boolean',
  charts: 'boolean',
};

/** Reads `cdk-compose.json` in `dir`; undefined when there is none. Throws a UsageError on a malformed file. */
export function readConfig(dir: string): CliConfig | undefined {
  const file = path.join(dir, CONFIG_FILE);
  if (!fs.existsSync(file)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new UsageError(`${file} must hold an object such as {"app": "npx ts-node app.ts", "output": "cdk.out"}`);
  }
  const config = parsed as Record<string, unknown>;
  for (const [key, value] of Object.entries(config)) {
    const expected = KEYS[key as keyof CliConfig];
    if (!expected) {
      throw new UsageError(`${file}: unknown key "${key}"${didYouMean(key, Object.keys(KEYS), true)}; the keys are ${Object.keys(KEYS).join(', ')}`);
    }
    const actual = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
    if (actual !== expected) {
      throw new UsageError(`${file}: "${key}" must be a ${expected}, got ${JSON.stringify(value)}`);
    }
  }
  return config as CliConfig;
}
