/** One thing the API server or the controllers found wrong with one object of a deployment. */
export interface Finding {
  /** The deployment's namespace. */
  readonly namespace: string;
  /** `Kind/name`, or `-` when the server's message names no object the tests applied. */
  readonly object: string;
  readonly message: string;
}

/** A finding the tests expect, because the library does not do better yet; each says why. */
export interface KnownFailure {
  readonly namespace: string | RegExp;
  /** `Kind/name`; a `*` stands for any characters (a Job's name ends in a digest of its spec). */
  readonly object: string | RegExp;
  readonly message: RegExp;
  /** Why the library's output fails this way, and what would fix it. */
  readonly reason: string;
}

function matches(pattern: string | RegExp, value: string): boolean {
  if (pattern instanceof RegExp) return pattern.test(value);
  if (!pattern.includes('*')) return pattern === value;
  return new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(value);
}

function isKnown(finding: Finding, known: KnownFailure): boolean {
  return matches(known.namespace, finding.namespace) && matches(known.object, finding.object) && known.message.test(finding.message);
}

export function formatFinding(finding: Finding): string {
  return `${finding.namespace}: ${finding.object}: ${finding.message}`;
}

/**
 * The findings no known failure explains (new ones: the test fails on them), and the known
 * failures of `namespace` that explain nothing any more (fixed: take them off the list).
 */
export function sortFindings(
  namespace: string,
  findings: readonly Finding[],
  known: readonly KnownFailure[],
): { readonly unexpected: string[]; readonly fixed: string[] } {
  const relevant = known.filter((k) => matches(k.namespace, namespace));
  return {
    unexpected: findings.filter((f) => !relevant.some((k) => isKnown(f, k))).map(formatFinding),
    fixed: relevant
      .filter((k) => !findings.some((f) => isKnown(f, k)))
      .map((k) => `${String(k.namespace)} ${String(k.object)} ${String(k.message)} (${k.reason})`),
  };
}

/**
 * `would violate PodSecurity "restricted:latest": a (x, y), b (z)` -> `['a (x, y)', 'b (z)']`:
 * the checks one object fails, one by one, so each can be expected (or fixed) on its own.
 */
export function podSecurityViolations(warning: string): string[] {
  const match = /^would violate PodSecurity "[^"]+": (.*)$/.exec(warning);
  if (!match) return [];
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of match[1]) {
    if (char === '(') depth++;
    if (char === ')') depth--;
    if (char === ',' && depth === 0) {
      parts.push(current.trim());
      current = '';
    } else {
      current += char;
    }
  }
  if (current.trim() !== '') parts.push(current.trim());
  return parts;
}
