import { Construct } from 'constructs';
import { Annotations } from './annotations';
import { usableId } from './construct-id';
import { checkProps, knownProps } from './known-props';
import type { ParameterModel } from '../model';
import { envNameProblem } from './names';

const PARAMETER_SYMBOL = Symbol.for('cdk-compose.Parameter');

/**
 * Properties for a `Parameter`.
 */
export interface ParameterProps {
  /**
   * The value used when the deployment sets none.
   *
   * @default - none: the value must be set at deploy time (Compose refuses to start without it)
   */
  readonly default?: string;

  /**
   * What the value is, written next to it in `.env.example`.
   *
   * @default - none
   */
  readonly description?: string;
}

const PROPS = knownProps<ParameterProps>('ParameterProps', ['default', 'description']);

/** `{{param:NAME}}`: how a parameter travels inside a string until synth resolves it. */
const STRING_TOKEN = /\{\{param:([A-Za-z_][A-Za-z0-9_]*)\}\}/g;

/**
 * Numbers stand for parameters below this value: no port, replica count or size is negative,
 * so a number token can never be mistaken for a real value (as in the AWS CDK's tokens).
 */
const NUMBER_TOKEN_BASE = -(2 ** 50);
const numberTokens = new Map<number, string>();
const numberTokenOf = new Map<string, number>();

/**
 * A value chosen at deploy time rather than at synth: an image tag, a host port, a setting.
 *
 * Use it inside any string that takes one (`image: \`ghcr.io/acme/api:${tag}\``, an
 * environment value, a bind mount's host path) or as a number (`hostPort: port.valueAsNumber`).
 * Compose renders it `${NAME:-default}` and lists it in `.env.example`; Kubernetes reads it from
 * a ConfigMap that kustomize generates from `k8s/parameters.env`, and an image tag from the
 * kustomization's `images:` (so `kustomize edit set image` changes it).
 */
export class Parameter extends Construct {
  public static isParameter(x: unknown): x is Parameter {
    return typeof x === 'object' && x !== null && PARAMETER_SYMBOL in x;
  }

  /** The variable that carries the value (the construct's id). */
  public readonly parameterName: string;
  public readonly default?: string;
  public readonly description?: string;

  constructor(scope: Construct, givenId: string, props: ParameterProps = {}) {
    const { id, standIn } = usableId(scope, givenId, { what: 'a parameter', example: 'IMAGE_TAG', meaning: 'the id is the variable that carries its value' });
    super(scope, id);
    Object.defineProperty(this, PARAMETER_SYMBOL, { value: true });
    checkProps(this, Parameter, props, PROPS);
    this.parameterName = id;
    this.default = props.default;
    this.description = props.description;
    const nameProblem = standIn ? undefined : envNameProblem(id);
    if (nameProblem) Annotations.of(this).addError(`parameter name ${nameProblem}`);
    if (props.default !== undefined && typeof props.default !== 'string') {
      Annotations.of(this).addError(`default must be a string, got ${JSON.stringify(props.default)}; write it in quotes`);
    } else if (props.default !== undefined && /[}\n]/.test(props.default)) {
      Annotations.of(this).addError(
        `default ${JSON.stringify(props.default)} has a '}' or a line break, which Compose cannot hold in \${${id}:-...}; choose another default`,
      );
    }
  }

  /** @internal */
  public _toModel(): ParameterModel {
    return {
      name: this.parameterName,
      path: this.node.path,
      ...(typeof this.default === 'string' ? { default: this.default } : {}),
      ...(this.description !== undefined ? { description: String(this.description) } : {}),
    };
  }

  /** The parameter inside a string. */
  public get valueAsString(): string {
    return `{{param:${this.parameterName}}}`;
  }

  /** The parameter as a number (a host port, a replica count). */
  public get valueAsNumber(): number {
    let token = numberTokenOf.get(this.parameterName);
    if (token === undefined) {
      token = NUMBER_TOKEN_BASE - numberTokens.size;
      numberTokens.set(token, this.parameterName);
      numberTokenOf.set(this.parameterName, token);
    }
    return token;
  }

  public toString(): string {
    return this.valueAsString;
  }
}

/** A piece of a string that may hold parameters. */
export type TemplatePiece = { readonly text: string } | { readonly parameter: string };

/** `text` cut into literal pieces and the parameters inside it. */
export function templatePieces(text: string): TemplatePiece[] {
  const pieces: TemplatePiece[] = [];
  let at = 0;
  for (const match of text.matchAll(STRING_TOKEN)) {
    if ((match.index as number) > at) pieces.push({ text: text.slice(at, match.index) });
    pieces.push({ parameter: match[1] });
    at = (match.index as number) + match[0].length;
  }
  if (at < text.length || pieces.length === 0) pieces.push({ text: text.slice(at) });
  return pieces;
}

/** Whether `text` holds a parameter. */
export function hasParameter(text: string): boolean {
  return text.includes('{{param:');
}

/** The parameter a number stands for, if it is a number token. */
export function numberParameter(value: unknown): string | undefined {
  return typeof value === 'number' ? numberTokens.get(value) : undefined;
}
