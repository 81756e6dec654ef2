import { knownProps, unknownPropProblems } from '../core/known-props';
import { envNameProblem } from '../core/names';

const SECRET_SYMBOL = Symbol.for('cdk-compose.Secret');

/**
 * Options for `Secret.fromEnv`.
 */
export interface SecretFromEnvOptions {
  /**
   * What the value is, written next to the variable in `.env.example`.
   *
   * @default - the construct that uses it describes it
   */
  readonly description?: string;
}

const FROM_ENV_OPTIONS = knownProps<SecretFromEnvOptions>('SecretFromEnvOptions', ['description']);

/**
 * A sensitive value that is supplied at deploy time and never written to an output file.
 *
 * On Compose it is read from the project's `.env` (`${NAME:?...}`); on Kubernetes from a
 * Secret that kustomize generates from the same kind of env file.
 */
export class Secret {
  /** The value comes from the environment variable `name` at deploy time. */
  public static fromEnv(name: string, options: SecretFromEnvOptions = {}): Secret {
    return new Secret(name, undefined, options.description, unknownPropProblems('Secret.fromEnv', options, FROM_ENV_OPTIONS, 'option'));
  }

  /**
   * The value is written into the output files as it is.
   *
   * Only for throw-away local stacks: synth warns wherever such a secret is used.
   */
  public static unsafePlainText(value: string): Secret {
    return new Secret(undefined, value, undefined);
  }

  public static isSecret(x: unknown): x is Secret {
    return typeof x === 'object' && x !== null && SECRET_SYMBOL in x;
  }

  private constructor(
    /** The variable that carries the value; undefined for a plain-text secret. */
    public readonly envName: string | undefined,
    /** The value itself, only for `unsafePlainText`. */
    public readonly plainTextValue: string | undefined,
    public readonly description: string | undefined,
    private readonly optionProblems: readonly string[] = [],
  ) {
    Object.defineProperty(this, SECRET_SYMBOL, { value: true });
  }

  /** @internal Why this secret cannot be used, or undefined. */
  public _problem(): string | undefined {
    if (this.envName !== undefined) {
      const nameProblem = envNameProblem(this.envName);
      return nameProblem ? `secret variable ${nameProblem}` : this.optionProblems.join('; ') || undefined;
    }
    return typeof this.plainTextValue === 'string' ? undefined : 'Secret.unsafePlainText needs a string value';
  }

  public toString(): string {
    return this.envName !== undefined ? `Secret.fromEnv('${this.envName}')` : 'Secret.unsafePlainText(…)';
  }
}
