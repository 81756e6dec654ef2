/**
 * Runs kube-score (built by tools/linters/build.sh into tools/.bin/) over a stream of Kubernetes
 * objects and turns its JSON report into one finding per problem it names.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** The Kubernetes release kube-score judges API versions against: the kubectl the tests use. */
export const KUBERNETES_VERSION = 'v1.32';

const REPO_ROOT = path.join(__dirname, '..', '..');
const BUILT_BINARY = path.join(REPO_ROOT, 'tools', '.bin', 'kube-score');

/** One problem a linter reports about one object (and, for most checks, one of its containers). */
export interface LinterFinding {
  readonly linter: 'kube-score';
  /** The stack whose output it is in. */
  readonly stack: string;
  /** The linter's id of the check (`container-resources`). */
  readonly check: string;
  /**
   * `Kind/workload`: the object's `app.kubernetes.io/name` label, else its name. A Job's name
   * carries a digest of its spec (decision 2); the label does not.
   */
  readonly object: string;
  /** The container the finding is about; undefined when it is about the pod or the object. */
  readonly container?: string;
  /** That container's image. */
  readonly image?: string;
  readonly severity: 'critical' | 'warning';
  /** The linter's own words (`CPU limit is not set`). */
  readonly message: string;
}

/** The part of kube-score's `-o json` (output version v2) report that is read here. */
interface ScoredObject {
  readonly type_meta: { readonly kind: string };
  readonly object_meta: { readonly name: string; readonly labels?: Record<string, string> };
  readonly checks: ReadonlyArray<{
    readonly check: { readonly id: string; readonly name: string };
    readonly grade: number;
    readonly skipped: boolean;
    readonly comments: ReadonlyArray<{ readonly path: string; readonly summary: string }> | null;
  }>;
}

/** kube-score's grades (scorecard.Grade): 1 critical, 5 warning, 7 almost OK, 10 all OK. */
const GRADE_ALL_OK = 10;
const GRADE_WARNING = 5;

function kubeScoreBinary(): string {
  if (fs.existsSync(BUILT_BINARY)) return BUILT_BINARY;
  const onPath = spawnSync('kube-score', ['version'], { encoding: 'utf8' });
  if (!onPath.error) return 'kube-score';
  throw new Error(`kube-score is not built: run \`bash tools/linters/build.sh\` (it writes ${path.relative(REPO_ROOT, BUILT_BINARY)}; .ci/run does this)`);
}

/** The version line of the kube-score the tests run. */
export function kubeScoreVersion(): string {
  const result = spawnSync(kubeScoreBinary(), ['version'], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`kube-score version failed: ${result.stderr}`);
  return result.stdout.trim();
}

type Container = { name?: unknown; image?: unknown };

/** Every container of an object's pod (template), init containers included, by name. */
function containersOf(object: any): Map<string, Container> {
  const pod = object?.kind === 'Pod' ? object.spec : object?.spec?.template?.spec ?? object?.spec?.jobTemplate?.spec?.template?.spec;
  const all: Container[] = [...(pod?.initContainers ?? []), ...(pod?.containers ?? [])];
  return new Map(all.filter((c) => typeof c.name === 'string').map((c) => [c.name as string, c]));
}

function workloadName(meta: ScoredObject['object_meta']): string {
  return meta.labels?.['app.kubernetes.io/name'] ?? meta.name;
}

/**
 * Scores the objects of `yaml` (a multi-document stream, as `kubectl kustomize` prints it) and
 * returns every problem kube-score reports. `objects` are the same objects parsed, to name the
 * image of the container a finding is about.
 *
 * Annotations that switch checks off or on (`kube-score/ignore`) are disabled: what the output
 * is allowed to break is written in test/linters/acknowledged.ts, nowhere else.
 */
export function kubeScore(stack: string, yaml: string, objects: readonly any[]): LinterFinding[] {
  const args = [
    'score', '-o', 'json', '--kubernetes-version', KUBERNETES_VERSION,
    '--disable-ignore-checks-annotations', '--disable-optional-checks-annotations', '-',
  ];
  const result = spawnSync(kubeScoreBinary(), args, { input: yaml, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  // kube-score exits 1 when it found a critical problem, which is what is asked of it here.
  if (result.status !== 0 && result.status !== 1) {
    throw new Error(`kube-score ${args.join(' ')} failed (exit ${result.status ?? result.signal}):\n${result.stderr.trim()}`);
  }
  const scored = JSON.parse(result.stdout) as ScoredObject[];

  const findings: LinterFinding[] = [];
  for (const object of scored) {
    const kind = object.type_meta.kind;
    const source = objects.find((o) => o?.kind === kind && o?.metadata?.name === object.object_meta.name);
    const containers = containersOf(source);
    for (const { check, grade, skipped, comments } of object.checks) {
      if (skipped || grade >= GRADE_ALL_OK) continue;
      const severity = grade < GRADE_WARNING ? 'critical' : 'warning';
      const problems = comments && comments.length > 0 ? comments : [{ path: '', summary: check.name }];
      for (const { path: where, summary } of problems) {
        const container = containers.get(where);
        findings.push({
          linter: 'kube-score',
          stack,
          check: check.id,
          object: `${kind}/${workloadName(object.object_meta)}`,
          container: container ? where : undefined,
          image: typeof container?.image === 'string' ? container.image : undefined,
          severity,
          message: container || where === '' ? summary : `${where}: ${summary}`,
        });
      }
    }
  }
  return findings;
}
