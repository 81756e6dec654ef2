/* eslint-disable @typescript-eslint/no-explicit-any -- parsed YAML is walked freely here */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { helmLint, helmTemplate, kubectlKustomize, validateKubernetesObject } from '../support/real-tools';
import { kubernetesConnections } from '../../lib/validate/connections';
import { differences, generatedConfigMaps, generatedSecrets, jobsOf, normalized, synthExamples } from './chart-support';

const { outdir, stacks } = synthExamples();
afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

/** The release every comparison installs: not the stack's name, so that every name shows it. */
const RELEASE = 'rel';

/** `helm template` of each stack's chart as the release RELEASE, run once for all the tests that read it. */
const rendered = new Map<string, any[]>();
function templated(stack: string): any[] {
  if (!rendered.has(stack)) rendered.set(stack, helmTemplate(path.join(outdir, stack, 'chart'), RELEASE).objects);
  return rendered.get(stack) as any[];
}

describe.each(stacks)('the Helm chart of the example stack %s', (stack) => {
  const chart = path.join(outdir, stack, 'chart');

  it('passes helm lint --strict', () => {
    expect(() => helmLint(chart)).not.toThrow();
  });

  it('renders objects that pass the Kubernetes schemas, and whose hosts reach Services of the release', () => {
    const objects = templated(stack);
    expect(objects.flatMap((o) => validateKubernetesObject(o).map((e) => `${o.kind}/${o.metadata.name}: ${e}`))).toEqual([]);
    expect(kubernetesConnections(objects)).toEqual([]);
  });

  it('renders with its default values the objects kubectl kustomize makes of k8s/, but for the names and labels of the release', () => {
    // GIVEN both renderings of the stack
    const kustomized = kubectlKustomize(path.join(outdir, stack, 'k8s')).objects;
    const kustomization = parse(fs.readFileSync(path.join(outdir, stack, 'k8s', 'kustomization.yaml'), 'utf8'));
    const helm = templated(stack);
    // WHEN only the differences docs/helm.md lists are taken off each (names of the release, Jobs'
    // digests, generated names' hashes, management labels, the Secret, the namespace)
    const options = { jobs: jobsOf(kustomized), generated: generatedConfigMaps(kustomization) };
    const expected = normalized(kustomized, { tool: 'kustomize', stack, namespace: kustomization.namespace, secrets: generatedSecrets(kustomization) }, options);
    const version = parse(fs.readFileSync(path.join(chart, 'Chart.yaml'), 'utf8')).version;
    const actual = normalized(helm, { tool: 'helm', fullname: `${RELEASE}-${stack}`, release: RELEASE, chartLabel: `${stack}-${version}` }, options);
    // THEN they are the same objects, field for field
    expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [key, object] of expected) expect({ key, differ: differences(actual.get(key), object) }).toEqual({ key, differ: [] });
    expect(expected.size).toBeGreaterThan(3);
    compared.set(stack, expected.size);
  });

  it('shares no object name with a second release of it in the namespace', () => {
    const names = (objects: any[]) => objects.map((o) => `${o.kind}/${o.metadata.name}`);
    const second = names(helmTemplate(chart, 'second').objects);
    expect(second).toHaveLength(templated(stack).length);
    expect(second.filter((name) => names(templated(stack)).includes(name))).toEqual([]);
  });

  it("waits for its Jobs by the names Helm gives them, and the waiters' Role reads exactly those", () => {
    // (the comparison above takes the Jobs' digests off, so it cannot see a wait for a stale name)
    const objects = templated(stack);
    const jobs = objects.filter((o) => o.kind === 'Job').map((o) => o.metadata.name);
    const waits = objects
      .flatMap((o) => o.spec?.template?.spec?.initContainers ?? [])
      .map((c: any) => c.command ?? [])
      .filter((command: string[]) => command[0] === 'kubectl' && command.includes('wait'))
      .map((command: string[]) => String(command.at(-1)).replace(/^job\//, ''));
    expect(waits.filter((name: string) => !jobs.includes(name))).toEqual([]);
    const readable = objects.filter((o) => o.kind === 'Role').flatMap((o) => o.rules.flatMap((r: any) => r.resourceNames ?? []));
    expect([...new Set(readable)].sort()).toEqual([...new Set(waits)].sort());
    if (waits.length > 0) waited.set(stack, waits.length);
  });
});

const waited = new Map<string, number>();
afterAll(() => {
  if (waited.size > 0) process.stdout.write(`waits for Jobs checked against the Jobs Helm renders: ${[...waited].map(([s, n]) => `${s} ${n}`).join(', ')}\n`);
});

const compared = new Map<string, number>();
afterAll(() => {
  if (compared.size > 0) process.stdout.write(`objects compared with kubectl kustomize: ${[...compared].map(([s, n]) => `${s} ${n}`).join(', ')}\n`);
});

describe('the hosts the example charts reach', () => {
  it("reaches another stack's Services by the names externalHosts gives (srvthreds-app-prod: redis, rabbitmq, mongo-repl-1)", () => {
    // GIVEN the infra stack installed as the release "infra", whose Services are infra-srvthreds-infra-prod-<name>
    const chart = path.join(outdir, 'srvthreds-app-prod', 'chart');
    const values = ['redis', 'rabbitmq', 'mongo-repl-1'].flatMap((h) => ['--set', `externalHosts.${h}=infra-srvthreds-infra-prod-${h}`]);
    // WHEN the app's chart is rendered with those names
    const objects = helmTemplate(chart, 'app', values).objects;
    const pods = objects.filter((o) => o.spec?.template?.spec);
    // THEN its pods reach them there, and say so
    const texts = JSON.stringify(pods.map((o) => o.spec.template.spec.containers));
    expect(texts).toContain('infra-srvthreds-infra-prod-redis');
    expect(texts).not.toMatch(/[/@"]redis:6379/);
    for (const pod of pods) {
      expect(pod.spec.template.metadata.annotations['cdk-compose.io/reaches-services-of-other-stacks']).toBe(
        'infra-srvthreds-infra-prod-mongo-repl-1,infra-srvthreds-infra-prod-rabbitmq,infra-srvthreds-infra-prod-redis',
      );
    }
  });
});
