import { IConstruct } from 'constructs';

const ERROR = 'cdk-compose:error';
const WARNING = 'cdk-compose:warning';
const INFO = 'cdk-compose:info';

/** A message attached to one construct. */
export interface Annotation {
  readonly level: 'error' | 'warning' | 'info';
  readonly path: string;
  readonly message: string;
}

/**
 * Attaches errors and warnings to a construct.
 *
 * Errors are collected rather than thrown so that synth can report every problem of the
 * app at once; synth fails if any construct carries an error.
 */
export class Annotations {
  public static of(scope: IConstruct): Annotations {
    return new Annotations(scope);
  }

  /** Every annotation of `scope` and its children, in tree order. */
  public static collect(scope: IConstruct): Annotation[] {
    const found: Annotation[] = [];
    for (const construct of scope.node.findAll()) {
      for (const entry of construct.node.metadata) {
        const level = LEVELS[entry.type];
        if (level) {
          found.push({ level, path: construct.node.path, message: String(entry.data) });
        }
      }
    }
    return found;
  }

  private constructor(private readonly scope: IConstruct) {}

  public addError(message: string): void {
    this.add(ERROR, message);
  }

  public addWarning(message: string): void {
    this.add(WARNING, message);
  }

  public addInfo(message: string): void {
    this.add(INFO, message);
  }

  private add(type: string, message: string): void {
    const already = this.scope.node.metadata.some((entry) => entry.type === type && entry.data === message);
    if (!already) {
      this.scope.node.addMetadata(type, message, { stackTrace: false });
    }
  }
}

const LEVELS: Record<string, Annotation['level'] | undefined> = {
  [ERROR]: 'error',
  [WARNING]: 'warning',
  [INFO]: 'info',
};
