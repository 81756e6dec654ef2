import { IConstruct } from 'constructs';
import { Annotations } from './annotations';
import { closestName } from './closest-name';

/**
 * The keys a props (or options) interface has, so that a key a caller passes which it does not
 * have is reported instead of ignored: a misspelt prop from a JavaScript caller, or one that a
 * related construct takes and this one leaves out (`replicas` on a database).
 *
 * Each list sits beside its class; `test/services/known-props.test.ts` compares it with the
 * TypeScript interface.
 */
export interface KnownProps {
  /** The interface the names are those of, e.g. 'PostgresServiceProps'. */
  readonly interfaceName: string;
  readonly names: readonly string[];
  /** Keys that related interfaces have and this one leaves out on purpose: why, and what to do instead. */
  readonly omitted: Readonly<Record<string, string>>;
  /** Keys whose value is an object, or a list of objects, of another interface: checked the same way. */
  readonly nested: Readonly<Record<string, KnownProps>>;
}

const REGISTERED = new Map<string, KnownProps>();

/**
 * The known props of `P`, named by the interface `interfaceName` (the names are type-checked
 * against `P`'s keys; the test checks that none is missing).
 */
export function knownProps<P>(
  interfaceName: string,
  names: readonly (keyof P & string)[],
  more: {
    readonly omitted?: Readonly<Record<string, string>>;
    readonly nested?: { readonly [K in keyof P & string]?: KnownProps };
  } = {},
): KnownProps {
  const known: KnownProps = {
    interfaceName,
    names: [...names],
    omitted: more.omitted ?? {},
    nested: Object.fromEntries(Object.entries(more.nested ?? {}).filter(([, v]) => v !== undefined)) as Record<string, KnownProps>,
  };
  REGISTERED.set(interfaceName, known);
  return known;
}

/** Every interface whose known props are listed, by name (for the test that compares them with the types). */
export function registeredKnownProps(): ReadonlyMap<string, KnownProps> {
  return REGISTERED;
}

/**
 * A message for each key of `given` that `known` does not have (keys whose value is undefined
 * are left alone: they change nothing), and for each such key of the objects nested in it.
 * `owner` names what takes them, e.g. 'PostgresService' or 'HealthCheck.http'.
 */
export function unknownPropProblems(owner: string, given: unknown, known: KnownProps, noun: 'prop' | 'option' = 'prop', prefix = ''): string[] {
  // Only plain objects: something else (a Size where options belong) is reported by the check of its type.
  if (typeof given !== 'object' || given === null || ![Object.prototype, null].includes(Object.getPrototypeOf(given))) {
    return [];
  }
  const problems: string[] = [];
  for (const [key, value] of Object.entries(given)) {
    if (value === undefined) continue;
    if (!known.names.includes(key)) {
      const head = `${owner} has no ${noun} "${prefix}${key}": `;
      const reason = Object.prototype.hasOwnProperty.call(known.omitted, key) ? known.omitted[key] : undefined;
      const closest = closestName(key, known.names);
      if (reason !== undefined) problems.push(head + reason);
      else if (closest !== undefined) problems.push(`${head}did you mean "${prefix}${closest}"?`);
      else problems.push(`${head}remove it, or use one of the ${noun}s of ${known.interfaceName}: ${known.names.join(', ')}`);
      continue;
    }
    const inner = known.nested[key];
    if (inner === undefined) continue;
    if (Array.isArray(value)) {
      value.forEach((item, i) => problems.push(...unknownPropProblems(owner, item, inner, noun, `${prefix}${key}[${i}].`)));
    } else {
      problems.push(...unknownPropProblems(owner, value, inner, noun, `${prefix}${key}.`));
    }
  }
  return problems;
}

/**
 * Reports each key of `props` that `known` does not have as an error of `construct`, when
 * `construct` is an instance of `cls` itself: a subclass's props are its own (a user's
 * `ShopStackProps extends StackProps` passed on to `super`), so they are left to it.
 */
export function checkProps(construct: IConstruct, cls: abstract new (...args: never[]) => unknown, props: unknown, known: KnownProps): void {
  if (construct.constructor !== cls) return;
  for (const problem of unknownPropProblems(cls.name, props, known)) Annotations.of(construct).addError(problem);
}
