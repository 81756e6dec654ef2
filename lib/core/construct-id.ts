import { IConstruct } from 'constructs';

/** What a construct's id means, for the message about an id it cannot have. */
export interface IdMeaning {
  /** The construct, e.g. 'a workload'. */
  readonly what: string;
  /** An id that would do, e.g. 'api'. */
  readonly example: string;
  /** What the id becomes, e.g. 'the id is its Compose service name and Kubernetes object name'. */
  readonly meaning: string;
}

/**
 * Throws when `id` cannot name a new construct in `scope`: it is empty, or another construct
 * of the scope has it. Called before `super`, since `constructs` refuses both with messages
 * that name neither the place nor the fix. A throw rather than an error annotation: a
 * construct without its own id cannot be created, so there is nothing to attach one to.
 */
export function assertUsableId(scope: IConstruct | undefined, id: unknown, idMeaning: IdMeaning): void {
  const place = scope?.node?.path || 'app';
  const { what, example, meaning } = idMeaning;
  if (id === undefined || id === null || id === '') {
    throw new Error(`[${place}] ${what} was given an empty id; give it a name such as '${example}' (${meaning})`);
  }
  const holder = typeof id === 'string' ? scope?.node?.tryFindChild(id) : undefined;
  if (holder !== undefined) {
    throw new Error(
      `[${place}] ${what} was given the id "${id}", which ${holder.constructor.name} ${holder.node.path} already has in this scope; ` +
        `give one of the two another id (${meaning})`,
    );
  }
}
