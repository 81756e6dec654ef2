import type { Capture } from './capture';

const MATCHER_SYMBOL = Symbol.for('cdk-compose.testing.Matcher');

/** One step into a document: an object key or an array index. */
export type PathSegment = string | number;

/** Why a value did not match, and where inside the value tested. */
export interface MatchFailure {
  /** Keys and indexes from the value tested to the value that did not match. */
  readonly path: readonly PathSegment[];
  readonly message: string;
  /**
   * How much this failure counts when candidates are ranked by closeness. A line that only
   * introduces the failures below it costs 0.
   */
  readonly cost: number;
}

/**
 * The outcome of testing a value against a pattern: every mismatch, with its path, and the
 * values captured on the way (handed to their `Capture`s only when the whole match passes).
 */
export class MatchResult {
  private readonly failureList: MatchFailure[] = [];
  private readonly captureList: { readonly capture: Capture; readonly value: unknown }[] = [];
  private done = false;

  constructor(public readonly target: unknown) {}

  public get failures(): readonly MatchFailure[] {
    return this.failureList;
  }

  /** The sum of the failures' costs: the number of mismatches, roughly. */
  public get cost(): number {
    return this.failureList.reduce((sum, f) => sum + f.cost, 0);
  }

  public hasFailed(): boolean {
    return this.failureList.length > 0;
  }

  public recordFailure(message: string, options: { readonly path?: readonly PathSegment[]; readonly cost?: number } = {}): this {
    this.failureList.push({ path: options.path ?? [], message, cost: options.cost ?? 1 });
    return this;
  }

  public recordCapture(capture: Capture, value: unknown): this {
    this.captureList.push({ capture, value });
    return this;
  }

  /** Takes over the failures and captures of `inner`, a match of the part of the target at `path`. */
  public compose(path: PathSegment | readonly PathSegment[], inner: MatchResult): this {
    const prefix = typeof path === 'object' ? path : [path];
    for (const failure of inner.failureList) {
      this.failureList.push({ ...failure, path: [...prefix, ...failure.path] });
    }
    this.captureList.push(...inner.captureList);
    return this;
  }

  /**
   * Hands the captured values to their captures when the match passed. Assertions call it
   * once on each result that decided them; calling it again does nothing.
   */
  public finished(): this {
    if (!this.done && !this.hasFailed()) {
      for (const { capture, value } of this.captureList) capture._captureValue(value);
    }
    this.done = true;
    return this;
  }

  /** One line per failure: `<path>: <message>`, the path starting with `root`. */
  public toHumanStrings(root: readonly PathSegment[] = []): string[] {
    return this.failureList.map((failure) => {
      const where = formatPath([...root, ...failure.path]);
      return where ? `${where}: ${failure.message}` : failure.message;
    });
  }
}

/**
 * Decides whether a value has some shape. Plain values in a pattern are literals; a
 * `Matcher` anywhere in a pattern decides for the value at its place.
 */
export abstract class Matcher {
  /** Whether `x` is a matcher, also one made by another copy of this library. */
  public static isMatcher(x: unknown): x is Matcher {
    return typeof x === 'object' && x !== null && MATCHER_SYMBOL in x;
  }

  public abstract readonly name: string;

  constructor() {
    Object.defineProperty(this, MATCHER_SYMBOL, { value: true });
  }

  public abstract test(actual: unknown): MatchResult;

  /** The pattern as it reads in a failure message, e.g. `arrayWith(["a"])`. */
  public abstract toString(): string;
}

/**
 * Matchers for `Template` assertions and `Capture`s.
 *
 * Plain objects in a pattern match like `objectLike` (keys the pattern leaves out are
 * ignored, at every depth), except inside `objectEquals`, `arrayEquals`,
 * `arrayEqualsUnordered` and `exact`. Plain arrays must have exactly the elements given, in
 * order. A `RegExp` matches strings like `stringLikeRegexp`; `undefined` means the key is absent.
 */
export abstract class Match {
  /** An object with at least the keys of `pattern`, each matching; other keys are ignored. */
  public static objectLike(pattern: Record<string, unknown>): Matcher {
    return new ObjectMatch('objectLike', pattern, true);
  }

  /** An object with exactly the keys of `pattern`, each matching exactly. */
  public static objectEquals(pattern: Record<string, unknown>): Matcher {
    return new ObjectMatch('objectEquals', pattern, false);
  }

  /** An array containing elements that match `pattern`'s elements, in the same order, with others in between allowed. */
  public static arrayWith(pattern: unknown[]): Matcher {
    return new SubsequenceMatch(pattern);
  }

  /** An array containing, in any order, a distinct element for each of `pattern`'s elements; others are allowed. */
  public static arrayWithUnordered(pattern: unknown[]): Matcher {
    return new UnorderedMatch('arrayWithUnordered', pattern, false);
  }

  /** An array of exactly `pattern`'s elements, in order, each matching exactly. */
  public static arrayEquals(pattern: unknown[]): Matcher {
    return new LiteralMatch('arrayEquals', checkArray('arrayEquals', pattern), false);
  }

  /** An array of exactly `pattern`'s elements in any order, each matching exactly. */
  public static arrayEqualsUnordered(pattern: unknown[]): Matcher {
    return new UnorderedMatch('arrayEqualsUnordered', pattern, true);
  }

  /** Exactly `pattern`: plain objects inside must have exactly its keys, even within `objectLike`. */
  public static exact(pattern: unknown): Matcher {
    return new LiteralMatch('exact', pattern, false);
  }

  /** No value: the key is missing. */
  public static absent(): Matcher {
    return new AbsentMatch();
  }

  /** Any value but a missing one or `null`. */
  public static anyValue(): Matcher {
    return new AnyValueMatch();
  }

  /** A string matching the regular expression. */
  public static stringLikeRegexp(pattern: string | RegExp): Matcher {
    return new RegexpMatch(pattern);
  }

  /** Anything that does not match `pattern` (plain objects in it match like `objectLike`). */
  public static not(pattern: unknown): Matcher {
    return new NotMatch(pattern);
  }
}

/**
 * The matcher for a pattern given as a plain value: a matcher as it is, anything else matched
 * as a literal, with plain objects matched partially when `partial`.
 */
export function toMatcher(pattern: unknown, partial = true): Matcher {
  return Matcher.isMatcher(pattern) ? pattern : new LiteralMatch(partial ? 'literal' : 'exact', pattern, partial);
}

/** Tests `actual` against a pattern given as plain data, matchers or both. */
export function matchValue(pattern: unknown, actual: unknown, partial: boolean): MatchResult {
  if (Matcher.isMatcher(pattern)) return pattern.test(actual);
  if (pattern instanceof RegExp) return new RegexpMatch(pattern).test(actual);
  if (pattern === undefined) return new AbsentMatch().test(actual);
  if (Array.isArray(pattern)) return matchArray(pattern, actual, partial);
  if (isObject(pattern)) return matchObject(pattern, actual, partial);
  const result = new MatchResult(actual);
  if (actual !== pattern) result.recordFailure(`expected ${formatValue(pattern)}, got ${formatValue(actual)}`);
  return result;
}

/**
 * Throws when a pattern holds something a synthesized document never does (a `Duration`, a
 * function), since such a pattern could never match.
 */
export function checkPattern(pattern: unknown, where: readonly PathSegment[] = []): void {
  if (Matcher.isMatcher(pattern) || pattern instanceof RegExp || pattern === null || pattern === undefined) return;
  if (Array.isArray(pattern)) {
    pattern.forEach((element, i) => checkPattern(element, [...where, i]));
  } else if (isObject(pattern)) {
    Object.entries(pattern).forEach(([key, value]) => checkPattern(value, [...where, key]));
  } else if (typeof pattern !== 'string' && typeof pattern !== 'number' && typeof pattern !== 'boolean') {
    const what = typeof pattern === 'object' ? `a ${pattern.constructor?.name ?? 'non-plain object'}` : `a ${typeof pattern}`;
    throw new Error(
      `pattern${where.length > 0 ? ` at ${formatPath(where)}` : ''} holds ${what}; patterns hold plain data as the ` +
        "synthesized documents do (e.g. '5s' rather than Duration.seconds(5)), RegExps and Match matchers",
    );
  }
}

/** A value as it reads in a failure message: JSON-like, cut after `max` characters. */
export function formatValue(value: unknown, max = 100): string {
  const text = render(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** `services.api.healthcheck.interval`, `spec.containers[0].env`, `labels["app.kubernetes.io/name"]`. */
export function formatPath(path: readonly PathSegment[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) text += text ? `.${segment}` : segment;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}

function render(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Matcher.isMatcher(value) || value instanceof RegExp) return value.toString();
  if (Array.isArray(value)) return `[${value.map(render).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}: ${render(v)}`).join(', ')}}`;
  }
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function isObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

function checkArray(name: string, pattern: unknown[]): unknown[] {
  if (!Array.isArray(pattern)) throw new Error(`Match.${name} needs an array, got ${formatValue(pattern)}`);
  checkPattern(pattern);
  return pattern;
}

function matchObject(pattern: Record<string, unknown>, actual: unknown, partial: boolean): MatchResult {
  const result = new MatchResult(actual);
  if (typeof actual !== 'object' || actual === null || Array.isArray(actual)) {
    return result.recordFailure(`expected an object ${formatValue(pattern, 60)}, got ${formatValue(actual)}`);
  }
  const object = actual as Record<string, unknown>;
  for (const [key, expected] of Object.entries(pattern)) {
    const value = Object.prototype.hasOwnProperty.call(object, key) ? object[key] : undefined;
    result.compose(key, matchValue(expected, value, partial));
  }
  if (!partial) {
    for (const [key, value] of Object.entries(object)) {
      if (!(key in pattern) && value !== undefined) result.recordFailure(`unexpected key, with value ${formatValue(value)}`, { path: [key] });
    }
  }
  return result;
}

function matchArray(pattern: readonly unknown[], actual: unknown, partial: boolean): MatchResult {
  const result = new MatchResult(actual);
  if (!Array.isArray(actual)) {
    return result.recordFailure(`expected an array ${formatValue(pattern, 60)}, got ${formatValue(actual)}`);
  }
  if (actual.length !== pattern.length) {
    return result.recordFailure(
      `expected ${count(pattern.length, 'element')} ${formatValue(pattern, 80)}, got ${actual.length} ${formatValue(actual, 80)}`,
    );
  }
  pattern.forEach((expected, i) => result.compose(i, matchValue(expected, actual[i], partial)));
  return result;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

class LiteralMatch extends Matcher {
  constructor(public readonly name: string, private readonly pattern: unknown, private readonly partial: boolean) {
    super();
    checkPattern(pattern);
  }

  public test(actual: unknown): MatchResult {
    return matchValue(this.pattern, actual, this.partial);
  }

  public toString(): string {
    return this.name === 'literal' ? formatValue(this.pattern) : `${this.name}(${formatValue(this.pattern)})`;
  }
}

class ObjectMatch extends LiteralMatch {
  constructor(name: string, pattern: Record<string, unknown>, partial: boolean) {
    if (!isObject(pattern)) throw new Error(`Match.${name} needs a plain object, got ${formatValue(pattern)}`);
    super(name, pattern, partial);
  }
}

/** Reports the element of `candidates` closest to `pattern`, as failures of `result`. */
function reportClosest(
  result: MatchResult,
  name: string,
  k: number,
  pattern: unknown,
  candidates: readonly { readonly index: number; readonly result: MatchResult }[],
): void {
  const what = `no element matches ${name} pattern [${k}] ${formatValue(pattern, 80)}`;
  if (candidates.length === 0) {
    result.recordFailure(`${what}: no element is left to try`);
    return;
  }
  const closest = [...candidates].sort((a, b) => a.result.cost - b.result.cost)[0];
  result.recordFailure(`${what}; the closest is [${closest.index}]:`, { cost: 0 });
  result.compose(closest.index, closest.result);
}

/** `arrayWith`: the pattern is an ordered subsequence of the array. */
class SubsequenceMatch extends Matcher {
  public readonly name = 'arrayWith';

  constructor(private readonly pattern: unknown[]) {
    super();
    checkArray(this.name, pattern);
  }

  public test(actual: unknown): MatchResult {
    const result = new MatchResult(actual);
    if (!Array.isArray(actual)) {
      return result.recordFailure(`expected an array with ${formatValue(this.pattern, 60)}, got ${formatValue(actual)}`);
    }
    // The leftmost match of each pattern element leaves the most room for the next ones.
    let from = 0;
    this.pattern.forEach((expected, k) => {
      const tried: { index: number; result: MatchResult }[] = [];
      for (let i = from; i < actual.length; i++) {
        const inner = matchValue(expected, actual[i], true);
        if (!inner.hasFailed()) {
          result.compose([], inner);
          from = i + 1;
          return;
        }
        tried.push({ index: i, result: inner });
      }
      const earlier = actual.slice(0, from).findIndex((element) => !matchValue(expected, element, true).hasFailed());
      if (earlier >= 0) {
        result.recordFailure(
          `${this.name} pattern [${k}] ${formatValue(expected, 60)} matches [${earlier}], which comes before the elements ` +
            'matched by the patterns before it; arrayWith keeps the order of its pattern: use Match.arrayWithUnordered to ignore it',
        );
        return;
      }
      reportClosest(result, this.name, k, expected, tried);
    });
    return result;
  }

  public toString(): string {
    return `arrayWith(${formatValue(this.pattern)})`;
  }
}

/**
 * `arrayWithUnordered` and `arrayEqualsUnordered`: each pattern element matches its own
 * element of the array, in any order.
 */
class UnorderedMatch extends Matcher {
  constructor(public readonly name: string, private readonly pattern: unknown[], private readonly exact: boolean) {
    super();
    checkArray(name, pattern);
  }

  public test(actual: unknown): MatchResult {
    const result = new MatchResult(actual);
    if (!Array.isArray(actual)) {
      return result.recordFailure(`expected an array with ${formatValue(this.pattern, 60)} in any order, got ${formatValue(actual)}`);
    }
    if (this.exact && actual.length !== this.pattern.length) {
      result.recordFailure(
        `expected ${count(this.pattern.length, 'element')} in any order, got ${actual.length} ${formatValue(actual, 80)}`,
      );
    }
    const partial = !this.exact;
    const results = this.pattern.map((expected) => actual.map((element) => matchValue(expected, element, partial)));
    const owner = assign(results, actual.length);

    this.pattern.forEach((expected, k) => {
      const mine = owner.indexOf(k);
      if (mine >= 0) {
        result.compose([], results[k][mine]);
        return;
      }
      const taken = results[k].map((r, i) => (r.hasFailed() ? -1 : i)).filter((i) => i >= 0);
      if (taken.length > 0) {
        result.recordFailure(
          `${this.name} pattern [${k}] ${formatValue(expected, 60)} only matches ${taken.map((i) => `[${i}]`).join(', ')}, ` +
            'which other patterns already match; each pattern element needs an element of its own',
        );
        return;
      }
      reportClosest(result, this.name, k, expected, results[k].map((r, index) => ({ index, result: r })));
    });
    return result;
  }

  public toString(): string {
    return `${this.name}(${formatValue(this.pattern)})`;
  }
}

/**
 * A largest assignment of pattern elements to array elements (Kuhn's augmenting paths), so
 * that a broad pattern element does not take the only element a narrower one could match.
 * Returns, for each array element, the index of the pattern element it is assigned to, or -1.
 */
function assign(results: readonly (readonly MatchResult[])[], size: number): number[] {
  const owner = new Array<number>(size).fill(-1);
  const tryAssign = (k: number, seen: boolean[]): boolean => {
    for (let i = 0; i < size; i++) {
      if (seen[i] || results[k][i].hasFailed()) continue;
      seen[i] = true;
      if (owner[i] < 0 || tryAssign(owner[i], seen)) {
        owner[i] = k;
        return true;
      }
    }
    return false;
  };
  results.forEach((_, k) => tryAssign(k, new Array<boolean>(size).fill(false)));
  return owner;
}

class AbsentMatch extends Matcher {
  public readonly name = 'absent';

  public test(actual: unknown): MatchResult {
    const result = new MatchResult(actual);
    if (actual !== undefined) result.recordFailure(`expected nothing (absent), got ${formatValue(actual)}`);
    return result;
  }

  public toString(): string {
    return 'absent()';
  }
}

class AnyValueMatch extends Matcher {
  public readonly name = 'anyValue';

  public test(actual: unknown): MatchResult {
    const result = new MatchResult(actual);
    if (actual === undefined || actual === null) result.recordFailure(`expected any value, got ${formatValue(actual)}`);
    return result;
  }

  public toString(): string {
    return 'anyValue()';
  }
}

class RegexpMatch extends Matcher {
  public readonly name = 'stringLikeRegexp';
  private readonly regexp: RegExp;

  constructor(pattern: string | RegExp) {
    super();
    // A global or sticky RegExp keeps state between calls to test(); a copy without those flags does not.
    this.regexp = typeof pattern === 'string' ? new RegExp(pattern) : new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ''));
  }

  public test(actual: unknown): MatchResult {
    const result = new MatchResult(actual);
    if (typeof actual !== 'string' || !this.regexp.test(actual)) {
      result.recordFailure(`expected a string matching ${this.regexp}, got ${formatValue(actual)}`);
    }
    return result;
  }

  public toString(): string {
    return `stringLikeRegexp(${this.regexp})`;
  }
}

class NotMatch extends Matcher {
  public readonly name = 'not';

  constructor(private readonly pattern: unknown) {
    super();
    checkPattern(pattern);
  }

  public test(actual: unknown): MatchResult {
    const result = new MatchResult(actual);
    if (!matchValue(this.pattern, actual, true).hasFailed()) {
      result.recordFailure(`expected anything but ${formatValue(this.pattern, 60)}, got ${formatValue(actual)}`);
    }
    return result;
  }

  public toString(): string {
    return `not(${formatValue(this.pattern)})`;
  }
}
