import { templatePieces } from '../core/parameter';
import { ValuePart } from '../model';
import { Secret } from './secret';

const CONCAT_SYMBOL = Symbol.for('cdk-compose.EnvConcat');

/** A piece of an environment value. */
export type EnvPiece = string | number | boolean | Secret;

/** An environment value: plain text, a secret, or text with secrets inside (`Env.concat`). */
export type EnvValue = EnvPiece | EnvConcat;

/** Text with secrets inside, such as a database URL with its password. */
export class EnvConcat {
  public static isEnvConcat(x: unknown): x is EnvConcat {
    return typeof x === 'object' && x !== null && CONCAT_SYMBOL in x;
  }

  constructor(public readonly pieces: readonly EnvPiece[]) {
    Object.defineProperty(this, CONCAT_SYMBOL, { value: true });
  }
}

/** Builds environment values. */
export class Env {
  /**
   * Joins text and secrets into one value: `Env.concat('postgresql://app:', password, '@db:5432/app')`.
   *
   * The secret stays a reference on both targets.
   */
  public static concat(...pieces: EnvPiece[]): EnvConcat {
    return new EnvConcat(pieces);
  }
}

/** An environment value turned into model parts, with what went wrong on the way. */
export interface ResolvedEnvValue {
  readonly parts: ValuePart[];
  readonly secrets: Secret[];
  readonly problems: string[];
  /** True when a secret's value is written in plain text by explicit opt-in. */
  readonly unsafePlainText: boolean;
}

/** Sensitive-looking names whose literal values must be Secrets. */
export const SENSITIVE_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|PRIVATE_KEY|API_KEY|ACCESS_KEY|CREDENTIALS)|(^|_)(PASS|PWD)(_|$)/i;

export function resolveEnvValue(name: string, value: EnvValue): ResolvedEnvValue {
  const pieces = EnvConcat.isEnvConcat(value) ? value.pieces : [value];
  const parts: ValuePart[] = [];
  const secrets: Secret[] = [];
  const problems: string[] = [];
  let unsafePlainText = false;

  for (const piece of pieces) {
    if (Secret.isSecret(piece)) {
      const problem = piece._problem();
      if (problem) {
        problems.push(`environment variable ${name}: ${problem}`);
      } else if (piece.envName !== undefined) {
        parts.push({ kind: 'secret', secret: piece.envName });
        secrets.push(piece);
      } else {
        parts.push({ kind: 'text', text: piece.plainTextValue ?? '' });
        unsafePlainText = true;
      }
    } else if (typeof piece === 'string') {
      parts.push(...textParts(piece));
    } else if (typeof piece === 'number' || typeof piece === 'boolean') {
      parts.push({ kind: 'text', text: String(piece) });
    } else {
      problems.push(
        `environment variable ${name} has a value of type ${describeType(piece)}; use a string, number, boolean, Secret or Env.concat(...)`,
      );
    }
  }

  const literalOnly = parts.length > 0 && parts.every((part) => part.kind === 'text') && !unsafePlainText;
  if (literalOnly && SENSITIVE_NAME.test(name) && parts.some((part) => part.kind === 'text' && part.text !== '')) {
    problems.push(
      `environment variable ${name} looks sensitive but is given as a literal; use Secret.fromEnv('${name}') ` +
        `(or Secret.unsafePlainText(...) to write it in plain text on purpose)`,
    );
  }
  return { parts: mergeText(parts), secrets, problems, unsafePlainText };
}

/** A string cut into literal text and the deploy-time parameters inside it. */
export function textParts(text: string): ValuePart[] {
  return templatePieces(text).map((piece): ValuePart => ('text' in piece ? { kind: 'text', text: piece.text } : { kind: 'param', param: piece.parameter }));
}

function mergeText(parts: ValuePart[]): ValuePart[] {
  const merged: ValuePart[] = [];
  for (const part of parts) {
    const last = merged[merged.length - 1];
    if (part.kind === 'text' && last?.kind === 'text') {
      merged[merged.length - 1] = { kind: 'text', text: last.text + part.text };
    } else {
      merged.push(part);
    }
  }
  return merged.length > 0 ? merged : [{ kind: 'text', text: '' }];
}

export function describeType(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'array';
  if (typeof x === 'object') return (x as object).constructor?.name ?? 'object';
  return typeof x;
}
