import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { kubectlKustomize } from '../support/real-tools';
import { ACKNOWLEDGED, Acknowledgement, acknowledges } from './acknowledged';
import { acknowledgementsMarkdown } from './docs-table';
import { synthAllExamples } from './examples';
import { kubeScore, kubeScoreVersion, LinterFinding } from './kube-score';

const DOCS = path.join(__dirname, '..', '..', 'docs', 'linters.md');

function describeFinding(f: LinterFinding): string {
  const container = f.container ? ` (${f.container}, ${f.image})` : '';
  return `${f.stack}: ${f.object}${container}: ${f.linter} ${f.check}: ${f.message}`;
}

function describeAcknowledgement(a: Acknowledgement): string {
  const scope = [a.stacks && `stacks ${a.stacks}`, a.objects && `objects ${a.objects}`, a.containers && `containers ${a.containers}`, a.images && `images ${a.images}`, a.message && `message ${a.message}`];
  return `${a.linter} ${a.check} [${scope.filter(Boolean).join(', ') || 'everywhere'}]`;
}

describe('Kubernetes linters over the examples', () => {
  let outdir: string;
  const findings: LinterFinding[] = [];

  beforeAll(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdkc-linters-'));
    for (const [stack, k8sDir] of synthAllExamples(outdir)) {
      const { stdout, objects } = kubectlKustomize(k8sDir);
      findings.push(...kubeScore(stack, stdout, objects));
    }
  }, 180_000);

  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  it('runs the kube-score that tools/linters/go.mod pins', () => {
    const pinned = /github\.com\/zegl\/kube-score (v\S+)/.exec(fs.readFileSync(path.join(__dirname, '../../tools/linters/go.mod'), 'utf8'));
    expect(pinned).not.toBeNull();
    expect(kubeScoreVersion()).toContain(`kube-score version: ${pinned![1]}`);
  });

  it('finds nothing in any example that acknowledged.ts does not acknowledge', () => {
    const unacknowledged = findings.filter((f) => !ACKNOWLEDGED.some((a) => acknowledges(a, f)));
    // Fix the output, or add an entry with the reason to test/linters/acknowledged.ts and docs/linters.md.
    expect(unacknowledged.map(describeFinding)).toEqual([]);
  });

  it('has no acknowledgement that matches nothing any more (remove the entries of what was fixed)', () => {
    const stale = ACKNOWLEDGED.filter((a) => !findings.some((f) => acknowledges(a, f)));
    expect(stale.map(describeAcknowledgement)).toEqual([]);
  });

  it('acknowledges each finding once, so that every entry stands for findings of its own', () => {
    const twice = findings.filter((f) => ACKNOWLEDGED.filter((a) => acknowledges(a, f)).length > 1);
    expect(twice.map(describeFinding)).toEqual([]);
  });

  it('gives every acknowledgement a reason, and every library defect a TODO saying what the library should do', () => {
    for (const a of ACKNOWLEDGED) {
      expect(a.reason.length).toBeGreaterThan(40);
      expect(a.reason.startsWith('TODO:')).toBe(a.category === 'library-defect');
    }
  });

  it('lists every acknowledgement in docs/linters.md', () => {
    // After changing acknowledged.ts: npx ts-node --transpile-only test/linters/docs-table.ts
    expect(fs.readFileSync(DOCS, 'utf8')).toContain(acknowledgementsMarkdown());
  });
});

describe('kubeScore', () => {
  const deployment = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: {app.kubernetes.io/name: web}}
spec:
  replicas: 1
  selector: {matchLabels: {app.kubernetes.io/name: web}}
  template:
    metadata: {labels: {app.kubernetes.io/name: web}}
    spec:
      containers:
        - name: web
          image: nginx:latest
`;
  const objects = parseAllDocuments(deployment).map((d) => d.toJS());

  it('reports a finding per problem, naming the check, the object, the container and its image', () => {
    const found = kubeScore('fixture', deployment, objects);
    expect(found).toContainEqual({
      linter: 'kube-score',
      stack: 'fixture',
      check: 'container-image-tag',
      object: 'Deployment/web',
      container: 'web',
      image: 'nginx:latest',
      severity: 'critical',
      message: 'Image with latest tag',
    });
    expect(found).toContainEqual(expect.objectContaining({ check: 'container-resources', container: 'web', message: 'CPU limit is not set' }));
    expect(found).toContainEqual(expect.objectContaining({ check: 'pod-networkpolicy', container: undefined, message: 'The pod does not have a matching NetworkPolicy' }));
  });

  it('ignores the annotations that would let an object switch checks off (kube-score honours them by default)', () => {
    const ignored = deployment.replace('metadata: {name: web,', "metadata: {name: web, annotations: {kube-score/ignore: 'container-image-tag'},");
    const found = kubeScore('fixture', ignored, parseAllDocuments(ignored).map((d) => d.toJS()));
    expect(found).toContainEqual(expect.objectContaining({ check: 'container-image-tag' }));
  });
});

describe('acknowledges', () => {
  const finding: LinterFinding = {
    linter: 'kube-score',
    stack: 'shop-prod',
    check: 'container-resources',
    object: 'Deployment/web',
    container: 'web',
    image: 'ghcr.io/acme/web:1.0.0',
    severity: 'critical',
    message: 'CPU limit is not set',
  };
  const ack = (scope: Partial<Acknowledgement>): Acknowledgement => ({
    linter: 'kube-score',
    check: 'container-resources',
    category: 'example',
    reason: 'a reason',
    ...scope,
  });

  it('matches a finding of its check in every stack and object when it names no scope', () => {
    expect(acknowledges(ack({}), finding)).toBe(true);
    expect(acknowledges(ack({ check: 'container-image-tag' }), finding)).toBe(false);
  });

  it('matches its patterns against the whole name, not a part of it', () => {
    expect(acknowledges(ack({ objects: /Deployment\/web/ }), finding)).toBe(true);
    expect(acknowledges(ack({ objects: /Deployment\/we/ }), finding)).toBe(false);
    expect(acknowledges(ack({ stacks: /shop/ }), finding)).toBe(false);
    expect(acknowledges(ack({ stacks: /shop-(dev|prod)/ }), finding)).toBe(true);
    expect(acknowledges(ack({ images: /ghcr\.io\/acme\/.*/, message: /CPU .*/ }), finding)).toBe(true);
  });

  it('does not match a finding about the pod when it names containers or images', () => {
    const podFinding = { ...finding, check: 'pod-networkpolicy', container: undefined, image: undefined };
    expect(acknowledges(ack({ check: 'pod-networkpolicy' }), podFinding)).toBe(true);
    expect(acknowledges(ack({ check: 'pod-networkpolicy', containers: /.*/ }), podFinding)).toBe(false);
    expect(acknowledges(ack({ check: 'pod-networkpolicy', images: /.*/ }), podFinding)).toBe(false);
  });
});
