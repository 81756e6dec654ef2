import { SENSITIVE_NAME } from '../services/env-value';
import { Expr, call, lit, member, obj, ref, template } from './expr';
import { Piece, camel, interpolation } from './values';

/** A Parameter the generated app declares for a Compose variable. */
export interface ParameterDeclaration {
  readonly variable: string;
  readonly name: string;
  readonly default?: string;
}

/** Where a note about a value belongs. */
export interface ValueSite {
  readonly file: string;
  readonly service?: string;
  readonly key: string;
}

/**
 * Compose's variables (`${VAR}`, `${VAR:-default}`, `${VAR:?message}`) as the generated app
 * writes them: a `Parameter` (declared once per variable, its default the one the file gives,
 * else the value of the project's `.env`, else empty, as Compose substitutes), or, for a name
 * that looks like a secret, `Secret.fromEnv`. Where the library takes no parameter, the value
 * Compose would use is written, with a note.
 */
export class Variables {
  private readonly declared = new Map<string, ParameterDeclaration>();

  constructor(
    private readonly dotEnv: ReadonlyMap<string, string>,
    /** Claims a unique variable name in the generated source. */
    private readonly claim: (base: string) => string,
    private readonly note: (site: ValueSite, message: string) => void,
  ) {}

  /** The parameters in the order they were first used. */
  public get parameters(): ParameterDeclaration[] {
    return [...this.declared.values()];
  }

  /** The value Compose would substitute for a variable when nothing else sets it. */
  public fallback(piece: Extract<Piece, { variable: string }>): string | undefined {
    return piece.default ?? this.dotEnv.get(piece.variable) ?? (piece.required ? undefined : '');
  }

  /** The source variable of the Parameter for `name`, declared on first use. */
  public parameter(name: string, fallback: string | undefined): string {
    const existing = this.declared.get(name);
    if (existing) return existing.variable;
    const declaration = { variable: this.claim(camel(name)), name, ...(fallback !== undefined ? { default: fallback } : {}) };
    this.declared.set(name, declaration);
    return declaration.variable;
  }

  /**
   * The source variable of the Parameter for `name` with the default `value`, declared on first
   * use; undefined when it was declared already with another default.
   */
  public parameterWithDefault(name: string, value: string): string | undefined {
    const existing = this.declared.get(name);
    if (existing) return existing.default === value ? existing.variable : undefined;
    return this.parameter(name, value);
  }

  /** Text where the library takes parameters (an image, a host path): a template literal. */
  public text(value: string): Expr {
    return template(
      interpolation(value).map((piece) => ('text' in piece ? piece.text : ref(this.parameter(piece.variable, this.fallback(piece))))),
    );
  }

  /** Text where the library takes none: the value Compose would use, with a note when it had variables. */
  public literal(value: string, site: ValueSite): string {
    const pieces = interpolation(value);
    const baked = pieces.map((p) => ('text' in p ? p.text : (this.fallback(p) ?? ''))).join('');
    if (pieces.some((p) => 'variable' in p)) {
      this.note(site, `${value}: the library takes no deploy-time value here, so it is written as ${JSON.stringify(baked)}, what Compose substitutes without other settings`);
    }
    return baked;
  }

  /** A host port that may be a variable: a parameter's number, or a literal. */
  public port(value: string, site: ValueSite): Expr | undefined {
    const pieces = interpolation(value);
    if (pieces.length === 1 && 'variable' in pieces[0]) {
      const piece = pieces[0];
      return member(this.parameter(piece.variable, this.fallback(piece)), 'valueAsNumber');
    }
    const text = this.literal(value, site);
    return /^\d+$/.test(text) ? lit(Number(text)) : undefined;
  }

  /**
   * An environment value: literal text, a Parameter inside a template, `Secret.fromEnv` for a
   * variable named like a secret, and `Env.concat` when a secret sits inside text.
   */
  public environment(name: string, value: string | null, site: ValueSite): Expr {
    if (value === null) {
      // Compose passes the variable through from its own environment (or the project's .env).
      if (SENSITIVE_NAME.test(name)) return call('Secret', 'fromEnv', lit(name));
      this.note(site, `${name} is passed through from the environment Compose runs in: it is parameter ${name}, whose default is ${JSON.stringify(this.dotEnv.get(name) ?? '')}`);
      return template([ref(this.parameter(name, this.dotEnv.get(name) ?? ''))]);
    }
    const pieces = interpolation(value);
    const groups: (string | Expr)[][] = [[]];
    const secrets: Expr[] = [];
    // A variable in a value named like a secret is a secret too, whatever its own name (PG_PASS).
    const secretValue = SENSITIVE_NAME.test(name);
    for (const piece of pieces) {
      if ('text' in piece) groups[groups.length - 1].push(piece.text);
      else if (secretValue || SENSITIVE_NAME.test(piece.variable)) {
        secrets.push(call('Secret', 'fromEnv', lit(piece.variable)));
        groups.push([]);
      } else groups[groups.length - 1].push(ref(this.parameter(piece.variable, this.fallback(piece))));
    }
    if (secrets.length === 0) {
      const text = template(groups[0]);
      if (text.kind === 'lit' && SENSITIVE_NAME.test(name) && text.value !== '') {
        this.note(site, 'a sensitive-looking variable with a literal value: kept with Secret.unsafePlainText (move it to Secret.fromEnv)');
        return call('Secret', 'unsafePlainText', text);
      }
      return text;
    }
    const parts: Expr[] = [];
    groups.forEach((group, i) => {
      const text = template(group);
      if (!(text.kind === 'lit' && text.value === '')) parts.push(text);
      if (i < secrets.length) parts.push(secrets[i]);
    });
    return parts.length === 1 ? parts[0] : call('Env', 'concat', ...parts);
  }

  /** The declarations of the parameters, for the generated source. */
  public declarations(): { variable: string; id: string; props?: Expr }[] {
    return this.parameters.map((p) => ({ variable: p.variable, id: p.name, props: p.default !== undefined ? obj([['default', lit(p.default)]]) : undefined }));
  }
}
