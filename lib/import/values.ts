import { Expr, call, lit } from './expr';

// How Compose writes values (image references, interpolation, durations, sizes, command lines),
// read into what the generated app needs.

/** The repository and tag of an image reference. */
export function splitImage(image: string): { repo: string; tag?: string } {
  const at = image.indexOf('@');
  const ref = at >= 0 ? image.slice(0, at) : image;
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  const repo = colon > slash ? ref.slice(0, colon) : ref;
  return { repo: repo.replace(/^(docker\.io\/)?(library\/)?/, ''), tag: colon > slash && at < 0 ? ref.slice(colon + 1) : undefined };
}

export function camel(name: string): string {
  const words = name.split(/[^A-Za-z0-9]+/).filter(Boolean);
  let result = words.map((w, i) => (i === 0 ? w.toLowerCase() : w[0].toUpperCase() + w.slice(1).toLowerCase())).join('');
  if (!/^[A-Za-z_]/.test(result)) result = `_${result}`;
  return result || '_';
}

/** Parses `${VAR}`, `${VAR:-default}`, `$VAR` and `$$` in a value. */
export type Piece = { text: string } | { variable: string; default?: string; required?: boolean };
export function interpolation(value: string): Piece[] {
  const pieces: Piece[] = [];
  const re = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;
  let last = 0;
  let match: RegExpExecArray | null;
  while ((match = re.exec(value))) {
    if (match.index > last) pieces.push({ text: value.slice(last, match.index) });
    if (match[0] === '$$') pieces.push({ text: '$' });
    else {
      const variable = match[1] ?? match[4];
      const op = match[2];
      pieces.push(op?.endsWith('-') ? { variable, default: match[3] } : op?.endsWith('?') ? { variable, required: true } : { variable });
    }
    last = re.lastIndex;
  }
  if (last < value.length) pieces.push({ text: value.slice(last) });
  const merged: Piece[] = [];
  for (const p of pieces) {
    const prev = merged[merged.length - 1];
    if ('text' in p && prev && 'text' in prev) merged[merged.length - 1] = { text: prev.text + p.text };
    else merged.push(p);
  }
  return merged;
}

export function camelToDns(name: string): string {
  const dns = name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
  return /^[a-z]/.test(dns) ? dns : `app-${dns}`.replace(/-$/, '');
}

/** `1m30s`, `10s`, `2h` as whole seconds. */
export function durationSeconds(text: string): number | undefined {
  const re = /(\d+(?:\.\d+)?)(h|ms|m|s|us|ns)/g;
  let total = 0;
  let matched = '';
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    matched += m[0];
    total += Number(m[1]) * { h: 3600, m: 60, s: 1, ms: 0.001, us: 1e-6, ns: 1e-9 }[m[2] as 'h']!;
  }
  return matched === text && Number.isInteger(total) ? total : undefined;
}

/** `512m`, `1g`, `512M`, `1GB` as a Size expression (whole MiB). */
export function sizeExpr(text: string): Expr | undefined {
  const m = /^(\d+)\s*([kmgt]?)i?b?$/i.exec(text.trim());
  if (!m) return undefined;
  const unit = m[2].toLowerCase();
  const bytes = Number(m[1]) * ({ '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 } as Record<string, number>)[unit];
  if (bytes % 1024 ** 3 === 0) return call('Size', 'gibibytes', lit(bytes / 1024 ** 3));
  if (bytes % 1024 ** 2 === 0) return call('Size', 'mebibytes', lit(bytes / 1024 ** 2));
  return undefined;
}

/** Splits a command line as Compose does (shlex): quotes group, backslash escapes. */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let current = '';
  let quote: string | undefined;
  let has = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < line.length) current += line[++i];
      else current += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      has = true;
    } else if (c === '\\' && i + 1 < line.length) {
      current += line[++i];
      has = true;
    } else if (/\s/.test(c)) {
      if (has || current) words.push(current);
      current = '';
      has = false;
    } else current += c;
  }
  if (has || current) words.push(current);
  return words;
}
