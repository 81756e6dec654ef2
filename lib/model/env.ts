/**
 * One piece of an environment value: literal text or a reference to a secret.
 *
 * A value made of several parts (a database URL with a password in it) keeps the
 * secret as a reference so each renderer can splice it in its own way:
 * `${VAR:?}` interpolation on Compose, `$(VAR)` expansion on Kubernetes.
 */
export type ValuePart =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'secret'; readonly secret: string }
  /** A deploy-time parameter (`ParameterModel`), by name. */
  | { readonly kind: 'param'; readonly param: string };

/** An environment variable of a container. */
export interface EnvVarModel {
  readonly name: string;
  /** Never empty. A single text part is a plain value. */
  readonly parts: readonly ValuePart[];
}

/** A secret the stack needs: its value is supplied at deploy time through this variable. */
export interface SecretModel {
  /** The variable that carries the value (`.env` on Compose, the generated Secret's key on Kubernetes). */
  readonly name: string;
  readonly description: string;
  /** Construct paths that declared or use the secret, for messages. */
  readonly usedBy: readonly string[];
}

export function isPlainValue(env: EnvVarModel): boolean {
  return env.parts.every((part) => part.kind === 'text');
}

export function plainText(env: EnvVarModel): string {
  return env.parts.map((part) => (part.kind === 'text' ? part.text : '')).join('');
}

/** A deploy-time value: `${NAME:-default}` on Compose, a generated ConfigMap's key on Kubernetes. */
export interface ParameterModel {
  readonly name: string;
  /** Undefined: the deployment must set it. */
  readonly default?: string;
  readonly description?: string;
  /** Construct path of the Parameter. */
  readonly path: string;
}

/** `parts` with each parameter replaced by its default (empty without one): what synth knows of the value. */
export function withDefaults(parts: readonly ValuePart[], parameters: readonly ParameterModel[]): string {
  return parts
    .map((part) => (part.kind === 'text' ? part.text : part.kind === 'param' ? parameters.find((p) => p.name === part.param)?.default ?? '' : ''))
    .join('');
}

export function parametersIn(parts: readonly ValuePart[]): string[] {
  return parts.flatMap((part) => (part.kind === 'param' ? [part.param] : []));
}

export function secretsIn(env: EnvVarModel): string[] {
  return env.parts.flatMap((part) => (part.kind === 'secret' ? [part.secret] : []));
}
