import { Annotation, Annotations as ConstructAnnotations } from '../core/annotations';
import { Stack } from '../core/stack';
import { SynthError } from '../core/synth-error';
import { synthesize } from '../synth/synthesize';
import { Matcher, formatValue, matchValue } from './match';

/**
 * Where a message is attached: a construct path (`'shop/api'`, or `'api'` relative to the
 * stack), `'*'` for anywhere in the stack, or a matcher of the full path
 * (`Match.stringLikeRegexp('^shop/db')`).
 */
export type ConstructPathPattern = string | Matcher;

type Level = Annotation['level'];

/**
 * Assertions on the errors, warnings and notes that synth reports for one stack.
 *
 * Unlike `Template.fromStack`, this does not throw when the app has errors: the errors of the
 * `SynthError` are what `hasError` and `findErrors` look at. (When synth fails, the warnings
 * a renderer would have added are not known; those attached to constructs are.)
 *
 * Messages are matched like any pattern: a string must equal the whole message; use a
 * `RegExp` or `Match.stringLikeRegexp` for a part of it.
 */
export class Annotations {
  /** Synthesizes the app `stack` belongs to, in memory, and keeps what it reported about `stack`. */
  public static fromStack(stack: Stack): Annotations {
    const root = stack.node.root;
    let messages: readonly Annotation[];
    let failed = false;
    try {
      messages = synthesize(root, { sourceDir: '../..' }).messages;
    } catch (error) {
      if (!(error instanceof SynthError)) throw error;
      failed = true;
      const attached = ConstructAnnotations.collect(root).filter((m) => m.level !== 'error');
      messages = [...error.errors, ...attached];
    }
    const own = messages.filter((m) => m.path === stack.node.path || m.path.startsWith(`${stack.node.path}/`));
    return new Annotations(stack.node.path, own, failed);
  }

  private constructor(
    private readonly stackPath: string,
    private readonly messages: readonly Annotation[],
    private readonly synthFailed: boolean,
  ) {}

  /** Asserts that a warning matching `message` is attached at `path`. */
  public hasWarning(path: ConstructPathPattern, message: unknown): void {
    this.assertSome('warning', path, message);
  }

  /** Asserts that no warning matching `message` is attached at `path`. */
  public hasNoWarning(path: ConstructPathPattern, message: unknown): void {
    this.assertNone('warning', path, message);
  }

  /** The warnings matching `message` attached at `path`. */
  public findWarnings(path: ConstructPathPattern, message: unknown): Annotation[] {
    return this.find('warning', path, message);
  }

  /** Asserts that an error matching `message` is attached at `path`; synth then fails. */
  public hasError(path: ConstructPathPattern, message: unknown): void {
    this.assertSome('error', path, message);
  }

  /** Asserts that no error matching `message` is attached at `path`. */
  public hasNoError(path: ConstructPathPattern, message: unknown): void {
    this.assertNone('error', path, message);
  }

  /** The errors matching `message` attached at `path`. */
  public findErrors(path: ConstructPathPattern, message: unknown): Annotation[] {
    return this.find('error', path, message);
  }

  /** Asserts that a note (`info`) matching `message` is attached at `path`. */
  public hasInfo(path: ConstructPathPattern, message: unknown): void {
    this.assertSome('info', path, message);
  }

  /** The notes (`info`) matching `message` attached at `path`. */
  public findInfos(path: ConstructPathPattern, message: unknown): Annotation[] {
    return this.find('info', path, message);
  }

  private find(level: Level, path: ConstructPathPattern, message: unknown): Annotation[] {
    return this.messages.filter((m) => m.level === level && this.isAt(m, path) && !matchValue(message, m.message, true).hasFailed());
  }

  private assertSome(level: Level, path: ConstructPathPattern, message: unknown): void {
    if (this.find(level, path, message).length > 0) return;
    const at = this.messages.filter((m) => m.level === level && this.isAt(m, path));
    const others = this.messages.filter((m) => m.level === level && !this.isAt(m, path));
    const lines = [
      `no ${word(level)} matching ${formatValue(message)} at ${describePath(path)}` +
        (at.length > 0 ? `; the ${plural(level, at.length)} there:` : `; there is no ${word(level)} there`),
      ...at.map((m) => `  [${m.path}] ${m.message}`),
      ...(others.length > 0 ? [`${capitalize(plural(level, others.length))} elsewhere in ${this.stackPath}:`] : []),
      ...others.map((m) => `  [${m.path}] ${m.message}`),
    ];
    if (level === 'error' && !this.synthFailed) lines.push(`(synth of ${this.stackPath} succeeds: it has no errors)`);
    throw new Error(lines.join('\n'));
  }

  private assertNone(level: Level, path: ConstructPathPattern, message: unknown): void {
    const found = this.find(level, path, message);
    if (found.length === 0) return;
    throw new Error(
      [`expected no ${word(level)} matching ${formatValue(message)} at ${describePath(path)}, found ${found.length}:`, ...found.map((m) => `  [${m.path}] ${m.message}`)].join('\n'),
    );
  }

  private isAt(annotation: Annotation, path: ConstructPathPattern): boolean {
    if (typeof path !== 'string') return !path.test(annotation.path).hasFailed();
    if (path === '*') return true;
    const wanted = path.replace(/^\/+|\/+$/g, '');
    return annotation.path === wanted || annotation.path === `${this.stackPath}/${wanted}`;
  }
}

function describePath(path: ConstructPathPattern): string {
  return typeof path === 'string' ? (path === '*' ? 'any path' : path) : `a path matching ${path}`;
}

/** What the docs and the summary call each level: an `info` is a note. */
function word(level: Level): string {
  return level === 'info' ? 'note' : level;
}

function plural(level: Level, n: number): string {
  return `${n} ${word(level)}${n === 1 ? '' : 's'}`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
