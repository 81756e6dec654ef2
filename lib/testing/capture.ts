import { MatchResult, Matcher, checkPattern, formatValue, matchValue } from './match';

/**
 * A matcher that remembers the values it matched, to assert on them afterwards or to use
 * them in the next assertion (the digest-carrying name of a Job, a generated image tag).
 *
 * Values are kept only from assertions that pass. When an assertion matches several places
 * (several services, several objects), the capture holds one value per place in document
 * order: read the first, then call `next()` for each following one. Use a new `Capture` for
 * each assertion; one that is used again keeps the values it already has.
 */
export class Capture extends Matcher {
  public readonly name = 'Capture';
  private readonly values: unknown[] = [];
  private index = 0;

  /**
   * @param pattern what the captured value must match, plain objects partially
   * (`Match.objectLike`); by default any value but a missing one or `null`.
   */
  constructor(private readonly pattern?: unknown) {
    super();
    checkPattern(pattern);
  }

  public test(actual: unknown): MatchResult {
    const result = new MatchResult(actual);
    if (actual === undefined || actual === null) {
      return result.recordFailure(`expected a value to capture, got ${formatValue(actual)}`);
    }
    if (this.pattern !== undefined) {
      const inner = matchValue(this.pattern, actual, true);
      if (inner.hasFailed()) return inner;
      result.compose([], inner);
    }
    return result.recordCapture(this, actual);
  }

  /** @internal called by `MatchResult.finished()` for each value of a passing match. */
  public _captureValue(value: unknown): void {
    this.values.push(value);
  }

  /** Moves to the next captured value; false when there is none (and the current one stays). */
  public next(): boolean {
    if (this.index + 1 >= this.values.length) return false;
    this.index++;
    return true;
  }

  public asString(): string {
    return this.current('string', (v): v is string => typeof v === 'string');
  }

  public asNumber(): number {
    return this.current('number', (v): v is number => typeof v === 'number');
  }

  public asBoolean(): boolean {
    return this.current('boolean', (v): v is boolean => typeof v === 'boolean');
  }

  public asArray(): unknown[] {
    return this.current('array', (v): v is unknown[] => Array.isArray(v));
  }

  public asObject(): Record<string, unknown> {
    return this.current('object', (v): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v));
  }

  public toString(): string {
    return this.pattern === undefined ? 'Capture()' : `Capture(${formatValue(this.pattern)})`;
  }

  private current<T>(type: string, is: (v: unknown) => v is T): T {
    if (this.values.length === 0) {
      throw new Error('Capture: no value was captured; the assertion that uses this Capture must run, and pass, first');
    }
    const value = this.values[this.index];
    if (!is(value)) {
      throw new Error(`Capture: the captured value is ${formatValue(value)}, not ${type === 'array' || type === 'object' ? 'an' : 'a'} ${type}`);
    }
    return value;
  }
}
