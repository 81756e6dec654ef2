import { IConstruct } from 'constructs';
import { Annotations } from './annotations';

/** What a construct's id means, for the message about an id it cannot have. */
export interface IdMeaning {
  /** The construct, e.g. 'a workload'. */
  readonly what: string;
  /** An id that would do, e.g. 'api'. */
  readonly example: string;
  /** What the id becomes, e.g. 'the id is its Compose service name and Kubernetes object name'. */
  readonly meaning: string;
}

/** The id a construct is created with, and whether it stands in for one it could not have. */
export interface UsableId {
  readonly id: string;
  /** True when `id` stands in for an empty or taken one: its name checks would only repeat the error. */
  readonly standIn: boolean;
}

/**
 * The id to create a construct with in `scope`. An empty id, or one that another construct of
 * the scope has, is an error of the scope that synth reports with all the others; the construct
 * is then created with a stand-in id (`worker~2`), since `constructs` refuses both with a throw
 * that names neither the place nor the fix, and stops the user's app at the first mistake.
 */
export function usableId(scope: IConstruct, id: unknown, idMeaning: IdMeaning): UsableId {
  const problem = idProblem(scope, id, idMeaning);
  if (problem === undefined) return { id: id as string, standIn: false };
  Annotations.of(scope).addError(problem);
  const base = typeof id === 'string' && id !== '' ? id : 'unnamed';
  let n = 2;
  while (scope.node.tryFindChild(`${base}~${n}`)) n++;
  return { id: `${base}~${n}`, standIn: true };
}

/**
 * Throws when `id` cannot name a new construct in `scope`. For a stack, whose scope is the app:
 * the app has no path for synth to report the error at.
 */
export function assertUsableId(scope: IConstruct | undefined, id: unknown, idMeaning: IdMeaning): void {
  const problem = idProblem(scope, id, idMeaning);
  if (problem !== undefined) throw new Error(`[${scope?.node?.path || 'app'}] ${problem}`);
}

function idProblem(scope: IConstruct | undefined, id: unknown, idMeaning: IdMeaning): string | undefined {
  const { what, example, meaning } = idMeaning;
  if (id === undefined || id === null || id === '') {
    return `${what} was given an empty id; give it a name such as '${example}' (${meaning})`;
  }
  const holder = typeof id === 'string' ? scope?.node?.tryFindChild(id) : undefined;
  if (holder !== undefined) {
    return (
      `${what} was given the id "${id}", which ${holder.constructor.name} ${holder.node.path} already has in this scope; ` +
      `give one of the two another id (${meaning})`
    );
  }
  return undefined;
}
