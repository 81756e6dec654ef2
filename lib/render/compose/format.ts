import { ParameterModel, ValuePart } from '../../model';

const KIBI = 1024;
const MEBI = KIBI * 1024;
const GIBI = MEBI * 1024;

/** Compose byte value; Compose reads `k`, `m` and `g` as binary units (`512m`, `1g`). */
export function composeBytes(bytes: number): string {
  for (const [unit, factor] of [['g', GIBI], ['m', MEBI], ['k', KIBI]] as const) {
    if (bytes % factor === 0) {
      return `${bytes / factor}${unit}`;
    }
  }
  return `${bytes}b`;
}

/** Compose duration (`1m30s`, `10s`). */
export function composeDuration(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  if (minutes === 0) return `${rest}s`;
  return rest === 0 ? `${minutes}m` : `${minutes}m${rest}s`;
}

/** Compose CPU count from millicores (`0.5`). */
export function composeCpus(millis: number): string {
  return String(millis / 1000);
}

/**
 * Compose interpolates `$` in every value of the file; a literal dollar must be doubled
 * so that `$HOME` in a command reaches the container as written.
 */
export function escapeInterpolation<T>(value: T): T {
  if (value instanceof Interpolated) return value.text as T;
  if (typeof value === 'string') {
    if (!value.includes('$')) return value;
    return value.replace(/\$/g, '$$$$') as T;
  }
  if (Array.isArray(value)) {
    return value.map(escapeInterpolation) as T;
  }
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeInterpolation(v)])) as T;
  }
  return value;
}

/** Text that already holds Compose interpolation: `escapeInterpolation` leaves it as it is. */
export class Interpolated {
  constructor(public readonly text: string) {}
}

/** `${NAME:?...}`: Compose refuses to start without the variable instead of passing an empty secret. */
export function requiredVariable(name: string): string {
  return `\${${name}:?set ${name} in .env (see .env.example)}`;
}

/**
 * Text with secrets and deploy-time parameters as Compose interpolates them: a secret is
 * required (`${NAME:?...}`), a parameter falls back to its default (`${NAME:-default}`) or is
 * required when it has none; literal dollars are doubled.
 */
export function interpolatedValue(parts: readonly ValuePart[], parameters: readonly ParameterModel[], literal = escapeInterpolation): string {
  return parts
    .map((part) => {
      if (part.kind === 'text') return literal(part.text);
      if (part.kind === 'secret') return requiredVariable(part.secret);
      const fallback = parameters.find((p) => p.name === part.param)?.default;
      return fallback === undefined ? requiredVariable(part.param) : `\${${part.param}:-${escapeInterpolation(fallback)}}`;
    })
    .join('');
}

/** A path relative to the app's directory, seen from the folder the Compose file is written to. */
export function fromComposeFile(path: string, sourceDir: string): string {
  if (path.startsWith('/')) return path;
  const trimmed = path.replace(/^\.\/+/, '').replace(/\/+$/, '');
  if (trimmed === '' || trimmed === '.') return sourceDir;
  return `${sourceDir}/${trimmed}`;
}
