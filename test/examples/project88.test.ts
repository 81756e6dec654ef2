import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { App, Stack, SynthesizedStack, Testing } from '../../lib';
import { KubernetesObject } from '../../lib/render/k8s';
import { IMAGES, defineProject88 } from '../../examples/project88/app';
import { checkStackOutput } from '../support/real-tools';
import { interpolate } from '../../lib/validate/connections';
import { readTree } from '../support/files';

type AnyRecord = Record<string, any>;
type Environment = 'dev' | 'prod';
const ENVIRONMENTS: Environment[] = ['dev', 'prod'];

function find(out: SynthesizedStack, kind: string, name: string): AnyRecord {
  const found = out.manifests.find((o: KubernetesObject) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in ${out.manifests.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`);
  return found as AnyRecord;
}

function podSpec(out: SynthesizedStack, kind: string, name: string): AnyRecord {
  return find(out, kind, name).spec.template.spec;
}

function container(out: SynthesizedStack, kind: string, name: string): AnyRecord {
  return podSpec(out, kind, name).containers[0];
}

function envOf(c: AnyRecord): Record<string, unknown> {
  return Object.fromEntries((c.env as AnyRecord[]).map((e) => [e.name, e.value ?? e.valueFrom]));
}

function synthInto(outdir: string): Record<Environment, Stack> {
  const app = new App({ outdir, printSummary: false });
  const stacks = { dev: defineProject88(app, 'dev'), prod: defineProject88(app, 'prod') };
  app.synth();
  return stacks;
}

describe('the project88 example', () => {
  let outdir: string;
  const out = {} as Record<Environment, SynthesizedStack>;
  const compose = {} as Record<Environment, AnyRecord>;

  beforeAll(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdkc-project88-'));
    const stacks = synthInto(outdir);
    // Testing.synth sees the app from a fixed place, so relative paths in the snapshot do not
    // depend on where the temporary folder is.
    for (const environment of ENVIRONMENTS) {
      out[environment] = Testing.synth(stacks[environment]);
      compose[environment] = parse(fs.readFileSync(path.join(outdir, `p88-${environment}`, 'compose.yaml'), 'utf8'));
    }
  });

  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  it.each(ENVIRONMENTS)('passes the Compose schema, docker-compose config, the Kubernetes schemas and kubectl kustomize (p88-%s)', (environment) => {
    expect(() => checkStackOutput(path.join(outdir, `p88-${environment}`))).not.toThrow();
  });

  it.each(ENVIRONMENTS)('matches the snapshot (p88-%s)', (environment) => {
    expect(out[environment].files).toMatchSnapshot();
  });

  it('writes the same bytes on a second run', () => {
    const again = fs.mkdtempSync(path.join(os.tmpdir(), 'cdkc-project88-again-'));
    try {
      synthInto(again);
      for (const environment of ENVIRONMENTS) {
        expect(readTree(path.join(again, `p88-${environment}`))).toEqual(readTree(path.join(outdir, `p88-${environment}`)));
      }
    } finally {
      fs.rmSync(again, { recursive: true, force: true });
    }
  });

  it("runs the seed's ${WEB_REPLICAS} web replicas, 2 by default in production and 1 in development, on both targets", () => {
    expect(compose.prod.services.web.deploy.replicas).toBe('${WEB_REPLICAS:-2}');
    expect(find(out.prod, 'Deployment', 'web').spec.replicas).toBe(2);
    expect(out.prod.kustomization!.replicas).toEqual([{ name: 'web', count: 2 }]);
    expect(compose.dev.services.web.deploy.replicas).toBe('${WEB_REPLICAS:-1}');
    expect(find(out.dev, 'Deployment', 'web').spec.replicas).toBe(1);
    expect(out.dev.kustomization!.replicas).toEqual([{ name: 'web', count: 1 }]);
  });

  it.each(ENVIRONMENTS)('limits web to half a CPU and 512m on both targets (p88-%s)', (environment) => {
    expect(compose[environment].services.web.deploy.resources).toEqual({ limits: { cpus: '0.5', memory: '512m' } });
    expect(container(out[environment], 'Deployment', 'web').resources).toEqual({ limits: { cpu: '500m', memory: '512Mi' } });
  });

  it.each(ENVIRONMENTS)('checks web with GET /health every 10s, 3s timeout, 5 retries (p88-%s)', (environment) => {
    expect(compose[environment].services.web.healthcheck).toEqual({
      test: ['CMD', 'curl', '-fsS', '-o', '/dev/null', 'http://localhost:8000/health'],
      interval: '10s',
      timeout: '3s',
      retries: 5,
    });
    expect(container(out[environment], 'Deployment', 'web').readinessProbe).toEqual({
      httpGet: { path: '/health', port: 8000 },
      periodSeconds: 10,
      timeoutSeconds: 3,
      failureThreshold: 5,
    });
  });

  it.each(ENVIRONMENTS)('starts web and worker once db is healthy and redis has started (p88-%s)', (environment) => {
    for (const name of ['web', 'worker']) {
      expect(compose[environment].services[name].depends_on).toEqual({
        db: { condition: 'service_healthy' },
        redis: { condition: 'service_started' },
      });
      const kind = 'Deployment';
      const waits = podSpec(out[environment], kind, name).initContainers.map((c: AnyRecord) => c.name);
      expect(waits).toEqual(['wait-for-db', 'wait-for-redis']);
    }
  });

  it.each(ENVIRONMENTS)('reads the env files its ENVIRONMENT parameter chooses, its own environment by default: env_file on Compose, a ConfigMap and envFrom on Kubernetes (p88-%s)', (environment) => {
    const files = out[environment].files;
    expect(compose[environment].services.web.env_file).toEqual([`./env/web.\${ENVIRONMENT:-${environment}}.env`]);
    expect(compose[environment].services.worker.env_file).toEqual([`./env/worker.\${ENVIRONMENT:-${environment}}.env`]);
    for (const choice of ENVIRONMENTS) {
      expect(files[`env/web.${choice}.env`]).toContain(`examples/project88/env/base.env, examples/project88/env/${choice}/web.env (ENVIRONMENT=${choice})`);
      expect(files[`env/web.${choice}.env`]).toMatch(choice === 'dev' ? /^APP_ENV=development$/m : /^APP_ENV=production$/m);
      expect(files[`env/web.${choice}.env`]).toMatch(/^LOG_FORMAT=json$/m);
    }

    const web = container(out[environment], 'Deployment', 'web');
    const configMap = find(out[environment], 'ConfigMap', web.envFrom[0].configMapRef.name);
    expect(configMap.data.APP_ENV).toBe(environment === 'dev' ? 'development' : 'production');
    expect(configMap.data.LOG_FORMAT).toBe('json');
    expect(configMap.data.SMTP_HOST).toBe(environment === 'dev' ? 'mailhog' : 'smtp.eu.mailgun.org');
  });

  it.each(ENVIRONMENTS)('routes web through Traefik labels on Compose and an Ingress on Kubernetes (p88-%s)', (environment) => {
    const host = environment === 'dev' ? 'p88.localhost' : 'p88.example.com';
    const labels = compose[environment].services.web.labels;
    expect(labels['traefik.enable']).toBe('true');
    expect(labels['traefik.http.routers.web.rule']).toBe(`Host(\`${host}\`)`);
    expect(labels['traefik.http.routers.web.entrypoints']).toBe('websecure');
    expect(labels['traefik.http.services.web.loadbalancer.server.port']).toBe('8000');
    expect(labels['traefik.http.routers.web.tls.certresolver']).toBe(environment === 'prod' ? 'letsencrypt' : undefined);

    const traefik = compose[environment].services.traefik;
    expect(traefik.profiles).toEqual(['proxy']);
    expect(traefik.ports).toEqual(['80:80', '443:443']);
    expect(traefik.healthcheck.test).toEqual(['CMD', 'traefik', 'healthcheck', '--ping']);

    expect(find(out[environment], 'Ingress', 'web').spec.rules[0].host).toBe(host);
    expect(find(out[environment], 'Ingress', 'web').spec.tls[0].hosts).toEqual([host]);
    expect(find(out[environment], 'Deployment', 'web').metadata.annotations).toBeUndefined();
    expect(out[environment].manifests.some((m) => m.metadata.name === 'traefik')).toBe(false);
  });

  it('puts Mailhog and pgAdmin in the dev profile, off by default on both targets, and leaves them out of production', () => {
    expect(compose.dev.services.mailhog.profiles).toEqual(['dev']);
    expect(compose.dev.services.mailhog.ports).toEqual(['8025:8025']);
    expect(compose.dev.services.pgadmin.profiles).toEqual(['dev']);
    expect(out.dev.manifests.filter((m) => ['mailhog', 'pgadmin'].includes(m.metadata.name))).toEqual([]);
    expect(out.dev.files['k8s-profiles/dev/deployment-mailhog.yaml']).toContain('kind: Deployment');
    expect(out.dev.files['k8s-profiles/dev/deployment-pgadmin.yaml']).toContain('kind: Deployment');
    expect(Object.keys(out.prod.files).filter((f) => f.startsWith('k8s-profiles/'))).toEqual([]);

    expect(compose.prod.services.mailhog).toBeUndefined();
    expect(compose.prod.services.pgadmin).toBeUndefined();
    expect(out.prod.manifests.filter((m) => ['mailhog', 'pgadmin'].includes(m.metadata.name))).toEqual([]);
  });

  it.each(ENVIRONMENTS)('hardens web and worker: read-only root with /tmp, user 1000:1000, no capabilities (p88-%s)', (environment) => {
    for (const name of ['web', 'worker']) {
      const service = compose[environment].services[name];
      expect(service).toMatchObject({ read_only: true, user: '1000:1000', cap_drop: ['ALL'], tmpfs: ['/tmp'] });
      const c = container(out[environment], 'Deployment', name);
      expect(c.securityContext).toEqual({
        runAsUser: 1000,
        runAsGroup: 1000,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
      });
      expect(c.volumeMounts).toContainEqual({ name: 'tmp-tmp', mountPath: '/tmp' });
      expect(podSpec(out[environment], 'Deployment', name).securityContext.runAsNonRoot).toBe(true);
    }
  });

  it.each(ENVIRONMENTS)('keeps the upstream capabilities of db and search only (p88-%s)', (environment) => {
    const services = compose[environment].services;
    expect(services.db.cap_drop).toBeUndefined();
    expect(services.search.cap_drop).toBeUndefined();
    for (const name of Object.keys(services).filter((n) => n !== 'db' && n !== 'search')) {
      expect([name, services[name].cap_drop]).toEqual([name, ['ALL']]);
    }
  });

  it.each(ENVIRONMENTS)('rotates every container log at 100 MB, 3 files, on Compose (p88-%s)', (environment) => {
    for (const service of Object.values(compose[environment].services) as AnyRecord[]) {
      expect(service.logging).toEqual({ driver: 'json-file', options: { 'max-size': '100m', 'max-file': '3' } });
    }
  });

  it('pins every production image by digest and development images by tag, the app\'s through the IMAGE_REPO and IMAGE_TAG parameters', () => {
    for (const service of Object.values(compose.prod.services) as AnyRecord[]) {
      expect(interpolate(service.image)).toMatch(/:[^:@]+@sha256:[0-9a-f]{64}$/);
    }
    for (const m of out.prod.manifests.filter((o) => ['Deployment', 'StatefulSet', 'DaemonSet'].includes(o.kind))) {
      expect((m as AnyRecord).spec.template.spec.containers[0].image).toMatch(/@sha256:[0-9a-f]{64}$/);
    }
    expect(compose.prod.services.web.image).toBe(`\${IMAGE_REPO:-registry.gitlab.com/p88/app}:\${IMAGE_TAG:-${IMAGES.app.tag}@${IMAGES.app.digest}}`);
    expect(compose.dev.services.web.image).toBe(`\${IMAGE_REPO:-registry.gitlab.com/p88/app}:\${IMAGE_TAG:-${IMAGES.app.tag}}`);
    expect(container(out.prod, 'Deployment', 'web').image).toBe(`registry.gitlab.com/p88/app:${IMAGES.app.tag}@${IMAGES.app.digest}`);
    expect(compose.dev.services.db.image).toBe('postgres:16-alpine');
  });

  it("keeps Postgres data on the seed's db_data volume in production and on a tmpfs in development", () => {
    expect(compose.prod.services.db.volumes).toEqual(['db_data:/var/lib/postgresql/data']);
    expect(find(out.prod, 'PersistentVolumeClaim', 'db-data').spec.resources.requests.storage).toBe('20Gi');

    expect(compose.dev.services.db.tmpfs).toEqual(['/var/lib/postgresql/data']);
    expect(compose.dev.services.db.volumes).toBeUndefined();
    expect(podSpec(out.dev, 'Deployment', 'db').volumes).toEqual([{ name: 'tmp-var-lib-postgresql-data', emptyDir: { medium: 'Memory' } }]);
  });

  it.each(ENVIRONMENTS)("runs a single OpenSearch node with memory lock off on the seed's search_data volume (p88-%s)", (environment) => {
    const search = compose[environment].services.search;
    expect(search.command).toEqual(expect.arrayContaining(['-Ediscovery.type=single-node', '-Ebootstrap.memory_lock=false']));
    expect(search.volumes).toEqual(['search_data:/usr/share/opensearch/data']);
    expect(search.expose).toEqual(['9200', '9600']);
    expect(podSpec(out[environment], 'StatefulSet', 'search').securityContext.fsGroup).toBe(1000);
    expect(compose[environment].services.web.environment.OPENSEARCH_URL).toBe('http://search:9200');
  });

  it.each(ENVIRONMENTS)('keeps redis without persistence (p88-%s)', (environment) => {
    expect(compose[environment].services.redis.command).toEqual(['redis-server', '--save', '', '--appendonly', 'no']);
    expect(compose[environment].services.redis.volumes).toBeUndefined();
    expect(find(out[environment], 'Deployment', 'redis')).toBeDefined();
  });

  it.each(ENVIRONMENTS)('exports traces from web and worker to grafana-agent, which runs on every node with /-/ready on 12345 (p88-%s)', (environment) => {
    for (const name of ['web', 'worker']) {
      expect(compose[environment].services[name].environment.OTEL_EXPORTER_OTLP_ENDPOINT).toBe('http://grafana-agent:4318');
      expect(envOf(container(out[environment], 'Deployment', name)).OTEL_EXPORTER_OTLP_ENDPOINT).toBe('http://grafana-agent:4318');
    }
    const agent = container(out[environment], 'DaemonSet', 'grafana-agent');
    expect(agent.readinessProbe.httpGet).toEqual({ path: '/-/ready', port: 12345 });
    expect(compose[environment].services['grafana-agent'].expose).toEqual(['12345', '4317', '4318']);
  });

  it.each(ENVIRONMENTS)('checks the worker with celery inspect ping and gives it no port (p88-%s)', (environment) => {
    const worker = compose[environment].services.worker;
    expect(worker.healthcheck.test).toEqual(['CMD', 'celery', '-A', 'p88.worker', 'inspect', 'ping', '--timeout', '5']);
    expect(worker.expose).toBeUndefined();
    expect(out[environment].manifests.some((m) => m.kind === 'Service' && m.metadata.name === 'worker')).toBe(false);
  });

  it('never writes a secret value and lists the secrets of each environment', () => {
    expect(out.prod.files['.env.example']).toMatch(/^SMTP_PASSWORD=$/m);
    expect(out.dev.files['.env.example']).not.toMatch(/SMTP_PASSWORD/);
    expect(out.dev.files['.env.example']).toMatch(/^PGADMIN_DEFAULT_PASSWORD=$/m);
    for (const environment of ENVIRONMENTS) {
      expect(out[environment].files['.env.example']).toMatch(/^POSTGRES_PASSWORD=$/m);
      expect(compose[environment].services.web.environment.DATABASE_URL).toBe(
        'postgresql://p88:${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env (see .env.example)}@db:5432/p88',
      );
    }
  });
});
