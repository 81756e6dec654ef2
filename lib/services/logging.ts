import { knownProps, unknownPropProblems } from '../core/known-props';
import { Size } from '../core/size';
import { LoggingModel } from '../model';

const LOGGING_SYMBOL = Symbol.for('cdk-compose.Logging');

/**
 * Options for `Logging.jsonFile`.
 */
export interface JsonFileLoggingOptions {
  /**
   * Size at which the log file is rotated.
   *
   * @default - never rotated
   */
  readonly maxSize?: Size;

  /**
   * Number of rotated files kept.
   *
   * @default 1
   */
  readonly maxFiles?: number;
}

const JSON_FILE_OPTIONS = knownProps<JsonFileLoggingOptions>('JsonFileLoggingOptions', ['maxSize', 'maxFiles']);

/**
 * Where the container engine sends a container's output (Compose `logging`).
 *
 * On Kubernetes the cluster's log pipeline decides; synth notes that the options are left out.
 */
export class Logging {
  /** Docker's default driver with rotation, e.g. 100 MB and 3 files. */
  public static jsonFile(options: JsonFileLoggingOptions = {}): Logging {
    const driverOptions: Record<string, string> = {};
    if (options.maxSize) driverOptions['max-size'] = `${options.maxSize.bytes / (1024 * 1024)}m`;
    if (options.maxFiles !== undefined) driverOptions['max-file'] = String(options.maxFiles);
    return new Logging('json-file', driverOptions, unknownPropProblems('Logging.jsonFile', options, JSON_FILE_OPTIONS, 'option'));
  }

  /** Any logging driver with its options, as Docker names them. */
  public static driver(name: string, options: Record<string, string> = {}): Logging {
    return new Logging(name, options);
  }

  public static isLogging(x: unknown): x is Logging {
    return typeof x === 'object' && x !== null && LOGGING_SYMBOL in x;
  }

  private constructor(
    private readonly driverName: string,
    private readonly options: Record<string, string>,
    private readonly found: readonly string[] = [],
  ) {
    Object.defineProperty(this, LOGGING_SYMBOL, { value: true });
  }

  /** @internal What is wrong with the options given (a key `jsonFile` does not take), if anything. */
  public _problems(): readonly string[] {
    return this.found;
  }

  /** @internal */
  public _toModel(): LoggingModel {
    return {
      driver: this.driverName,
      options: Object.entries(this.options).map(([name, value]) => ({ name, value: String(value) })),
    };
  }
}
