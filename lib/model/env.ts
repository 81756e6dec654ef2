/**
 * One piece of an environment value: literal text or a reference to a secret.
 *
 * A value made of several parts (a database URL with a password in it) keeps the
 * secret as a reference so each renderer can splice it in its own way:
 * `${VAR:?}` interpolation on Compose, `$(VAR)` expansion on Kubernetes.
 */
export type ValuePart =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'secret'; readonly secret: string };

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

export function secretsIn(env: EnvVarModel): string[] {
  return env.parts.flatMap((part) => (part.kind === 'secret' ? [part.secret] : []));
}
