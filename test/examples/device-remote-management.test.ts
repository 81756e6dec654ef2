import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, SynthesizedStack, Testing } from '../../lib';
import { KubernetesObject } from '../../lib/render/k8s';
import { BACKEND_IMAGE, DrmEnvironment, FRONTEND_IMAGE, defineDrm } from '../../examples/device-remote-management/app';
import { checkStackOutput } from '../support/real-tools';

type AnyRecord = Record<string, any>;
const ENVIRONMENTS: DrmEnvironment[] = ['dev', 'prod'];
const MIGRATE_SH = fs.readFileSync(path.join(__dirname, '../../examples/device-remote-management/DatabaseContainer/migrate.sh'), 'utf8');

function find(out: SynthesizedStack, kind: string, name: string): AnyRecord {
  // A Job's name carries a digest of its spec; its workload name is in its labels.
  const found = out.manifests.find(
    (o: KubernetesObject) => o.kind === kind && (o.metadata.name === name || o.metadata.labels?.['app.kubernetes.io/name'] === name),
  );
  if (!found) throw new Error(`no ${kind} ${name} in ${out.manifests.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`);
  return found as AnyRecord;
}

function podSpec(out: SynthesizedStack, kind: string, name: string): AnyRecord {
  return find(out, kind, name).spec.template.spec;
}

function initCommands(out: SynthesizedStack, kind: string, name: string): string[] {
  return (podSpec(out, kind, name).initContainers ?? []).map((c: { command: string[] }) => c.command.join(' '));
}

function envOf(out: SynthesizedStack, kind: string, name: string): AnyRecord[] {
  return podSpec(out, kind, name).containers[0].env;
}

describe('the device-remote-management example', () => {
  let outdir: string;
  const out = {} as Record<DrmEnvironment, SynthesizedStack>;

  beforeAll(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdkc-drm-'));
    const app = new App({ outdir, printSummary: false });
    const stacks = { dev: defineDrm(app, 'dev'), prod: defineDrm(app, 'prod') };
    app.synth();
    for (const environment of ENVIRONMENTS) out[environment] = Testing.synth(stacks[environment]);
  });

  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  it.each(ENVIRONMENTS)('passes the Compose schema, docker-compose config, the Kubernetes schemas and kubectl kustomize (drm-%s)', (environment) => {
    expect(() => checkStackOutput(path.join(outdir, `drm-${environment}`))).not.toThrow();
  });

  it.each(ENVIRONMENTS)('matches the snapshot (drm-%s)', (environment) => {
    expect(out[environment].files).toMatchSnapshot();
  });

  describe.each(ENVIRONMENTS)('drm-%s', (environment) => {
    const compose = () => out[environment].compose!.services as AnyRecord;
    const o = () => out[environment];

    it('checks the database with pg_isready every 10s, 5s timeout, 5 retries, on both targets', () => {
      expect(compose().db.healthcheck).toEqual({
        test: ['CMD', 'pg_isready', '-U', 'appuser', '-d', 'myapp'],
        interval: '10s',
        timeout: '5s',
        retries: 5,
      });
      const db = podSpec(o(), 'StatefulSet', 'db').containers[0];
      expect(db.image).toBe('postgres:15-alpine');
      expect(db.readinessProbe).toEqual({
        exec: { command: ['pg_isready', '-U', 'appuser', '-d', 'myapp'] },
        periodSeconds: 10,
        timeoutSeconds: 5,
        failureThreshold: 5,
      });
      expect(db.livenessProbe).toBeUndefined();
    });

    it('runs Redis 7 with an append-only file and checks it with redis-cli ping every 10s, 3s timeout, 5 retries', () => {
      expect(compose().redis).toMatchObject({
        image: 'redis:7-alpine',
        command: ['redis-server', '--appendonly', 'yes'],
        volumes: ['redis_data:/data'],
        healthcheck: { test: ['CMD', 'redis-cli', 'ping'], interval: '10s', timeout: '3s', retries: 5 },
      });
      const redis = find(o(), 'StatefulSet', 'redis');
      expect(redis.spec.template.spec.containers[0].args).toEqual(['redis-server', '--appendonly', 'yes']);
      expect(redis.spec.template.spec.containers[0].readinessProbe).toEqual({
        exec: { command: ['redis-cli', 'ping'] },
        periodSeconds: 10,
        timeoutSeconds: 3,
        failureThreshold: 5,
      });
    });

    it('checks the backend with curl -f on /docs every 30s with a 10s timeout, and the frontend with wget every 30s', () => {
      expect(compose().backend.healthcheck).toEqual({
        test: ['CMD', 'curl', '-fsS', '-o', '/dev/null', 'http://localhost:8080/docs'],
        interval: '30s',
        timeout: '10s',
        retries: 3,
      });
      expect(podSpec(o(), 'Deployment', 'backend').containers[0].readinessProbe).toEqual({
        httpGet: { path: '/docs', port: 8080 },
        periodSeconds: 30,
        timeoutSeconds: 10,
        failureThreshold: 3,
      });
      expect(compose().frontend.healthcheck).toMatchObject({
        test: ['CMD', 'wget', '--quiet', '--tries=1', '--spider', 'http://localhost:80/'],
        interval: '30s',
      });
      expect(podSpec(o(), 'Deployment', 'frontend').containers[0].readinessProbe).toMatchObject({
        httpGet: { path: '/', port: 80 },
        periodSeconds: 30,
      });
    });

    it('starts in the documented order: db and redis healthy, db-migrate completed, then backend and worker, then the frontend', () => {
      const backendDeps = {
        'db-migrate': { condition: 'service_completed_successfully' },
        db: { condition: 'service_healthy' },
        redis: { condition: 'service_healthy' },
      };
      expect(compose()['db-migrate'].depends_on).toEqual({ db: { condition: 'service_healthy' } });
      expect(compose().backend.depends_on).toEqual(backendDeps);
      expect(compose().worker.depends_on).toEqual(backendDeps);
      expect(compose().frontend.depends_on).toEqual({ backend: { condition: 'service_healthy' } });
      expect(compose().db.depends_on).toBeUndefined();
      expect(compose().redis.depends_on).toBeUndefined();
    });

    it('mirrors the order on Kubernetes with init containers that wait for the ports and for the Job', () => {
      const job = find(o(), 'Job', 'db-migrate');
      expect(job.metadata.name).toMatch(/^db-migrate-[0-9a-f]{10}$/);
      expect(initCommands(o(), 'Job', 'db-migrate')).toEqual([expect.stringContaining('until nc -z -w 2 db 5432')]);
      const waits = [
        `kubectl --cache-dir=/tmp/kubectl wait --for=condition=complete --timeout=600s job/${job.metadata.name}`,
        expect.stringContaining('until nc -z -w 2 db 5432'),
        expect.stringContaining('until nc -z -w 2 redis 6379'),
      ];
      expect(initCommands(o(), 'Deployment', 'backend')).toEqual(waits);
      expect(initCommands(o(), 'Deployment', 'worker')).toEqual(waits);
      expect(initCommands(o(), 'Deployment', 'frontend')).toEqual([expect.stringContaining('until nc -z -w 2 backend 8080')]);
      expect(podSpec(o(), 'Deployment', 'backend').serviceAccountName).toBe('cdk-compose-job-waiter');
      expect(podSpec(o(), 'StatefulSet', 'db').initContainers).toBeUndefined();
    });

    it('runs the migration once, as a one-shot Compose service and a Kubernetes Job, with migrate.sh as a config file', () => {
      expect(compose()['db-migrate']).toMatchObject({
        image: 'postgres:15-alpine',
        working_dir: '/workspace',
        container_name: 'drm-db-migrate',
        command: ['sh', '-c', 'echo "psql $$DATABASE_URL" > db_connection.txt && exec sh ./migrate.sh up'],
        // A read-only bind mount of the written file: docker-compose 1.x ignores `configs` outside a swarm.
        volumes: ['./config/db-migrate-migrate-sh/migrate.sh:/workspace/migrate.sh:ro'],
        restart: 'no',
      });
      expect(compose()['db-migrate']).not.toHaveProperty('configs');
      expect(o().compose).not.toHaveProperty('configs');
      expect(o().files['config/db-migrate-migrate-sh/migrate.sh']).toBe(MIGRATE_SH);
      // The mode travels on the file the bind mount shows.
      const written = path.join(outdir, `drm-${environment}`, 'config', 'db-migrate-migrate-sh', 'migrate.sh');
      expect(fs.readFileSync(written, 'utf8')).toBe(MIGRATE_SH);
      expect(fs.statSync(written).mode & 0o777).toBe(0o755);

      const job = find(o(), 'Job', 'db-migrate');
      expect(job.spec.backoffLimit).toBe(0);
      const pod = job.spec.template.spec;
      expect(pod.restartPolicy).toBe('Never');
      expect(pod.containers[0]).toMatchObject({
        image: 'postgres:15-alpine',
        workingDir: '/workspace',
        volumeMounts: [{ mountPath: '/workspace/migrate.sh', subPath: 'migrate.sh', readOnly: true }],
      });
      expect(pod.volumes[0].configMap.items).toEqual([{ key: 'migrate.sh', path: 'migrate.sh', mode: 0o755 }]);
      const configMap = find(o(), 'ConfigMap', pod.volumes[0].configMap.name);
      expect(configMap.data['migrate.sh']).toBe(MIGRATE_SH);
      // A plain postgresql:// URL: psql reads it, unlike the backend's asyncpg one.
      expect(envOf(o(), 'Job', 'db-migrate')).toContainEqual({ name: 'DATABASE_URL', value: 'postgresql://appuser:$(POSTGRES_PASSWORD)@db:5432/myapp' });
    });

    it('mounts migrate.sh into the database image\'s init folder, executable so that it is run rather than sourced', () => {
      expect(compose().db.volumes).toContain('./config/db-migrate-sh/migrate.sh:/docker-entrypoint-initdb.d/migrate.sh:ro');
      expect(compose().db).not.toHaveProperty('configs');
      const written = path.join(outdir, `drm-${environment}`, 'config', 'db-migrate-sh', 'migrate.sh');
      expect(fs.readFileSync(written, 'utf8')).toBe(MIGRATE_SH);
      expect(fs.statSync(written).mode & 0o777).toBe(0o755);
      const db = podSpec(o(), 'StatefulSet', 'db');
      expect(db.containers[0].volumeMounts).toContainEqual({
        name: 'db-migrate-sh',
        mountPath: '/docker-entrypoint-initdb.d/migrate.sh',
        subPath: 'migrate.sh',
        readOnly: true,
      });
      expect(db.volumes).toContainEqual(expect.objectContaining({ name: 'db-migrate-sh' }));
    });

    it('wires the same variables into the backend and the worker, with the secrets as references on both targets', () => {
      const asyncpgUrl = 'postgresql+asyncpg://appuser:${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env (see .env.example)}@db:5432/myapp';
      const shared = {
        JWT_SECRET: '${JWT_SECRET:?set JWT_SECRET in .env (see .env.example)}',
        DATABASE_URL: asyncpgUrl,
        CELERY_BROKER_URL: 'redis://redis:6379/0',
        CELERY_RESULT_BACKEND: 'redis://redis:6379/1',
      };
      expect(compose().backend.environment).toEqual({
        ...shared,
        JWT_EXPIRES_IN: '3600',
        CORS_ORIGINS: environment === 'dev' ? 'http://localhost:3000,http://127.0.0.1:3000' : 'https://drm.example.com',
        ENABLE_SSE: 'true',
        PORT: '8080',
      });
      expect(compose().worker.environment).toEqual(shared);
      expect(compose().worker.command).toEqual(['celery', '-A', 'src.celery_app.celery_app', 'worker', '-l', 'info', '-Q', 'celery']);

      for (const name of ['backend', 'worker']) {
        const env = envOf(o(), 'Deployment', name);
        const secretRef = (key: string) => ({ name: key, valueFrom: { secretKeyRef: { name: `drm-${environment}-secrets`, key } } });
        expect(env).toContainEqual(secretRef('JWT_SECRET'));
        expect(env).toContainEqual(secretRef('POSTGRES_PASSWORD'));
        expect(env).toContainEqual({ name: 'DATABASE_URL', value: 'postgresql+asyncpg://appuser:$(POSTGRES_PASSWORD)@db:5432/myapp' });
        expect(env).toContainEqual({ name: 'CELERY_BROKER_URL', value: 'redis://redis:6379/0' });
        expect(env).toContainEqual({ name: 'CELERY_RESULT_BACKEND', value: 'redis://redis:6379/1' });
      }
      expect(compose().db.environment).toMatchObject({ POSTGRES_DB: 'myapp', POSTGRES_USER: 'appuser', POSTGRES_PORT: '5432' });
    });

    it('lists every secret by name in .env.example and writes no secret value anywhere', () => {
      const names = o().files['.env.example'].split('\n').filter((l) => /^[A-Z_]+=/.test(l));
      expect(names).toEqual(['JWT_SECRET=', 'POSTGRES_PASSWORD=']);
      expect(Object.values(o().files).join('\n')).not.toContain('dbuser123');
      expect(o().kustomization!.secretGenerator).toEqual([
        { name: `drm-${environment}-secrets`, envs: ['.env'] },
        { name: `drm-${environment}-job-secrets`, envs: ['.env'], options: { disableNameSuffixHash: true } },
      ]);
    });

    it('builds the backend, the worker and the frontend from their folders and tags them with the images Kubernetes pulls', () => {
      for (const name of ['backend', 'worker']) {
        expect(compose()[name].image).toBe(BACKEND_IMAGE);
        expect(compose()[name].build).toEqual({ context: '../../examples/device-remote-management/BackendContainer', dockerfile: 'Dockerfile' });
        expect(podSpec(o(), 'Deployment', name).containers[0].image).toBe(BACKEND_IMAGE);
      }
      expect(compose().frontend.image).toBe(FRONTEND_IMAGE);
      expect(compose().frontend.build).toEqual({
        context: '../../examples/device-remote-management/FrontendContainer',
        dockerfile: 'Dockerfile',
        args: { VITE_API_BASE_URL: environment === 'dev' ? 'http://localhost:8080' : 'https://api.drm.example.com' },
      });
      expect(podSpec(o(), 'Deployment', 'frontend').containers[0].image).toBe(FRONTEND_IMAGE);
    });

    it("keeps the data on the seed's named volumes on Compose, which its project's data is, and on claims on Kubernetes", () => {
      expect(Object.keys(out[environment].compose!.volumes!)).toEqual(['postgres_data', 'redis_data', 'backend_uploads']);
      expect(compose().db.volumes).toEqual([
        'postgres_data:/var/lib/postgresql/data',
        './config/db-migrate-sh/migrate.sh:/docker-entrypoint-initdb.d/migrate.sh:ro',
      ]);
      for (const name of ['backend', 'worker']) {
        expect(compose()[name].volumes).toContain('backend_uploads:/app/uploads');
        expect(podSpec(o(), 'Deployment', name).volumes).toContainEqual({ name: 'backend-uploads', persistentVolumeClaim: { claimName: 'backend-uploads' } });
      }
      const uploads = find(o(), 'PersistentVolumeClaim', 'backend-uploads');
      expect(uploads.spec).toEqual({ accessModes: ['ReadWriteMany'], resources: { requests: { storage: '5Gi' } } });
      // The seed's layout on Compose (the cluster at the volume's root); a sub-folder of the claim on Kubernetes.
      expect(compose().db.environment.PGDATA).toBeUndefined();
      expect(podSpec(o(), 'StatefulSet', 'db').containers[0].volumeMounts[0]).toEqual({ name: 'postgres-data', mountPath: '/var/lib/postgresql/data', subPath: 'pgdata' });
      expect(find(o(), 'PersistentVolumeClaim', 'postgres-data').spec.resources.requests.storage).toBe('10Gi');
      expect(find(o(), 'PersistentVolumeClaim', 'redis-data').spec.resources.requests.storage).toBe('1Gi');
    });

    it('keeps each service reachable only from those that connect to it, with its container name and restart policy', () => {
      // Stricter than the seed's one drm-network (see the README): the database and Redis share a
      // network with the workloads that connect to them only; the frontend, which the browser
      // reaches, shares none with them.
      expect(out[environment].compose!.networks).toEqual({ 'reach-db': {}, 'reach-redis': {} });
      const networks: AnyRecord = {
        db: ['reach-db'],
        redis: ['reach-redis'],
        'db-migrate': ['reach-db'],
        backend: ['reach-db', 'reach-redis'],
        worker: ['reach-db', 'reach-redis'],
        frontend: undefined,
      };
      const names: AnyRecord = {
        db: 'drm-database',
        redis: 'drm-redis',
        'db-migrate': 'drm-db-migrate',
        backend: 'drm-backend',
        worker: environment === 'dev' ? 'drm-worker' : undefined,
        frontend: 'drm-frontend',
      };
      for (const [name, service] of Object.entries(compose())) {
        expect(service.networks).toEqual(networks[name]);
        expect(service.container_name).toBe(names[name]);
        expect(service.restart).toBe(name === 'db-migrate' ? 'no' : 'unless-stopped');
      }
    });
  });

  it('publishes the database and Redis ports on the host in dev only, and the backend and frontend in both', () => {
    const dev = out.dev.compose!.services as AnyRecord;
    const prod = out.prod.compose!.services as AnyRecord;
    expect(dev.db.ports).toEqual(['${POSTGRES_EXTERNAL_PORT:-5000}:5432']);
    expect(dev.redis.ports).toEqual(['${REDIS_EXTERNAL_PORT:-6379}:6379']);
    expect(prod.db.ports).toBeUndefined();
    expect(prod.redis.ports).toBeUndefined();
    for (const services of [dev, prod]) {
      expect(services.backend.ports).toEqual(['8080:8080']);
      expect(services.frontend.ports).toEqual(['3000:80']);
      expect(services['db-migrate'].ports).toBeUndefined();
      expect(services.worker.ports).toBeUndefined();
    }
  });

  it('gives the frontend and the API public TLS endpoints in prod only', () => {
    expect(out.dev.manifests.filter((o) => o.kind === 'Ingress')).toEqual([]);
    const frontend = find(out.prod, 'Ingress', 'frontend');
    expect(frontend.spec.tls).toEqual([{ hosts: ['drm.example.com'], secretName: 'drm-example-com-tls' }]);
    const api = find(out.prod, 'Ingress', 'backend');
    expect(api.spec.tls).toEqual([{ hosts: ['api.drm.example.com'], secretName: 'api-drm-example-com-tls' }]);
    expect(api.spec.rules[0].http.paths[0].backend).toEqual({ service: { name: 'backend', port: { name: 'http' } } });
  });

  it('runs one worker in dev and three in prod, on both targets', () => {
    expect((out.dev.compose!.services as AnyRecord).worker.deploy).toBeUndefined();
    expect((out.prod.compose!.services as AnyRecord).worker.deploy).toEqual({ replicas: 3 });
    expect(find(out.dev, 'Deployment', 'worker').spec.replicas).toBe(1);
    expect(find(out.prod, 'Deployment', 'worker').spec.replicas).toBe(3);
  });

  it('mounts the backend source for hot reload in dev only, and never on Kubernetes, with a note', () => {
    const source = '../../examples/device-remote-management/BackendContainer/src:/app/src';
    for (const name of ['backend', 'worker']) {
      expect((out.dev.compose!.services as AnyRecord)[name].volumes).toEqual([source, 'backend_uploads:/app/uploads']);
      expect((out.prod.compose!.services as AnyRecord)[name].volumes).toEqual(['backend_uploads:/app/uploads']);
      expect(podSpec(out.dev, 'Deployment', name).containers[0].volumeMounts).toEqual([{ name: 'backend-uploads', mountPath: '/app/uploads' }]);
    }
    expect(out.dev.messages).toContainEqual(
      expect.objectContaining({ level: 'info', path: 'drm-dev/backend', message: expect.stringMatching(/BackendContainer\/src at \/app\/src is left out on Kubernetes as asked/) }),
    );
  });
});
