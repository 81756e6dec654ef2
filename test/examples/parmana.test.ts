import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, SynthesizedStack, Testing } from '../../lib';
import { KubernetesObject } from '../../lib/render/k8s';
import { interpolate } from '../../lib/validate/connections';
import { DASHBOARD_IMAGE_DEV, DASHBOARD_IMAGE_PROD, ParmanaEnvironment, SERVER_IMAGE, defineParmana } from '../../examples/parmana/app';
import { checkStackOutput } from '../support/real-tools';

type AnyRecord = Record<string, any>;
const ENVIRONMENTS: ParmanaEnvironment[] = ['dev', 'prod'];

function find(out: SynthesizedStack, kind: string, name: string): AnyRecord {
  const found = out.manifests.find((o: KubernetesObject) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in ${out.manifests.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`);
  return found as AnyRecord;
}

function podSpec(out: SynthesizedStack, kind: string, name: string): AnyRecord {
  return find(out, kind, name).spec.template.spec;
}

describe('the parmana example', () => {
  let outdir: string;
  const out = {} as Record<ParmanaEnvironment, SynthesizedStack>;

  beforeAll(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdkc-parmana-'));
    const app = new App({ outdir, printSummary: false });
    const stacks = { dev: defineParmana(app, 'dev'), prod: defineParmana(app, 'prod') };
    app.synth();
    for (const environment of ENVIRONMENTS) out[environment] = Testing.synth(stacks[environment]);
  });

  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  it.each(ENVIRONMENTS)('passes the Compose schema, docker-compose config, the Kubernetes schemas and kubectl kustomize (parmana-%s)', (environment) => {
    expect(() => checkStackOutput(path.join(outdir, `parmana-${environment}`))).not.toThrow();
  });

  it.each(ENVIRONMENTS)('matches the snapshot (parmana-%s)', (environment) => {
    expect(out[environment].files).toMatchSnapshot();
  });

  describe.each(ENVIRONMENTS)('parmana-%s', (environment) => {
    const compose = () => out[environment].compose!.services as AnyRecord;
    const o = () => out[environment];

    it('runs the four services of the seed, each reachable only from those that connect to it', () => {
      expect(Object.keys(compose())).toEqual(['postgres', 'redis', 'server', 'dashboard']);
      // Stricter than the seed's one parmana-net (see the README): the dashboard, which the
      // browser reaches, shares no network with the databases.
      expect(out[environment].compose!.networks).toEqual({ 'reach-postgres': {}, 'reach-redis': {} });
      expect(compose().server.networks).toEqual(['reach-postgres', 'reach-redis']);
      expect(compose().postgres.networks).toEqual(['reach-postgres']);
      expect(compose().redis.networks).toEqual(['reach-redis']);
      expect(compose().dashboard.networks).toBeUndefined();
      for (const service of Object.values(compose())) expect(service.restart).toBe('unless-stopped');
    });

    it('keeps the audit database on Postgres 16 with its data on a volume and a claim', () => {
      expect(compose().postgres).toMatchObject({ image: 'postgres:16-alpine', volumes: ['postgres_data:/var/lib/postgresql/data'] });
      expect(compose().postgres.environment).toMatchObject({ POSTGRES_DB: 'parmana', POSTGRES_USER: 'parmana' });
      // The seed's volume name, so that the data of its Compose project is the data here.
      expect(Object.keys(out[environment].compose!.volumes!)).toEqual(['redis-data', 'postgres_data']);
      expect(find(o(), 'PersistentVolumeClaim', 'postgres-data').spec.resources.requests.storage).toBe('20Gi');
    });

    it('runs Redis 7 with an append-only file on a volume', () => {
      expect(compose().redis).toMatchObject({
        image: 'redis:7',
        command: ['redis-server', '--appendonly', 'yes'],
        volumes: ['redis-data:/data'],
      });
      expect(find(o(), 'StatefulSet', 'redis').spec.volumeClaimTemplates[0].metadata.name).toBe('data');
    });

    it('wires AUDIT_DATABASE_URL and REDIS_URL through connect(), the signing key as a secret, and CORS_ORIGIN for the dashboard', () => {
      expect(compose().server.environment).toEqual({
        PARMANA_SIGNING_KEY: '${PARMANA_SIGNING_KEY:?set PARMANA_SIGNING_KEY in .env (see .env.example)}',
        CORS_ORIGIN: 'http://localhost:8081',
        REDIS_URL: 'redis://redis:6379/0',
        AUDIT_DATABASE_URL: 'postgresql://parmana:${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env (see .env.example)}@postgres:5432/parmana',
      });
      const env = podSpec(o(), 'Deployment', 'server').containers[0].env;
      const secretRef = (key: string) => ({ name: key, valueFrom: { secretKeyRef: { name: `parmana-${environment}-secrets`, key } } });
      expect(env).toEqual([
        secretRef('PARMANA_SIGNING_KEY'),
        secretRef('POSTGRES_PASSWORD'),
        { name: 'CORS_ORIGIN', value: 'http://localhost:8081' },
        { name: 'REDIS_URL', value: 'redis://redis:6379/0' },
        { name: 'AUDIT_DATABASE_URL', value: 'postgresql://parmana:$(POSTGRES_PASSWORD)@postgres:5432/parmana' },
      ]);
      const names = o().files['.env.example'].split('\n').filter((l) => /^[A-Z_]+=/.test(l));
      expect(names).toEqual(['PARMANA_SIGNING_KEY=', 'POSTGRES_PASSWORD=']);
    });

    it('starts the server after Redis (required) and Postgres (its audit log) are healthy, on both targets', () => {
      expect(compose().server.depends_on).toEqual({
        redis: { condition: 'service_healthy' },
        postgres: { condition: 'service_healthy' },
      });
      const waits = podSpec(o(), 'Deployment', 'server').initContainers.map((c: { command: string[] }) => c.command.join(' '));
      expect(waits).toEqual([expect.stringContaining('until nc -z -w 2 redis 6379'), expect.stringContaining('until nc -z -w 2 postgres 5432')]);
      expect(compose().dashboard.depends_on).toBeUndefined();
      expect(compose().postgres.depends_on).toBeUndefined();
      expect(compose().redis.depends_on).toBeUndefined();
    });

    it('checks Postgres and Redis as the images document, with probes of the same timings on Kubernetes', () => {
      expect(compose().postgres.healthcheck).toEqual({
        test: ['CMD', 'pg_isready', '-U', 'parmana', '-d', 'parmana'],
        interval: '10s',
        timeout: '5s',
        retries: 5,
      });
      expect(compose().redis.healthcheck).toEqual({ test: ['CMD', 'redis-cli', 'ping'], interval: '10s', timeout: '3s', retries: 5 });
      expect(podSpec(o(), 'StatefulSet', 'redis').containers[0].readinessProbe).toEqual({
        exec: { command: ['redis-cli', 'ping'] },
        periodSeconds: 10,
        timeoutSeconds: 3,
        failureThreshold: 5,
      });
      // The seed gives the server no health check and its image's probe tools are unknown.
      expect(compose().server.healthcheck).toBeUndefined();
      expect(podSpec(o(), 'Deployment', 'server').containers[0].readinessProbe).toBeUndefined();
    });

    it('serves the server on port 3000 from its pinned image, the release chosen at deploy time in prod', () => {
      expect(interpolate(compose().server.image)).toBe(SERVER_IMAGE);
      if (environment === 'prod') expect(compose().server.image).toBe('ghcr.io/pavancharak/parmanasystems/server:${RELEASE_TAG:-1.0.0}');
      expect(compose().server.ports).toEqual(['3000:3000']);
      expect(podSpec(o(), 'Deployment', 'server').containers[0]).toMatchObject({
        image: SERVER_IMAGE,
        ports: [{ name: 'http', containerPort: 3000, protocol: 'TCP' }],
      });
    });
  });

  it('builds the server from packages/server/Dockerfile in dev and pulls the released image in prod', () => {
    expect(SERVER_IMAGE).toBe('ghcr.io/pavancharak/parmanasystems/server:1.0.0');
    expect((out.dev.compose!.services as AnyRecord).server.build).toEqual({ context: '../../examples/parmana', dockerfile: 'packages/server/Dockerfile' });
    expect((out.prod.compose!.services as AnyRecord).server.build).toBeUndefined();
  });

  it('publishes the Postgres and Redis ports in dev only, and no port of theirs is reachable from outside in prod', () => {
    const dev = out.dev.compose!.services as AnyRecord;
    const prod = out.prod.compose!.services as AnyRecord;
    expect(dev.postgres.ports).toEqual(['5433:5432']);
    expect(dev.redis.ports).toEqual(['6380:6379']);
    expect(prod.postgres.ports).toBeUndefined();
    expect(prod.redis.ports).toBeUndefined();
    for (const out_ of [out.dev, out.prod]) {
      expect(find(out_, 'Service', 'postgres').spec.clusterIP).toBe('None');
      expect(find(out_, 'Service', 'redis').spec.clusterIP).toBe('None');
    }
  });

  it('gives the server a public TLS endpoint in prod only, and nothing else an Ingress', () => {
    expect(out.dev.manifests.filter((o) => o.kind === 'Ingress')).toEqual([]);
    const ingresses = out.prod.manifests.filter((o) => o.kind === 'Ingress') as AnyRecord[];
    expect(ingresses.map((i) => i.metadata.name)).toEqual(['server']);
    expect(ingresses[0].spec.tls).toEqual([{ hosts: ['parmana.example.com'], secretName: 'parmana-example-com-tls' }]);
    expect(ingresses[0].spec.rules[0].http.paths[0].backend).toEqual({ service: { name: 'server', port: { name: 'http' } } });
  });

  it('runs the dashboard from latest in dev only, pinned in prod, and keeps it on the host\'s loopback in prod', () => {
    const dev = (out.dev.compose!.services as AnyRecord).dashboard;
    const prod = (out.prod.compose!.services as AnyRecord).dashboard;
    expect(dev).toMatchObject({ image: DASHBOARD_IMAGE_DEV, ports: ['8081:80'] });
    expect(DASHBOARD_IMAGE_DEV).toMatch(/:latest$/);
    expect(prod).toMatchObject({ image: 'ghcr.io/pavancharak/parmanasystems/dashboard:${RELEASE_TAG:-1.0.0}', ports: ['127.0.0.1:8081:80'] });
    expect(interpolate(prod.image)).toBe(DASHBOARD_IMAGE_PROD);
    expect(DASHBOARD_IMAGE_PROD).not.toMatch(/:latest$/);
    expect(podSpec(out.prod, 'Deployment', 'dashboard').containers[0].image).toBe(DASHBOARD_IMAGE_PROD);
    expect(find(out.prod, 'Service', 'dashboard').spec.type).toBe('ClusterIP');
  });
});
