// The examples' Kubernetes output on a real kube-apiserver and kube-controller-manager: what
// no schema checks (field validation as the server does it, defaulting, Pod Security admission,
// RBAC, what the controllers make of a Deployment, a StatefulSet, a DaemonSet or a Job).
// `npm run cluster`; docs/api-server.md.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, MigrationJob, PostgresService, Secret, Stack, WebApp } from '../../lib';
import { kubectlKustomize } from '../support/real-tools';
import { Deployment, EXAMPLE_FOLDERS, KubeObject, synthesizeExamples } from './examples';
import { ApplyResult, applyServerSide, FIELD_MANAGER, manifestStream, objectKey } from './harness/apply';
import { Cluster, startCluster } from './harness/cluster';
import { Finding, podSecurityViolations, sortFindings } from './harness/findings';
import { expectedPodCount, getJson, isWorkload, namespaceState, podProblems, podsOf, waitedForJob, warningsAbout } from './harness/pods';
import { KNOWN_REJECTIONS, KNOWN_RESTRICTED_VIOLATIONS, POD_SECURITY_LEVEL } from './known-failures';

const REPO = path.resolve(__dirname, '..', '..');

/** How long the controllers may take to create every pod of a deployment. */
const PODS_TIMEOUT_MS = 60_000;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function check(result: { status: number; stdout: string; stderr: string }, what: string): string {
  if (result.status !== 0) throw new Error(`${what} failed (exit ${result.status}):\n${result.stderr || result.stdout}`);
  return result.stdout;
}

/** The Pod Security Standards control a PodSecurity admission message is about. */
function podSecurityControl(message: string): string {
  const controls: [RegExp, string][] = [
    [/^unrestricted capabilities /, 'Capabilities'],
    [/^non-default capabilities /, 'Capabilities'],
    [/^runAsNonRoot != true /, 'Running as Non-root'],
    [/^runAsUser=0 /, 'Running as Non-root user'],
    [/^allowPrivilegeEscalation != false /, 'Privilege Escalation'],
    [/^restricted volume types /, 'Volume Types'],
    [/^hostPath volumes /, 'HostPath Volumes'],
    [/^seccompProfile /, 'Seccomp'],
  ];
  return controls.find(([pattern]) => pattern.test(message))?.[1] ?? `unknown control: ${message}`;
}

function createNamespace(cluster: Cluster, namespace: string): void {
  check(cluster.kubectl(['create', 'namespace', namespace]), `creating namespace ${namespace}`);
}

/** Labels `namespace` for Pod Security admission: `enforce` refuses pods, `warn` reports on workloads. */
function setPodSecurity(cluster: Cluster, namespace: string, enforce: string, warn: string): void {
  check(
    cluster.kubectl([
      'label', '--overwrite', 'namespace', namespace,
      `pod-security.kubernetes.io/enforce=${enforce}`, 'pod-security.kubernetes.io/enforce-version=latest',
      `pod-security.kubernetes.io/warn=${warn}`, 'pod-security.kubernetes.io/warn-version=latest',
    ]),
    `labelling namespace ${namespace}`,
  );
}

/** Every warning and error of an apply, as findings of the objects they name. */
function applyFindings(namespace: string, objects: readonly KubeObject[], result: ApplyResult): Finding[] {
  const keys = objects.map(objectKey);
  const findings: Finding[] = [];
  for (const [object, warnings] of result.warnings) {
    for (const message of warnings) findings.push({ namespace, object, message });
  }
  for (const message of result.errors) {
    // The server's errors name the object as `<Kind> "<name>"` or `<resource> "<name>"`.
    const object = keys.find((key) => {
      const [kind, name] = key.split('/');
      return message.includes(`"${name}"`) && message.toLowerCase().includes(kind.toLowerCase());
    });
    findings.push({ namespace, object: object ?? '-', message });
  }
  if (result.status !== 0 && findings.length === 0) findings.push({ namespace, object: '-', message: `kubectl exited ${result.status}: ${result.output}` });
  return findings;
}

/**
 * The applied objects as stored, less what only the server and the controllers write
 * (resourceVersion, managedFields, status). A no-op apply may still bump the resourceVersion of
 * some kinds (a PersistentVolumeClaim here; kubernetes/kubernetes#95460, #124605), so what is
 * compared is the content.
 */
function storedContent(cluster: Cluster, namespace: string, objects: readonly KubeObject[]): Record<string, unknown> {
  const live = JSON.parse(check(cluster.kubectl(['get', '-n', namespace, '-f', '-', '-o', 'json'], { input: manifestStream(objects) }), 'kubectl get'));
  const items: KubeObject[] = live.kind === 'List' ? live.items : [live];
  return Object.fromEntries(
    items.map((object) => {
      const { status: _status, metadata, ...rest } = object;
      const { resourceVersion: _rv, managedFields: _mf, ...kept } = metadata;
      return [objectKey(object), { ...rest, metadata: kept }];
    }),
  );
}

describe('the API server and controller-manager', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdkc-cluster-examples-'));
  const deployments: Deployment[] = synthesizeExamples(outdir);
  let cluster: Cluster;

  beforeAll(async () => {
    cluster = await startCluster();
  }, 300_000);

  afterAll(async () => {
    await cluster?.stop();
    fs.rmSync(outdir, { recursive: true, force: true });
  });

  it('covers every example under examples/', () => {
    const folders = fs.readdirSync(path.join(REPO, 'examples'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    expect(folders.sort()).toEqual(EXAMPLE_FOLDERS);
    expect(deployments.length).toBeGreaterThanOrEqual(EXAMPLE_FOLDERS.length);
  });

  describe('the harness', () => {
    it('runs Pod Security admission: a privileged pod is refused in a baseline namespace', () => {
      createNamespace(cluster, 'harness-pod-security');
      setPodSecurity(cluster, 'harness-pod-security', 'baseline', 'baseline');
      const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'privileged' }, spec: { containers: [{ name: 'c', image: 'busybox:1.36', securityContext: { privileged: true } }] } };
      const result = applyServerSide(cluster, 'harness-pod-security', [pod], { dryRun: true });
      expect(result.status).not.toBe(0);
      expect(result.errors.join('\n')).toMatch(/violates PodSecurity "baseline:latest": privileged/);
    });

    it('validates fields strictly: an unknown field is an error, not a warning', () => {
      const map = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'strict' }, data: { a: 'b' }, dta: { c: 'd' } };
      const result = applyServerSide(cluster, 'default', [map], { dryRun: true });
      expect(result.status).not.toBe(0);
      expect(result.errors.join('\n')).toMatch(/unknown field "dta"/);
    });
  });

  describe.each(deployments.map((d) => [`${d.namespace} (${d.stacks.join(', ')})`, d] as const))('%s', (_name, deployment) => {
    const { namespace, objects } = deployment;
    const workloads = objects.filter(isWorkload);

    beforeAll(() => createNamespace(cluster, namespace));

    it('lists what Pod Security "restricted" would refuse, and nothing more', () => {
      setPodSecurity(cluster, namespace, POD_SECURITY_LEVEL, 'restricted');
      const findings: Finding[] = [];
      // One kubectl per workload: kubectl prints a warning it has already printed only once.
      for (const workload of workloads) {
        const result = applyServerSide(cluster, namespace, [workload], { dryRun: true });
        for (const warning of result.warnings.get(objectKey(workload)) ?? []) {
          for (const message of podSecurityViolations(warning)) findings.push({ namespace, object: objectKey(workload), message });
        }
      }
      expect(sortFindings(namespace, findings, KNOWN_RESTRICTED_VIOLATIONS)).toEqual({ unexpected: [], fixed: [] });
      // Synth's own check (StackProps.podSecurity) must say what the server says, workload by control.
      const byServer = findings.map((f) => `${f.object.split('/')[1].replace(/-[0-9a-f]{10}$/, '')} ${podSecurityControl(f.message)}`);
      expect([...new Set(byServer)].sort()).toEqual([...new Set(deployment.restrictedBySynth)].sort());
    });

    it(`is accepted by a server-side dry run with strict field validation and Pod Security "${POD_SECURITY_LEVEL}"`, () => {
      setPodSecurity(cluster, namespace, POD_SECURITY_LEVEL, POD_SECURITY_LEVEL);
      const result = applyServerSide(cluster, namespace, objects, { dryRun: true });
      expect(sortFindings(namespace, applyFindings(namespace, objects, result), KNOWN_REJECTIONS).unexpected).toEqual([]);
    });

    it('is applied, and the controllers create every pod its workloads describe', async () => {
      const result = applyServerSide(cluster, namespace, objects);
      const findings = applyFindings(namespace, objects, result);
      const deadline = Date.now() + PODS_TIMEOUT_MS;
      let missing: KubeObject[] = [];
      let pods: any[] = [];
      let replicaSets: any[] = [];
      let events: any[] = [];
      for (;;) {
        pods = getJson(cluster, namespace, ['pods']).items;
        replicaSets = getJson(cluster, namespace, ['replicasets']).items;
        missing = workloads.filter((w) => podsOf(pods, replicaSets, w).length < expectedPodCount(w));
        if (missing.length === 0 || Date.now() > deadline) break;
        // A controller whose pod creation failed retries for ever: its first failure is the answer.
        events = getJson(cluster, namespace, ['events']).items;
        if (missing.every((w) => warningsAbout(events, replicaSets, w).some((e) => e.startsWith('FailedCreate:')))) break;
        await sleep(500);
      }
      for (const workload of missing) {
        const why = warningsAbout(events, replicaSets, workload).join('; ') || 'no warning event';
        findings.push({ namespace, object: objectKey(workload), message: `${podsOf(pods, replicaSets, workload).length} of ${expectedPodCount(workload)} pods created: ${why}` });
      }
      // Every finding of this apply is also one of the dry run: a known one is known there too.
      expect(sortFindings(namespace, findings, KNOWN_REJECTIONS)).toEqual({ unexpected: [], fixed: [] });
    });

    it("creates pods with their templates' init containers and containers, referring only to objects that exist", () => {
      const pods = getJson(cluster, namespace, ['pods']).items;
      const replicaSets = getJson(cluster, namespace, ['replicasets']).items;
      const state = namespaceState(cluster, namespace);
      const names = (containers: any[] | undefined) => (containers ?? []).map((c) => c.name).join(', ');
      const findings: Finding[] = [];
      for (const workload of workloads) {
        const template = workload.spec.template.spec;
        for (const pod of podsOf(pods, replicaSets, workload)) {
          const problems = podProblems(pod, state);
          for (const field of ['initContainers', 'containers']) {
            if (names(pod.spec[field]) !== names(template[field])) problems.push(`pod ${pod.metadata.name} has ${field} [${names(pod.spec[field])}], its template [${names(template[field])}]`);
          }
          findings.push(...problems.map((message) => ({ namespace, object: objectKey(workload), message })));
        }
      }
      expect(sortFindings(namespace, findings, KNOWN_REJECTIONS).unexpected).toEqual([]);
    });

    it('lets the ServiceAccount of every pod that runs `kubectl wait` get and watch the Job it waits for', () => {
      const denied: string[] = [];
      for (const workload of workloads) {
        const spec = workload.spec.template.spec;
        for (const container of [...(spec.initContainers ?? []), ...spec.containers]) {
          const job = waitedForJob(container);
          if (job === undefined) continue;
          const account = `system:serviceaccount:${namespace}:${spec.serviceAccountName ?? 'default'}`;
          for (const verb of ['get', 'watch']) {
            const result = cluster.kubectl(['auth', 'can-i', verb, `job/${job}`, '-n', namespace, `--as=${account}`]);
            if (result.stdout.trim() !== 'yes') denied.push(`${objectKey(workload)} ${container.name}: ${account} may not ${verb} job/${job}`);
          }
        }
      }
      expect(denied).toEqual([]);
    });

    it('changes nothing when the same output is applied again', () => {
      const before = storedContent(cluster, namespace, objects);
      const diff = cluster.kubectl(['diff', '--server-side', `--field-manager=${FIELD_MANAGER}`, '-n', namespace, '-f', '-'], { input: manifestStream(objects) });
      const again = applyServerSide(cluster, namespace, objects);
      const after = storedContent(cluster, namespace, objects);
      // Its error output repeats the server's warnings (Pod Security's); the difference is on stdout.
      expect({ diff: diff.stdout, diffStatus: diff.status, errors: again.errors }).toEqual({ diff: '', diffStatus: 0, errors: [] });
      expect(after).toEqual(before);
    });
  });

  describe('a changed Job spec', () => {
    const NAMESPACE = 'job-digest';

    /** A migration and the API that waits for it; `command` is what changes between releases. */
    function release(command: string[]): KubeObject[] {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdkc-cluster-release-'));
      try {
        const app = new App({ outdir: dir, printSummary: false });
        const stack = new Stack(app, 'shop');
        const db = new PostgresService(stack, 'db', { password: Secret.fromEnv('POSTGRES_PASSWORD') });
        const migrate = new MigrationJob(stack, 'migrate', { image: 'ghcr.io/acme/shop:1.4.2', command }).connect(db, { env: 'DATABASE_URL' });
        new WebApp(stack, 'api', { image: 'ghcr.io/acme/shop:1.4.2', port: 8080, after: [migrate] }).connect(db, { env: 'DATABASE_URL' });
        app.synth();
        return kubectlKustomize(path.join(dir, 'shop', 'k8s')).objects as KubeObject[];
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }

    const jobOf = (objects: KubeObject[]) => objects.find((o) => o.kind === 'Job')!;
    const waiterOf = (objects: KubeObject[]) =>
      objects.find((o) => o.kind === 'Deployment')!.spec.template.spec.initContainers.map(waitedForJob).find((job: string | undefined) => job !== undefined);

    it('becomes a new Job that the API waits for, beside the old one, which a same-named Job could not replace', () => {
      // GIVEN release 1 applied
      const first = release(['./migrate.sh', 'up']);
      const second = release(['./migrate.sh', 'up', '--to', '42']);
      createNamespace(cluster, NAMESPACE);
      setPodSecurity(cluster, NAMESPACE, POD_SECURITY_LEVEL, POD_SECURITY_LEVEL);
      expect(applyServerSide(cluster, NAMESPACE, first).errors).toEqual([]);
      const oldJob = getJson(cluster, NAMESPACE, ['job', jobOf(first).metadata.name]);

      // WHEN release 2, whose migration differs, is applied
      expect(jobOf(second).metadata.name).not.toBe(jobOf(first).metadata.name);
      expect(applyServerSide(cluster, NAMESPACE, second).errors).toEqual([]);

      // THEN both Jobs exist, the old one untouched, and the API now waits for the new one
      const jobs = getJson(cluster, NAMESPACE, ['jobs']).items.map((j: any) => j.metadata.name).sort();
      expect(jobs).toEqual([jobOf(first).metadata.name, jobOf(second).metadata.name].sort());
      const oldAfter = getJson(cluster, NAMESPACE, ['job', jobOf(first).metadata.name]);
      expect(oldAfter.spec.template).toEqual(oldJob.spec.template);
      const deployment = getJson(cluster, NAMESPACE, ['deployment', 'api']);
      expect(deployment.spec.template.spec.initContainers.map(waitedForJob).find((j: string | undefined) => j)).toBe(jobOf(second).metadata.name);
      expect(waiterOf(second)).toBe(jobOf(second).metadata.name);

      // ...and a Job of the old name with the new spec is what the server would refuse.
      const renamed = { ...jobOf(second), metadata: { ...jobOf(second).metadata, name: jobOf(first).metadata.name } };
      const refused = applyServerSide(cluster, NAMESPACE, [renamed], { dryRun: true });
      expect(refused.errors.join('\n')).toMatch(/spec\.template: Invalid value: .*field is immutable/);
    });
  });
});
