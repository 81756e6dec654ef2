/**
 * A tiny expression tree for the generated source. The same tree is printed as TypeScript
 * (the app.ts the importer writes) and evaluated against the library (so the importer can
 * synthesize what the printed source will synthesize, and report the differences).
 */
export type Expr =
  | { readonly kind: 'lit'; readonly value: string | number | boolean }
  | { readonly kind: 'arr'; readonly items: readonly Expr[] }
  | { readonly kind: 'obj'; readonly entries: readonly (readonly [string, Expr])[] }
  | { readonly kind: 'call'; readonly target: string; readonly method: string; readonly args: readonly Expr[] }
  | { readonly kind: 'ref'; readonly name: string }
  /** A template literal: text and expressions (parameters) inside one string. */
  | { readonly kind: 'template'; readonly parts: readonly (string | Expr)[] }
  /** A property of a declared variable: `port.valueAsNumber`. */
  | { readonly kind: 'member'; readonly name: string; readonly member: string };

export const lit = (value: string | number | boolean): Expr => ({ kind: 'lit', value });
export const arr = (items: readonly Expr[]): Expr => ({ kind: 'arr', items });
export const obj = (entries: readonly (readonly [string, Expr])[]): Expr => ({ kind: 'obj', entries });
export const call = (target: string, method: string, ...args: Expr[]): Expr => ({ kind: 'call', target, method, args });
export const ref = (name: string): Expr => ({ kind: 'ref', name });
export const member = (name: string, property: string): Expr => ({ kind: 'member', name, member: property });

/** Text with expressions inside: a plain literal when there are none. */
export function template(parts: readonly (string | Expr)[]): Expr {
  const merged: (string | Expr)[] = [];
  for (const part of parts) {
    const last = merged[merged.length - 1];
    if (typeof part === 'string' && typeof last === 'string') merged[merged.length - 1] = last + part;
    else if (part !== '') merged.push(part);
  }
  if (merged.every((p) => typeof p === 'string')) return lit(merged.join(''));
  return { kind: 'template', parts: merged };
}

/** A literal JS value (strings, numbers, booleans, arrays and records of them) as an expression. */
export function fromValue(value: unknown): Expr {
  if (Array.isArray(value)) return arr(value.map(fromValue));
  if (value !== null && typeof value === 'object') return obj(Object.entries(value).map(([k, v]) => [k, fromValue(v)] as const));
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return lit(value);
  return lit(String(value));
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function quote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}'`;
}

/** Prints an expression; short ones stay on one line, longer ones break per item. */
export function print(expr: Expr, indent = 0): string {
  const flat = printFlat(expr);
  if (flat.length + indent <= 100) return flat;
  const pad = ' '.repeat(indent + 2);
  const close = ' '.repeat(indent);
  switch (expr.kind) {
    case 'arr':
      return `[\n${expr.items.map((i) => `${pad}${print(i, indent + 2)},`).join('\n')}\n${close}]`;
    case 'obj':
      return `{\n${expr.entries.map(([k, v]) => `${pad}${key(k)}: ${print(v, indent + 2)},`).join('\n')}\n${close}}`;
    case 'call':
      if (expr.args.length === 1) return `${expr.target}.${expr.method}(${print(expr.args[0], indent)})`;
      return `${expr.target}.${expr.method}(\n${expr.args.map((a) => `${pad}${print(a, indent + 2)},`).join('\n')}\n${close})`;
    default:
      return flat;
  }
}

function key(name: string): string {
  return IDENT.test(name) ? name : quote(name);
}

function printFlat(expr: Expr): string {
  switch (expr.kind) {
    case 'lit':
      return typeof expr.value === 'string' ? quote(expr.value) : String(expr.value);
    case 'arr':
      return `[${expr.items.map(printFlat).join(', ')}]`;
    case 'obj':
      return expr.entries.length === 0 ? '{}' : `{ ${expr.entries.map(([k, v]) => `${key(k)}: ${printFlat(v)}`).join(', ')} }`;
    case 'call':
      return `${expr.target}.${expr.method}(${expr.args.map(printFlat).join(', ')})`;
    case 'ref':
      return expr.name;
    case 'member':
      return `${expr.name}.${expr.member}`;
    case 'template':
      return '`' + expr.parts.map((p) => (typeof p === 'string' ? quoteTemplate(p) : `\${${printFlat(p)}}`)).join('') + '`';
  }
}

function quoteTemplate(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');
}

/** Evaluates an expression; `scope` holds library exports and declared variables. */
export function evaluate(expr: Expr, scope: Record<string, any>): any {
  switch (expr.kind) {
    case 'lit':
      return expr.value;
    case 'arr':
      return expr.items.map((i) => evaluate(i, scope));
    case 'obj':
      return Object.fromEntries(expr.entries.map(([k, v]) => [k, evaluate(v, scope)]));
    case 'call': {
      const target = scope[expr.target];
      if (target === undefined) throw new Error(`internal: ${expr.target} is not in scope`);
      return target[expr.method](...expr.args.map((a) => evaluate(a, scope)));
    }
    case 'ref':
      if (!(expr.name in scope)) throw new Error(`internal: ${expr.name} is not declared`);
      return scope[expr.name];
    case 'member':
      if (!(expr.name in scope)) throw new Error(`internal: ${expr.name} is not declared`);
      return scope[expr.name][expr.member];
    case 'template':
      return expr.parts.map((p) => (typeof p === 'string' ? p : String(evaluate(p, scope)))).join('');
  }
}

/** Names of the library classes an expression uses. */
export function usedNames(expr: Expr, into: Set<string>): void {
  switch (expr.kind) {
    case 'arr':
      expr.items.forEach((i) => usedNames(i, into));
      break;
    case 'obj':
      expr.entries.forEach(([, v]) => usedNames(v, into));
      break;
    case 'call':
      into.add(expr.target);
      expr.args.forEach((a) => usedNames(a, into));
      break;
    case 'template':
      expr.parts.forEach((p) => typeof p !== 'string' && usedNames(p, into));
      break;
    default:
  }
}

/** The declared variables an expression refers to. */
export function referencedNames(expr: Expr, into: Set<string> = new Set()): Set<string> {
  switch (expr.kind) {
    case 'ref':
    case 'member':
      into.add(expr.name);
      break;
    case 'arr':
      expr.items.forEach((i) => referencedNames(i, into));
      break;
    case 'obj':
      expr.entries.forEach(([, v]) => referencedNames(v, into));
      break;
    case 'call':
      expr.args.forEach((a) => referencedNames(a, into));
      break;
    case 'template':
      expr.parts.forEach((p) => typeof p !== 'string' && referencedNames(p, into));
      break;
    default:
  }
  return into;
}
