import { toYaml } from '../../synth/yaml-text';

/**
 * Writes Kubernetes objects as Helm template files: YAML in which some values are Go template
 * actions that Helm fills in at install.
 *
 * An object to be written holds *tokens* where actions go: a string `ACTION` token stands for
 * `{{ <expression> }}` (alone, or inside a longer string such as a URL), and a key `BLOCK` token
 * (with the value null) stands for lines of template text at that key's indentation, such as a
 * `{{- with }}` that writes a key only when a value is set. The object is written as YAML
 * first, so that the YAML library decides quoting and indentation, then each token is replaced
 * by its text. A token is letters and digits only, so it never changes how the YAML library
 * quotes the string it stands in; the expressions that stand inside a longer string render as
 * DNS names, which read the same in any YAML quoting style, and those that render a whole
 * value pipe it through `toJson`.
 *
 * Text of the object that Helm would take for template syntax (`{{`, in a config file) is
 * written as a string action that renders it as it is.
 */
export class TemplateText {
  private readonly prefix: string;
  private readonly tokens: RegExp;
  private readonly blockLines: RegExp;
  private readonly actionTokens: RegExp;
  private readonly actions = new Map<string, string>();
  private readonly blocks = new Map<string, (indent: number) => string[]>();
  private next = 0;

  /** `stack` holds the strings the tokens must never occur in (the stack's own, keys and values). */
  constructor(stack: unknown) {
    let prefix = 'hlmtpl';
    // Only strings that hold the shortest prefix can hold a longer one.
    const taken = stringsHolding(prefix, stack);
    while (taken.some((s) => s.includes(prefix))) prefix += 'q';
    this.prefix = prefix;
    this.tokens = new RegExp(`${prefix}\\d{6}[xb]`, 'g');
    this.blockLines = new RegExp(`^( *)(${prefix}\\d{6}b): null$`, 'gm');
    this.actionTokens = new RegExp(`${prefix}\\d{6}x`, 'g');
  }

  /** A token for `{{ expression }}`, to stand as a value or inside a string. */
  public action(expression: string): string {
    const token = `${this.prefix}${String(this.next++).padStart(6, '0')}x`;
    this.actions.set(token, expression);
    return token;
  }

  /**
   * A token for lines of template text, to use as a key with the value null. `lines` gets the
   * indentation of the key and returns lines relative to it (`nindent` must add it).
   */
  public block(lines: (indent: number) => string[]): string {
    const token = `${this.prefix}${String(this.next++).padStart(6, '0')}b`;
    this.blocks.set(token, lines);
    return token;
  }

  /** Whether `text` is exactly one action token. */
  public isAction(text: string): boolean {
    return this.actions.has(text);
  }

  /** The expression of an action token. */
  public expressionOf(token: string): string {
    const expression = this.actions.get(token);
    if (expression === undefined) throw new Error(`internal: ${token} is not an action of this chart`);
    return expression;
  }

  /**
   * `value` with every string that holds `{{` replaced by an action that renders it as it is
   * (and the actions inside it, if any), so that Helm does not read the text as a template.
   */
  public escaped<T>(value: T): T {
    // Copies only what holds such a string; the rest is returned as it is.
    const walk = (v: unknown): unknown => {
      if (typeof v === 'string') return v.includes('{{') ? this.action(`${this.concatenation(v)} | toJson`) : v;
      if (Array.isArray(v)) {
        const items = v.map(walk);
        return items.some((item, i) => item !== v[i]) ? items : v;
      }
      if (typeof v === 'object' && v !== null) {
        let copy: Record<string, unknown> | undefined;
        for (const [k, inner] of Object.entries(v)) {
          const walked = walk(inner);
          if (walked !== inner) copy ??= { ...v };
          if (copy) copy[k] = walked;
        }
        return copy ?? v;
      }
      return v;
    };
    return walk(value) as T;
  }

  /** The YAML text of `value` with every token replaced by its template text. */
  public yaml(value: unknown): string {
    const text = toYaml(value, '').replace(/\n$/, '');
    const withBlocks = text.replace(this.blockLines, (_line, indent: string, token: string) => {
      const lines = this.blocks.get(token);
      if (!lines) throw new Error(`internal: ${token} is not a block of this chart`);
      return lines(indent.length).map((line) => indent + line).join('\n');
    });
    const result = withBlocks.replace(this.tokens, (token) => {
      if (token.endsWith('b')) throw new Error(`internal: block ${token} is not a key of its own line`);
      return `{{ ${this.expressionOf(token)} }}`;
    });
    return result + '\n';
  }

  /** A Go template expression that prints `text` (its tokens as their actions). */
  private concatenation(text: string): string {
    const parts: string[] = [];
    let at = 0;
    for (const match of text.matchAll(this.actionTokens)) {
      const start = match.index as number;
      if (start > at) parts.push(goString(text.slice(at, start)));
      parts.push(`(${this.expressionOf(match[0])})`);
      at = start + match[0].length;
    }
    if (at < text.length) parts.push(goString(text.slice(at)));
    return parts.length === 1 && parts[0].startsWith('"') ? parts[0] : `print ${parts.join(' ')}`;
  }
}

/** Every string of `value` (keys and values, at any depth) that holds `part`. */
function stringsHolding(part: string, value: unknown, found: string[] = []): string[] {
  if (typeof value === 'string') {
    if (value.includes(part)) found.push(value);
  } else if (Array.isArray(value)) {
    for (const item of value) stringsHolding(part, item, found);
  } else if (typeof value === 'object' && value !== null) {
    for (const key of Object.keys(value)) {
      if (key.includes(part)) found.push(key);
      stringsHolding(part, (value as Record<string, unknown>)[key], found);
    }
  }
  return found;
}

/** A Go string literal: JSON's string syntax is a subset of Go's interpreted string literals. */
export function goString(text: string): string {
  return JSON.stringify(text);
}
