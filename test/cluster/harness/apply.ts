import type { KubeObject } from '../examples';
import type { Cluster } from './cluster';

/** Who the tests' server-side applies are by: a second apply by the same manager is a no-op. */
export const FIELD_MANAGER = 'cdk-compose-tests';

/** `Deployment/api`, how the tests and the known-failure lists name an object. */
export function objectKey(object: KubeObject): string {
  return `${object.kind}/${object.metadata.name}`;
}

/**
 * The objects as `kubectl apply -f -` reads them: one JSON List, since what the objects were
 * parsed into is then what kubectl reads, whatever YAML version it speaks (kubectl takes a
 * stream that starts with JSON for JSON alone, so `---` cannot separate them).
 */
export function manifestStream(objects: readonly KubeObject[]): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects });
}

/** `deployment.apps/api`, `service/api`: how kubectl names an object in its output. */
function kubectlName(object: KubeObject): string {
  const group = object.apiVersion.includes('/') ? `.${object.apiVersion.split('/')[0]}` : '';
  return `${object.kind.toLowerCase()}${group}/${object.metadata.name}`;
}

/** What one `kubectl apply --server-side` did. */
export interface ApplyResult {
  readonly status: number;
  /** The warnings the server sent per applied object (Pod Security's among them), by objectKey. */
  readonly warnings: ReadonlyMap<string, string[]>;
  /** Objects kubectl reported as applied, by objectKey. */
  readonly applied: readonly string[];
  /** Every other line: the server's rejections. */
  readonly errors: readonly string[];
  readonly output: string;
}

export interface ApplyOptions {
  /** Only `--dry-run=server`: validation, defaulting and admission, nothing stored. */
  readonly dryRun?: boolean;
}

/**
 * `kubectl apply --server-side --validate=strict` of `objects` into `namespace`. The server
 * rejects unknown and duplicate fields (strict field validation), invalid values, and whatever
 * admission refuses; the result sorts its lines into per-object warnings, applied objects and
 * errors.
 */
export function applyServerSide(cluster: Cluster, namespace: string, objects: readonly KubeObject[], options: ApplyOptions = {}): ApplyResult {
  const args = ['apply', '--server-side', `--field-manager=${FIELD_MANAGER}`, '--validate=strict', '-n', namespace, '-f', '-'];
  if (options.dryRun) args.push('--dry-run=server');
  const result = cluster.kubectl(args, { input: manifestStream(objects), combined: true });
  const keys = new Map(objects.map((o) => [kubectlName(o), objectKey(o)]));
  const warnings = new Map<string, string[]>();
  const applied: string[] = [];
  const errors: string[] = [];
  let pending: string[] = [];
  for (const line of result.stdout.split('\n').filter((l) => l.trim() !== '')) {
    const warning = /^Warning: (.*)$/.exec(line);
    if (warning) {
      pending.push(warning[1]);
      continue;
    }
    const done = /^(\S+) serverside-applied(?: \(server dry run\))?$/.exec(line);
    const key = done && keys.get(done[1]);
    if (key) {
      applied.push(key);
      if (pending.length > 0) warnings.set(key, [...(warnings.get(key) ?? []), ...pending]);
      pending = [];
      continue;
    }
    errors.push(line);
  }
  // Warnings followed by no object line belong to an object that was rejected.
  errors.push(...pending.map((w) => `Warning: ${w}`));
  return { status: result.status, warnings, applied, errors, output: result.stdout };
}
