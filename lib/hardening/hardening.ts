import { IConstruct } from 'constructs';
import { Annotations } from '../core/annotations';
import { HARDENING_RULES } from './rules';

const ACKNOWLEDGEMENT = 'cdk-compose:acknowledge';

/** One acknowledged rule and why. */
export interface Acknowledgement {
  readonly ruleId: string;
  readonly reason: string;
}

/**
 * The hardening findings of a construct and everything below it.
 *
 * ```ts
 * Hardening.of(db).acknowledge('CKC-USER', 'the official image drops to the postgres user itself');
 * Hardening.of(stack).acknowledge('CKC-LIMITS', 'a laptop stack; limits come with the prod stack');
 * ```
 */
export class Hardening {
  public static of(scope: IConstruct): Hardening {
    return new Hardening(scope);
  }

  /** The acknowledgements that apply to `construct`: its own and its ancestors'. */
  public static acknowledgementsOf(construct: IConstruct): Acknowledgement[] {
    return construct.node.scopes.flatMap((scope) =>
      scope.node.metadata.filter((m) => m.type === ACKNOWLEDGEMENT).map((m) => m.data as Acknowledgement),
    );
  }

  private constructor(private readonly scope: IConstruct) {}

  /** Accepts the findings of rule `ruleId` here and below, for the written `reason`. */
  public acknowledge(ruleId: string, reason: string): this {
    if (!HARDENING_RULES.some((rule) => rule.id === ruleId)) {
      Annotations.of(this.scope).addError(
        `acknowledges unknown hardening rule ${JSON.stringify(ruleId)}; the rules are ${HARDENING_RULES.map((r) => r.id).join(', ')}`,
      );
      return this;
    }
    if (typeof reason !== 'string' || reason.trim().length < 10) {
      Annotations.of(this.scope).addError(
        `acknowledges ${ruleId} without a reason; write why the finding is acceptable (at least a sentence)`,
      );
      return this;
    }
    this.scope.node.addMetadata(ACKNOWLEDGEMENT, { ruleId, reason: reason.trim() }, { stackTrace: false });
    return this;
  }
}
