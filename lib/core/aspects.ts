import { IConstruct } from 'constructs';

/**
 * A visitor of the construct tree, as in the AWS CDK: added to a scope, it visits the scope and
 * everything under it, once each, when the app is synthesized and before anything is validated,
 * so it can set defaults (`Workload.applyDefaults`), add labels, or report errors with
 * `Annotations.of(node)` for rules of its own (an allow-list of registries).
 */
export interface IAspect {
  visit(node: IConstruct): void;
}

const ASPECTS = Symbol.for('cdk-compose.Aspects');

/** The aspects of one scope. */
export class Aspects {
  /** The aspects of `scope`, which apply to it and to every construct under it. */
  public static of(scope: IConstruct): Aspects {
    const holder = scope as unknown as { [ASPECTS]?: Aspects };
    if (!holder[ASPECTS]) Object.defineProperty(scope, ASPECTS, { value: new Aspects(), enumerable: false });
    return holder[ASPECTS] as Aspects;
  }

  private readonly added: IAspect[] = [];

  private constructor() {}

  /** Adds an aspect; it visits each construct under the scope once, in the order aspects were added. */
  public add(aspect: IAspect): void {
    this.added.push(aspect);
  }

  /** The aspects added to this scope (not those inherited from above). */
  public get all(): readonly IAspect[] {
    return [...this.added];
  }
}

/** Which aspects have visited which construct: synth may run more than once on one tree. */
const visited = new WeakMap<IConstruct, Set<IAspect>>();

/**
 * Lets every aspect visit the constructs under the scope it was added to, parents before
 * children; constructs an aspect adds under the node it visits are visited in turn.
 *
 * @internal
 */
export function invokeAspects(root: IConstruct): void {
  const walk = (node: IConstruct, inherited: readonly IAspect[]) => {
    const aspects = [...inherited, ...Aspects.of(node).all];
    const done = visited.get(node) ?? new Set<IAspect>();
    visited.set(node, done);
    for (const aspect of aspects) {
      if (done.has(aspect)) continue;
      done.add(aspect);
      aspect.visit(node);
    }
    for (const child of node.node.children) walk(child, aspects);
  };
  walk(root, []);
}
