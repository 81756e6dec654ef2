/* eslint-disable @typescript-eslint/no-explicit-any -- parsed YAML is walked freely here */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { App, ConfigFile, ContainerService, Env, EnvFile, HealthCheck, MigrationJob, Mount, Parameter, Secret, Stack, WebApp } from '../../lib';
import { helmBinary } from '../../lib/validate/helm';
import { defineQuickstart } from '../../examples/quickstart/app';
import { helmLint, helmTemplate, kubectlKustomize } from '../support/real-tools';
import { byKindAndName, differences } from './chart-support';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** Synthesizes the stack `build` defines into a temporary folder; returns its chart's folder. */
function chartOf(build: (app: App) => Stack): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdkc-helm-values-'));
  dirs.push(outdir);
  const app = new App({ outdir, printSummary: false });
  const stack = build(app);
  app.synth();
  return path.join(outdir, stack.stackName, 'chart');
}

function template(chart: string, args: string[] = [], release = 'shop'): Map<string, any> {
  return byKindAndName(helmTemplate(chart, release, args).objects);
}

/** `path: value` of every field that differs between two renderings, by object. */
function changes(before: Map<string, any>, after: Map<string, any>): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    const found = differences(before.get(key), after.get(key));
    if (found.length > 0) result[key] = found;
  }
  return result;
}

function failure(chart: string, args: string[]): string {
  try {
    helmTemplate(chart, 'shop', args);
  } catch (error) {
    return (error as Error).message;
  }
  return 'helm template succeeded';
}

describe('the values of a chart', () => {
  const quickstart = chartOf(defineQuickstart);
  const defaults = template(quickstart);

  it('changes exactly the image of the container and the replicas of the Deployment asked for', () => {
    const after = template(quickstart, ['--set-string', 'workloads.backend.image.tag=1.5.0', '--set', 'workloads.worker.replicas=5']);
    expect(changes(defaults, after)).toEqual({
      'Deployment/shop-quickstart-backend': ['spec.template.spec.containers[0].image'],
      'Deployment/shop-quickstart-worker': ['spec.replicas'],
    });
    expect(after.get('Deployment/shop-quickstart-backend').spec.template.spec.containers[0].image).toBe('ghcr.io/acme/drm-backend:1.5.0');
    expect(after.get('Deployment/shop-quickstart-worker').spec.replicas).toBe(5);
  });

  it('renders the same objects every time', () => {
    expect(changes(defaults, template(quickstart))).toEqual({});
  });

  it.each([
    [['--set', 'workloads.worker.replicas=three'], /replicas.*(integer|number)|got string, want integer/],
    [['--set-string', 'workloads.worker.replicas=3'], /got string, want integer/],
    [['--set', 'workloads.backend.image.tag=2'], /got number, want string/],
    [['--set', 'networkPolicies.enabled=maybe'], /got string, want boolean/],
    [['--set', 'workloads.backend.replica=2'], /additional properties 'replica' not allowed|additionalProperties/],
    [['--set', 'workloads.backend.resources.limits.cpu=lots'], /does not match pattern|anyOf/],
    [['--set', 'workloads.backend.ingress.host=Not A Host'], /does not match pattern/],
  ])('fails through the schema on %j', (args, message) => {
    const text = failure(quickstart, args);
    expect(text).toMatch(/values don't meet the specifications of the schema/);
    expect(text).toMatch(message);
  });

  it('takes the host, TLS Secret and class of the Ingress from values, and leaves out TLS without a Secret', () => {
    const after = template(quickstart, ['--set', 'workloads.backend.ingress.host=shop.example.org,workloads.backend.ingress.className=nginx', '--set', 'workloads.backend.ingress.tlsSecretName=']);
    expect(after.get('Ingress/shop-quickstart-backend').spec).toEqual({
      ingressClassName: 'nginx',
      rules: [{ host: 'shop.example.org', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'shop-quickstart-backend', port: { name: 'http' } } } }] } }],
    });
  });

  it('turns the NetworkPolicies off', () => {
    const after = template(quickstart, ['--set', 'networkPolicies.enabled=false']);
    expect([...defaults.keys()].filter((k) => k.startsWith('NetworkPolicy/'))).toHaveLength(4);
    expect([...after.keys()].filter((k) => k.startsWith('NetworkPolicy/'))).toEqual([]);
  });

  it('renames a Job whose spec a value changes, and the waits and the Role follow it', () => {
    const after = template(quickstart, ['--set-string', 'workloads.db-migrate.image.tag=1.5.0']);
    const job = (objects: Map<string, any>) => [...objects.values()].find((o) => o.kind === 'Job').metadata.name as string;
    expect(job(defaults)).toMatch(/^shop-quickstart-db-migrate-[0-9a-f]{10}$/);
    expect(job(after)).toMatch(/^shop-quickstart-db-migrate-[0-9a-f]{10}$/);
    expect(job(after)).not.toBe(job(defaults));
    const waits = (objects: Map<string, any>) => objects.get('Deployment/shop-quickstart-backend').spec.template.spec.initContainers[0].command.at(-1);
    expect(waits(after)).toBe(`job/${job(after)}`);
    expect(after.get('Role/shop-quickstart-cdk-compose-job-waiter').rules[0].resourceNames).toEqual([job(after)]);
  });

  it('lets two releases live in one namespace: no name in common, every selector of its own release', () => {
    const a = template(quickstart, [], 'blue');
    const b = template(quickstart, [], 'green');
    expect([...a.keys()].filter((k) => b.has(k))).toEqual([]);
    expect([...b.values()].every((o) => o.metadata.labels['app.kubernetes.io/instance'] === 'green')).toBe(true);
    const selectors = [...b.values()].flatMap((o) => [
      o.spec?.selector?.matchLabels ?? (o.kind === 'Service' ? o.spec.selector : undefined),
      o.spec?.podSelector?.matchLabels,
      ...(o.spec?.ingress ?? []).flatMap((rule: any) => (rule.from ?? []).map((peer: any) => peer.podSelector?.matchLabels)),
    ]);
    const ours = selectors.filter((s) => s && s['app.kubernetes.io/part-of'] === 'quickstart');
    expect(ours.length).toBeGreaterThan(10);
    expect(ours.every((s) => s['app.kubernetes.io/instance'] === 'green')).toBe(true);
  });

  it('reaches the Services of its own release by their renamed names, and keeps a bare word that only looks like one', () => {
    const backend = defaults.get('Deployment/shop-quickstart-backend').spec.template.spec;
    expect(backend.containers[0].env).toContainEqual({ name: 'DATABASE_URL', value: 'postgresql+asyncpg://appuser:$(POSTGRES_PASSWORD)@shop-quickstart-db:5432/myapp' });
    expect(backend.initContainers[1].command[2]).toContain('nc -z -w 2 shop-quickstart-db 5432');
    // celery's `worker` command is not the workload worker.
    expect(defaults.get('Deployment/shop-quickstart-worker').spec.template.spec.containers[0].args).toEqual(['celery', '-A', 'app', 'worker', '-l', 'info']);
  });

  it('follows the release in a host variable, an env file and a config file URL, and keeps a word that only names a workload', () => {
    const envFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cdkc-helm-env-')), 'web.env');
    dirs.push(path.dirname(envFile));
    fs.writeFileSync(envFile, 'API_URL=http://api:8080/v1\nGREETING=api\n');
    const chart = chartOf((app) => {
      const stack = new Stack(app, 'shop');
      new ContainerService(stack, 'api', { image: 'ghcr.io/acme/api:1.0.0', ports: [{ port: 8080 }] });
      new ContainerService(stack, 'web', {
        image: 'nginx:1.27',
        ports: [{ port: 80 }],
        env: { API_HOST: 'api', API_PORT: '8080', MODE: 'api' },
        envFiles: [EnvFile.fromFile(envFile)],
        mounts: [Mount.config(ConfigFile.fromString('default.conf', 'server { location / { proxy_pass http://api:8080; } }\n'), '/etc/nginx/conf.d/default.conf')],
      });
      return stack;
    });
    const objects = template(chart, [], 'blue');
    const web = objects.get('Deployment/blue-shop-web').spec.template.spec.containers[0];
    expect(web.env).toEqual(expect.arrayContaining([{ name: 'API_HOST', value: 'blue-shop-api' }, { name: 'MODE', value: 'api' }]));
    const configMaps = [...objects.values()].filter((o) => o.kind === 'ConfigMap');
    expect(configMaps.map((o) => o.data)).toEqual(
      expect.arrayContaining([{ 'default.conf': 'server { location / { proxy_pass http://blue-shop-api:8080; } }\n' }, { API_URL: 'http://blue-shop-api:8080/v1', GREETING: 'api' }]),
    );
  });
});

describe('a chart without workloads', () => {
  it('passes helm lint --strict and renders no object, as kustomize does, when every workload is in a profile Kubernetes leaves out', () => {
    // (found by test/fuzz: values.yaml held `workloads:` alone, which YAML reads as null)
    const chart = chartOf((app) => {
      const stack = new Stack(app, 'shop');
      new ContainerService(stack, 'debug', { image: 'busybox:1.36', command: ['sleep', 'infinity'], profiles: ['debug'] });
      return stack;
    });
    expect(fs.readFileSync(path.join(chart, 'values.yaml'), 'utf8')).toMatch(/^workloads: \{\}$/m);
    expect(() => helmLint(chart)).not.toThrow();
    expect(helmTemplate(chart, 'shop').objects).toEqual([]);
    expect(kubectlKustomize(path.join(chart, '..', 'k8s')).objects).toEqual([]);
  });
});

describe('a chart of a stack with a namespace and a Pod Security level', () => {
  it("renders the manifests' objects but their Namespace, and its NOTES tell how to label the release's namespace", () => {
    const chart = chartOf((app) => {
      const stack = new Stack(app, 'shop', { namespace: 'shop-ns', podSecurity: 'baseline' });
      new WebApp(stack, 'web', { image: 'nginx:1.27', port: 80 });
      return stack;
    });
    const kinds = (objects: any[]) => objects.map((o) => o.kind).sort();
    expect(kinds(kubectlKustomize(path.join(chart, '..', 'k8s')).objects)).toEqual(['Deployment', 'Namespace', 'Service']);
    expect(kinds(helmTemplate(chart, 'shop').objects)).toEqual(['Deployment', 'Service']);
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'cdkc-helm-home-'));
    dirs.push(home);
    const run = spawnSync(helmBinary(), ['install', '--dry-run=client', '--namespace', 'prod', 'shop', chart], { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: home } });
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('  kubectl label namespace prod pod-security.kubernetes.io/enforce=baseline pod-security.kubernetes.io/enforce-version=latest');
  });
});

describe('a chart whose image default is not an image reference', () => {
  it('passes helm lint --strict, and its schema still checks the type of that image', () => {
    // (found by the corpus: airflow's compose file says `${AIRFLOW_IMAGE_NAME:-apache/airflow:|version|}`; synth warns of it)
    const chart = chartOf((app) => {
      const stack = new Stack(app, 'shop');
      const tag = new Parameter(stack, 'AIRFLOW_TAG', { default: '|version|' });
      new ContainerService(stack, 'airflow', { image: `apache/airflow:${tag}`, command: ['airflow', 'scheduler'] });
      return stack;
    });
    expect(() => helmLint(chart)).not.toThrow();
    expect(failure(chart, ['--set', 'workloads.airflow.image.tag=2'])).toMatch(/got number, want string/);
    expect(template(chart, ['--set-string', 'workloads.airflow.image.tag=2.9.1']).get('Deployment/shop-airflow').spec.template.spec.containers[0].image).toBe('apache/airflow:2.9.1');
  });
});

const MARKER = 'secret-marker-5f0c1d';

describe('the parameters of a chart', () => {
  process.env.DB_PASSWORD = MARKER;
  const chart = chartOf((app) => {
    const stack = new Stack(app, 'shop');
    const tag = new Parameter(stack, 'API_TAG', { default: '1.4.2', description: 'the release to run' });
    const mode = new Parameter(stack, 'MODE', { description: 'how it runs' });
    new WebApp(stack, 'api', {
      image: `ghcr.io/acme/api:${tag}`,
      port: 8080,
      healthCheck: HealthCheck.http('/healthz'),
      env: { RELEASE: tag.valueAsString, MODE: mode.valueAsString, DSN: Env.concat('postgres://app:', Secret.fromEnv('DB_PASSWORD'), '@db.example.com/shop') },
    });
    new MigrationJob(stack, 'migrate', { image: `ghcr.io/acme/api:${tag}`, command: ['migrate'], env: { RELEASE: tag.valueAsString } });
    return stack;
  });
  delete process.env.DB_PASSWORD;
  const defaults = template(chart);

  it('passes helm lint --strict', () => {
    expect(() => helmLint(chart)).not.toThrow();
  });

  it('writes each parameter into values, typed and described, and its default into the ConfigMap the pods read', () => {
    const values = fs.readFileSync(path.join(chart, 'values.yaml'), 'utf8');
    expect(values).toMatch(/^parameters:\n {2}API_TAG: 1\.4\.2\n {2}MODE: ""$/m);
    const schema = JSON.parse(fs.readFileSync(path.join(chart, 'values.schema.json'), 'utf8'));
    expect(schema.properties.parameters.properties).toEqual({
      API_TAG: { type: 'string', description: 'the release to run' },
      MODE: { type: 'string', description: 'how it runs Required: the source gives no default.' },
    });
    expect(defaults.get('ConfigMap/shop-parameters').data).toEqual({ API_TAG: '1.4.2', MODE: '' });
    expect(defaults.get('ConfigMap/shop-job-parameters').data).toEqual({ API_TAG: '1.4.2', MODE: '' });
  });

  it('rolls the Deployment when a parameter changes, and leaves the Job, which reads them when it runs', () => {
    const after = template(chart, ['--set-string', 'parameters.MODE=fast']);
    expect(changes(defaults, after)).toEqual({
      'ConfigMap/shop-job-parameters': ['data.MODE'],
      'ConfigMap/shop-parameters': ['data.MODE'],
      'Deployment/shop-api': ['spec.template.metadata.annotations.checksum/parameters'],
    });
  });

  it('never makes a secret a value: the pods read the existing Secret the values name', () => {
    // (the chart was synthesized with DB_PASSWORD set to a marker, above)
    const files = fs.readdirSync(chart, { recursive: true, encoding: 'utf8' }).filter((f) => fs.statSync(path.join(chart, f)).isFile());
    expect(files.filter((f) => fs.readFileSync(path.join(chart, f), 'utf8').includes(MARKER))).toEqual([]);
    expect(JSON.parse(fs.readFileSync(path.join(chart, 'values.schema.json'), 'utf8')).properties.existingSecret.description).toMatch(/keys DB_PASSWORD/);
    const secretRef = (objects: Map<string, any>) => objects.get('Deployment/shop-api').spec.template.spec.containers[0].env.find((e: any) => e.name === 'DB_PASSWORD').valueFrom;
    expect(secretRef(defaults)).toEqual({ secretKeyRef: { name: 'shop-secrets', key: 'DB_PASSWORD' } });
    expect(secretRef(template(chart, ['--set', 'existingSecret=shop-prod']))).toEqual({ secretKeyRef: { name: 'shop-prod', key: 'DB_PASSWORD' } });
    expect([...defaults.values()].filter((o) => o.kind === 'Secret')).toEqual([]);
  });

  it('tells in its NOTES how to create that Secret from the .env file', () => {
    // `helm install --dry-run=client` renders NOTES.txt without a cluster.
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'cdkc-helm-home-'));
    dirs.push(home);
    const run = spawnSync(helmBinary(), ['install', '--dry-run=client', '--namespace', 'shop-ns', 'shop', chart], { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: home } });
    expect(run.stderr).toBe('');
    const notes = run.stdout.slice(run.stdout.indexOf('NOTES:'));
    expect(notes).toContain('Its pods read DB_PASSWORD from the Secret shop-secrets,');
    expect(notes).toContain('kubectl create secret generic shop-secrets --namespace shop-ns --from-env-file=.env');
  });
});
