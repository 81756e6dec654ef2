import * as fs from 'fs';
import * as path from 'path';
import { IConstruct } from 'constructs';
import { Parameter } from '../core/parameter';
import { sourceDirOf } from '../core/source-dir';

const ENV_FILE_SYMBOL = Symbol.for('cdk-compose.EnvFile');
const CONFIG_FILE_SYMBOL = Symbol.for('cdk-compose.ConfigFile');

/**
 * A file of plain (non-secret) `NAME=value` lines for a container's environment.
 *
 * Compose: `env_file`. Kubernetes: a ConfigMap with the same variables, read at synth time.
 * Secrets do not belong here: a sensitive-looking name in the file fails synth.
 */
export class EnvFile {
  /** A file of the app, relative to the app's folder. */
  public static fromFile(filePath: string): EnvFile {
    return new EnvFile(filePath);
  }

  /**
   * One of several files, chosen at deploy time by a parameter's value: Compose's
   * `env_file: env/${ENVIRONMENT}/web.env`.
   *
   * Every choice is read at synth and copied into the output. Compose picks the file through
   * `${NAME:-default}` in its path; Kubernetes gets a ConfigMap per choice, and a kustomize
   * replacement points the pods at the one `k8s/parameters.env` names (the chart: at the one
   * `parameters.NAME` names). The parameter needs a default, one of the choices; each choice is
   * a lowercase word (letters, digits, `-`), since it becomes part of file and object names.
   *
   * @example EnvFile.chosenBy(environment, { dev: EnvFile.fromFile('env/dev/web.env'), prod: EnvFile.fromFile('env/prod/web.env') })
   */
  public static chosenBy(parameter: Parameter, choices: Readonly<Record<string, EnvFile>>): EnvFile {
    const name = Parameter.isParameter(parameter) ? parameter.parameterName : String(parameter);
    return new EnvFile(`the env file ${name} chooses`, { parameter, choices });
  }

  public static isEnvFile(x: unknown): x is EnvFile {
    return typeof x === 'object' && x !== null && ENV_FILE_SYMBOL in x;
  }

  /**
   * @param path the file, relative to the app's folder; for a choice, a description of it
   * @param choice the parameter and the files it chooses from, for `chosenBy`
   */
  private constructor(
    public readonly path: string,
    private readonly choice?: { readonly parameter: Parameter; readonly choices: Readonly<Record<string, EnvFile>> },
  ) {
    Object.defineProperty(this, ENV_FILE_SYMBOL, { value: true });
  }

  /** @internal The parameter and the files it chooses from, when this is a choice. */
  public get _choice(): { readonly parameter: Parameter; readonly choices: Readonly<Record<string, EnvFile>> } | undefined {
    return this.choice;
  }

  /** @internal The file's variables, or a message saying why it cannot be read. */
  public _read(scope: IConstruct): { entries: { name: string; value: string }[] } | string {
    const file = path.resolve(sourceDirOf(scope), this.path);
    if (!fs.existsSync(file)) {
      return `env file ${this.path} does not exist (looked for ${file}); create it or fix the path`;
    }
    return { entries: parseEnvFile(fs.readFileSync(file, 'utf8')) };
  }
}

/** `NAME=value` lines; `#` comments and blank lines skipped; one pair of surrounding quotes removed. */
export function parseEnvFile(text: string): { name: string; value: string }[] {
  const entries: { name: string; value: string }[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const at = line.indexOf('=');
    const name = (at < 0 ? line : line.slice(0, at)).replace(/^export\s+/, '').trim();
    let value = at < 0 ? '' : line.slice(at + 1).trim();
    if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value[value.length - 1] === value[0]) {
      value = value.slice(1, -1);
    }
    entries.push({ name, value });
  }
  return entries;
}

/**
 * A file whose content is known at synth time, mounted read-only into a container: an nginx
 * configuration, a database init script.
 *
 * Compose: the file is written under `config/` next to the Compose file and bind-mounted
 * read-only, with its mode on disk (not a `configs` entry: docker-compose 1.x ignores those
 * outside a swarm). Kubernetes: a ConfigMap.
 */
export class ConfigFile {
  /** A file of the app, relative to the app's folder; read at synth time. */
  public static fromFile(filePath: string): ConfigFile {
    return new ConfigFile(path.basename(filePath), { file: filePath });
  }

  /** Content given in the source. */
  public static fromString(fileName: string, content: string): ConfigFile {
    return new ConfigFile(fileName, { content });
  }

  public static isConfigFile(x: unknown): x is ConfigFile {
    return typeof x === 'object' && x !== null && CONFIG_FILE_SYMBOL in x;
  }

  private constructor(
    public readonly fileName: string,
    private readonly source: { file?: string; content?: string },
  ) {
    Object.defineProperty(this, CONFIG_FILE_SYMBOL, { value: true });
  }

  /** @internal The file's content, or a message saying why it cannot be read. */
  public _read(scope: IConstruct): { content: string } | string {
    if (this.source.content !== undefined) {
      return typeof this.source.content === 'string' ? { content: this.source.content } : 'config file content must be a string';
    }
    const file = path.resolve(sourceDirOf(scope), this.source.file as string);
    if (!fs.existsSync(file)) {
      return `config file ${this.source.file} does not exist (looked for ${file}); create it or fix the path`;
    }
    return { content: fs.readFileSync(file, 'utf8') };
  }
}
