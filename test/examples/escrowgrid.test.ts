import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, AppSynthesis, Stack, SynthesizedStack, Testing } from '../../lib';
import { KubernetesObject } from '../../lib/render/k8s';
import { defineEscrowgrid } from '../../examples/escrowgrid/app';
import { checkStackOutput } from '../support/real-tools';
import { readTree } from '../support/files';

type AnyRecord = Record<string, any>;
type Environment = 'dev' | 'prod';
const ENVIRONMENTS: Environment[] = ['dev', 'prod'];
const EXAMPLE = path.join(__dirname, '..', '..', 'examples', 'escrowgrid');
const SCHEMA = fs.readFileSync(path.join(EXAMPLE, 'db', 'schema.sql'), 'utf8');

function find(out: SynthesizedStack, kind: string, name: string): AnyRecord {
  const found = out.manifests.find((o: KubernetesObject) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in ${out.manifests.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`);
  return found as AnyRecord;
}

function container(out: SynthesizedStack, kind: string, name: string): AnyRecord {
  return find(out, kind, name).spec.template.spec.containers[0];
}

function envOf(c: AnyRecord): Record<string, unknown> {
  return Object.fromEntries((c.env as AnyRecord[]).map((e) => [e.name, e.value ?? e.valueFrom]));
}

function synthInto(outdir: string): { stacks: Record<Environment, Stack>; result: AppSynthesis } {
  const app = new App({ outdir, printSummary: false });
  const stacks = { dev: defineEscrowgrid(app, 'dev'), prod: defineEscrowgrid(app, 'prod') };
  return { stacks, result: app.synth() };
}

describe('the escrowgrid example', () => {
  let outdir: string;
  let result: AppSynthesis;
  const out = {} as Record<Environment, SynthesizedStack>;

  beforeAll(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdkc-escrowgrid-'));
    const synthesized = synthInto(outdir);
    const stacks = synthesized.stacks;
    result = synthesized.result;
    // Testing.synth sees the app from a fixed place, so build contexts in the snapshot do not
    // depend on where the temporary folder is.
    for (const environment of ENVIRONMENTS) out[environment] = Testing.synth(stacks[environment]);
  });

  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  it.each(ENVIRONMENTS)('passes the Compose schema, docker-compose config, the Kubernetes schemas and kubectl kustomize (escrowgrid-%s)', (environment) => {
    expect(() => checkStackOutput(path.join(outdir, `escrowgrid-${environment}`))).not.toThrow();
  });

  it.each(ENVIRONMENTS)('matches the snapshot (escrowgrid-%s)', (environment) => {
    expect(out[environment].files).toMatchSnapshot();
  });

  it('writes the same bytes on a second run', () => {
    const again = fs.mkdtempSync(path.join(os.tmpdir(), 'cdkc-escrowgrid-again-'));
    try {
      synthInto(again);
      for (const environment of ENVIRONMENTS) {
        const stack = `escrowgrid-${environment}`;
        expect(readTree(path.join(again, stack))).toEqual(readTree(path.join(outdir, stack)));
      }
    } finally {
      fs.rmSync(again, { recursive: true, force: true });
    }
  });

  it('runs as it is: app.ts synth writes both stacks', () => {
    const target = fs.mkdtempSync(path.join(os.tmpdir(), 'cdkc-escrowgrid-run-'));
    try {
      const repo = path.join(__dirname, '..', '..');
      const result = spawnSync(path.join(repo, 'node_modules', '.bin', 'ts-node'), ['examples/escrowgrid/app.ts', 'synth'], {
        cwd: repo,
        encoding: 'utf8',
        env: { ...process.env, CDK_COMPOSE_OUTDIR: target },
      });
      expect(result.stderr).toContain('synthesized 2 stacks');
      expect(result.status).toBe(0);
      expect(fs.existsSync(path.join(target, 'escrowgrid-dev', 'compose.yaml'))).toBe(true);
      expect(fs.existsSync(path.join(target, 'escrowgrid-prod', 'k8s', 'kustomization.yaml'))).toBe(true);
    } finally {
      fs.rmSync(target, { recursive: true, force: true });
    }
  });

  describe.each(ENVIRONMENTS)('escrowgrid-%s', (environment) => {
    const o = () => out[environment];
    const services = () => o().compose!.services as AnyRecord;

    it('runs the three services of the seed under their container names', () => {
      expect(Object.keys(services())).toEqual(['db', 'api', 'admin']);
      expect(services().db.container_name).toBe('taas-db');
      expect(services().api.container_name).toBe('taas-api');
      expect(services().admin.container_name).toBe('taas-admin');
      for (const service of Object.values(services())) expect(service.restart).toBe('unless-stopped');
      const configMapOf = (kind: string, name: string) =>
        find(o(), kind, name).spec.template.spec.volumes.find((v: AnyRecord) => v.configMap).configMap.name;
      expect(o().manifests.map((m) => `${m.kind}/${m.metadata.name}`).sort()).toEqual([
        `ConfigMap/${configMapOf('StatefulSet', 'db')}`,
        `ConfigMap/${configMapOf('Deployment', 'admin')}`,
        'Deployment/admin',
        'Deployment/api',
        'NetworkPolicy/api-ingress',
        'NetworkPolicy/db-ingress',
        `NetworkPolicy/escrowgrid-${environment}-default-deny-ingress`,
        'PersistentVolumeClaim/postgres-data',
        'Service/admin',
        'Service/api',
        'Service/db',
        'StatefulSet/db',
      ].sort());
    });

    it('builds the API from the runner stage and tags it as the image Kubernetes pulls', () => {
      expect(services().api.build).toEqual({ context: '../../examples/escrowgrid', target: 'runner' });
      expect(services().api.image).toBe('ghcr.io/escrowgrid/taas-api:0.1.0');
      expect(services().admin.build).toEqual({ context: '../../examples/escrowgrid/admin-console' });
      expect(services().admin.image).toBe('ghcr.io/escrowgrid/taas-admin:0.1.0');
      expect(container(o(), 'Deployment', 'api').image).toBe('ghcr.io/escrowgrid/taas-api:0.1.0');
      expect(container(o(), 'Deployment', 'admin').image).toBe('ghcr.io/escrowgrid/taas-admin:0.1.0');
      expect(fs.readFileSync(path.join(EXAMPLE, 'Dockerfile'), 'utf8')).toMatch(/^FROM node:20-alpine AS runner$/m);
    });

    it('serves the API on port 4000, published on a free host port on Compose and through a Service on Kubernetes', () => {
      expect(services().api.expose).toEqual(['4000']);
      expect(services().api.ports).toEqual(['4000']);
      expect(container(o(), 'Deployment', 'api').ports).toEqual([{ name: 'http', containerPort: 4000, protocol: 'TCP' }]);
      expect(find(o(), 'Service', 'api').spec.ports).toEqual([{ name: 'http', port: 4000, targetPort: 'http', protocol: 'TCP' }]);
    });

    it('serves the admin console from nginx on port 80, published on host port 8080', () => {
      expect(services().admin.ports).toEqual(['8080:80']);
      expect(container(o(), 'Deployment', 'admin').ports).toEqual([{ name: 'http', containerPort: 80, protocol: 'TCP' }]);
      expect(services().admin.healthcheck.test).toEqual(['CMD', 'wget', '-q', '--spider', 'http://localhost:80/health']);
      expect(container(o(), 'Deployment', 'admin').readinessProbe.httpGet).toEqual({ path: '/health', port: 80 });
      expect(container(o(), 'Deployment', 'admin').livenessProbe).toBeUndefined();
      expect(o().files['config/admin-nginx-conf/nginx.conf']).toContain('location = /health');
    });

    it('runs Postgres 16 with the database, user and password of the seed', () => {
      expect(services().db.image).toBe('postgres:16-alpine');
      expect(services().db.environment).toMatchObject({
        POSTGRES_DB: 'taas_platform',
        POSTGRES_USER: 'taas_user',
        POSTGRES_PASSWORD: '${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env (see .env.example)}',
      });
      expect(services().db.volumes).toEqual([
        'postgres_data:/var/lib/postgresql/data',
        './config/db-schema-sql/schema.sql:/docker-entrypoint-initdb.d/10-schema.sql:ro',
      ]);
      expect(container(o(), 'StatefulSet', 'db').env).toContainEqual({
        name: 'POSTGRES_PASSWORD',
        valueFrom: { secretKeyRef: { name: `escrowgrid-${environment}-secrets`, key: 'POSTGRES_PASSWORD' } },
      });
    });

    it('puts the schema into the Postgres init folder: a read-only bind mount of the written file on Compose, a ConfigMap on Kubernetes', () => {
      const target = '/docker-entrypoint-initdb.d/10-schema.sql';
      expect(services().db.volumes).toContain(`./config/db-schema-sql/schema.sql:${target}:ro`);
      expect(services().db).not.toHaveProperty('configs');
      expect(o().compose).not.toHaveProperty('configs');
      expect(o().files['config/db-schema-sql/schema.sql']).toBe(SCHEMA);
      // The bind mount's source is the file synth wrote next to compose.yaml.
      expect(fs.readFileSync(path.join(outdir, `escrowgrid-${environment}`, 'config', 'db-schema-sql', 'schema.sql'), 'utf8')).toBe(SCHEMA);

      const pod = find(o(), 'StatefulSet', 'db').spec.template.spec;
      expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'db-schema-sql', mountPath: target, subPath: 'schema.sql', readOnly: true });
      const volume = pod.volumes.find((v: AnyRecord) => v.name === 'db-schema-sql');
      expect(find(o(), 'ConfigMap', volume.configMap.name).data).toEqual({ 'schema.sql': SCHEMA });
    });

    it('checks Postgres with pg_isready -U taas_user every 5s, 5s timeout, 5 retries, on both targets', () => {
      expect(services().db.healthcheck).toEqual({ test: ['CMD', 'pg_isready', '-U', 'taas_user'], interval: '5s', timeout: '5s', retries: 5 });
      const probe = { exec: { command: ['pg_isready', '-U', 'taas_user'] }, periodSeconds: 5, timeoutSeconds: 5, failureThreshold: 5 };
      expect(container(o(), 'StatefulSet', 'db').readinessProbe).toEqual(probe);
      expect(container(o(), 'StatefulSet', 'db').livenessProbe).toBeUndefined();
    });

    it('lets dependents wait for readiness on /ready on both targets, and restarts on /health on Kubernetes only', () => {
      const interval = environment === 'prod' ? 30 : 10;
      expect(services().api.healthcheck).toEqual({
        test: ['CMD', 'wget', '-q', '--spider', 'http://localhost:4000/ready'],
        interval: '10s',
        timeout: '5s',
        retries: 3,
      });
      const api = container(o(), 'Deployment', 'api');
      expect(api.livenessProbe).toEqual({ httpGet: { path: '/health', port: 4000 }, periodSeconds: interval, timeoutSeconds: 5, failureThreshold: 3 });
      expect(api.readinessProbe).toEqual({ httpGet: { path: '/ready', port: 4000 }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 });
      expect(o().messages).toContainEqual(
        expect.objectContaining({ level: 'info', path: `escrowgrid-${environment}/api`, message: expect.stringMatching(/restarts the container when it fails on Kubernetes/) }),
      );
    });

    it('starts the API once Postgres is healthy and the admin console once the API is: depends_on and init containers', () => {
      expect(services().api.depends_on).toEqual({ db: { condition: 'service_healthy' } });
      expect(services().admin.depends_on).toEqual({ api: { condition: 'service_healthy' } });
      const waits = (name: string) =>
        find(o(), 'Deployment', name).spec.template.spec.initContainers.map((c: AnyRecord) => [c.name, c.command.join(' ')]);
      expect(waits('api')).toEqual([['wait-for-db', expect.stringContaining('until nc -z -w 2 db 5432')]]);
      expect(waits('admin')).toEqual([['wait-for-api', expect.stringContaining('until nc -z -w 2 api 4000')]]);
    });

    it('gives the API every variable of the seed, its key and database password as secrets', () => {
      expect(services().api.environment).toEqual({
        NODE_ENV: 'production',
        PORT: '4000',
        STORE_BACKEND: 'postgres',
        ROOT_API_KEY: '${ROOT_API_KEY:?set ROOT_API_KEY in .env (see .env.example)}',
        RATE_LIMIT_ENABLED: 'true',
        RATE_LIMIT_WINDOW_MS: '60000',
        RATE_LIMIT_MAX_REQUESTS: '1000',
        ONCHAIN_LEDGER_ENABLED: 'false',
        DATABASE_URL: 'postgresql://taas_user:${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env (see .env.example)}@db:5432/taas_platform',
      });
      const env = envOf(container(o(), 'Deployment', 'api'));
      const secretRef = (key: string) => ({ secretKeyRef: { name: `escrowgrid-${environment}-secrets`, key } });
      expect(env).toEqual({
        ROOT_API_KEY: secretRef('ROOT_API_KEY'),
        POSTGRES_PASSWORD: secretRef('POSTGRES_PASSWORD'),
        NODE_ENV: 'production',
        PORT: '4000',
        STORE_BACKEND: 'postgres',
        RATE_LIMIT_ENABLED: 'true',
        RATE_LIMIT_WINDOW_MS: '60000',
        RATE_LIMIT_MAX_REQUESTS: '1000',
        ONCHAIN_LEDGER_ENABLED: 'false',
        DATABASE_URL: 'postgresql://taas_user:$(POSTGRES_PASSWORD)@db:5432/taas_platform',
      });
    });

    it('never writes a secret value and lists each secret in .env.example', () => {
      expect(o().files['.env.example']).toMatch(/^POSTGRES_PASSWORD=$/m);
      expect(o().files['.env.example']).toMatch(/^ROOT_API_KEY=$/m);
      for (const content of Object.values(o().files)) {
        expect(content).not.toContain('taas_pass');
        expect(content).not.toContain('replace-me-root-key');
      }
    });

    it('runs every container without privileges it does not need', () => {
      expect(services().db).toMatchObject({ user: '70:70', cap_drop: ['ALL'], security_opt: ['no-new-privileges:true'] });
      expect(services().api).toMatchObject({ user: '1000:1000', read_only: true, cap_drop: ['ALL'], security_opt: ['no-new-privileges:true'] });
      expect(services().api.volumes).toEqual([{ type: 'tmpfs', target: '/tmp', tmpfs: { size: 64 * 1024 * 1024 } }]);
      expect(services().admin).toMatchObject({ read_only: true, cap_drop: ['ALL'], cap_add: ['CHOWN', 'SETGID', 'SETUID', 'NET_BIND_SERVICE'] });
      expect(services().admin.volumes).toEqual([
        { type: 'tmpfs', target: '/var/cache/nginx', tmpfs: { size: 32 * 1024 * 1024 } },
        { type: 'tmpfs', target: '/run', tmpfs: { size: 1024 * 1024 } },
        './config/admin-nginx-conf/nginx.conf:/etc/nginx/conf.d/default.conf:ro',
      ]);

      const db = find(o(), 'StatefulSet', 'db').spec.template.spec;
      expect(db.securityContext).toMatchObject({ runAsNonRoot: true, fsGroup: 70 });
      expect(db.containers[0].securityContext).toEqual({
        runAsUser: 70,
        runAsGroup: 70,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
      });
      const api = find(o(), 'Deployment', 'api').spec.template.spec;
      expect(api.securityContext).toMatchObject({ runAsNonRoot: true });
      expect(api.containers[0].securityContext).toMatchObject({
        runAsUser: 1000,
        runAsGroup: 1000,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
      });
      expect(api.volumes).toEqual([{ name: 'tmp-tmp', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } }]);
      const admin = find(o(), 'Deployment', 'admin').spec.template.spec;
      expect(admin.containers[0].securityContext).toMatchObject({
        readOnlyRootFilesystem: true,
        capabilities: { add: ['CHOWN', 'SETGID', 'SETUID', 'NET_BIND_SERVICE'], drop: ['ALL'] },
      });
      expect(admin.containers[0].volumeMounts).toEqual(
        expect.arrayContaining([
          { name: 'tmp-var-cache-nginx', mountPath: '/var/cache/nginx' },
          { name: 'tmp-run', mountPath: '/run' },
        ]),
      );
    });

    it('leaves no hardening finding open', () => {
      const findings = result.findings.filter((f) => f.path.startsWith(`escrowgrid-${environment}/`));
      expect(findings.filter((f) => f.acknowledged === undefined)).toEqual([]);
    });
  });

  describe('dev and prod', () => {
    it('publishes Postgres on host port 15432 in dev only', () => {
      expect(out.dev.compose!.services.db.ports).toEqual(['15432:5432']);
      expect(out.prod.compose!.services.db.ports).toBeUndefined();
    });

    it('limits and reserves the API’s CPU and memory in prod: deploy.resources on Compose, limits and requests on Kubernetes', () => {
      expect(out.prod.compose!.services.api.deploy).toEqual({
        resources: { limits: { cpus: '0.5', memory: '512m' }, reservations: { cpus: '0.25', memory: '256m' } },
      });
      expect(container(out.prod, 'Deployment', 'api').resources).toEqual({
        limits: { cpu: '500m', memory: '512Mi' },
        requests: { cpu: '250m', memory: '256Mi' },
      });
      expect(out.dev.compose!.services.api.deploy).toBeUndefined();
      expect(container(out.dev, 'Deployment', 'api').resources).toBeUndefined();
    });

    it('limits Postgres and the admin console in prod too, within the 2 GB the seed asks for', () => {
      expect(out.prod.compose!.services.db.deploy).toEqual({
        resources: { limits: { cpus: '1', memory: '1g' }, reservations: { cpus: '0.25', memory: '256m' } },
      });
      expect(container(out.prod, 'StatefulSet', 'db').resources).toEqual({
        limits: { cpu: '1', memory: '1Gi' },
        requests: { cpu: '250m', memory: '256Mi' },
      });
      expect(out.prod.compose!.services.admin.deploy).toEqual({
        resources: { limits: { cpus: '0.25', memory: '128m' }, reservations: { cpus: '0.05', memory: '32m' } },
      });
      expect(container(out.prod, 'Deployment', 'admin').resources).toEqual({
        limits: { cpu: '250m', memory: '128Mi' },
        requests: { cpu: '50m', memory: '32Mi' },
      });
      const mebibytes = (c: AnyRecord) => parseInt(c.resources.limits.memory, 10) * (c.resources.limits.memory.endsWith('Gi') ? 1024 : 1);
      const total = [container(out.prod, 'StatefulSet', 'db'), container(out.prod, 'Deployment', 'api'), container(out.prod, 'Deployment', 'admin')]
        .map(mebibytes)
        .reduce((a, b) => a + b, 0);
      expect(total).toBeLessThanOrEqual(2048);
    });

    it('acknowledges the missing limits of the laptop stack with a reason', () => {
      const limits = result.findings.filter((f) => f.ruleId === 'CKC-LIMITS');
      expect(limits.map((f) => f.path).sort()).toEqual(['escrowgrid-dev/admin', 'escrowgrid-dev/api', 'escrowgrid-dev/db']);
      for (const finding of limits) expect(finding.acknowledged).toMatch(/^a laptop stack/);
    });

    it('rotates the logs of every service in prod', () => {
      for (const service of Object.values(out.prod.compose!.services)) {
        expect(service.logging).toEqual({ driver: 'json-file', options: { 'max-size': '10m', 'max-file': '3' } });
      }
      for (const service of Object.values(out.dev.compose!.services)) expect(service.logging).toBeUndefined();
    });
  });

  describe('with the on-chain ledger', () => {
    it('enables it with the contract address and takes the RPC URL and the private key as secrets', () => {
      const app = Testing.app();
      const stack = defineEscrowgrid(app, 'prod', { onchainLedger: { contractAddress: '0x5FbDB2315678afecb367f032d93F642f64180aa3' } });
      const synthesized = Testing.synth(stack);

      expect(synthesized.compose!.services.api.environment).toMatchObject({
        ONCHAIN_LEDGER_ENABLED: 'true',
        ONCHAIN_RPC_URL: '${ONCHAIN_RPC_URL:?set ONCHAIN_RPC_URL in .env (see .env.example)}',
        ONCHAIN_PRIVATE_KEY: '${ONCHAIN_PRIVATE_KEY:?set ONCHAIN_PRIVATE_KEY in .env (see .env.example)}',
        ONCHAIN_CONTRACT_ADDRESS: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
      });
      expect(synthesized.files['.env.example']).toMatch(/^ONCHAIN_PRIVATE_KEY=$/m);
      expect(synthesized.files['.env.example']).toMatch(/^ONCHAIN_RPC_URL=$/m);
      expect(envOf(container(synthesized, 'Deployment', 'api')).ONCHAIN_PRIVATE_KEY).toEqual({
        secretKeyRef: { name: 'escrowgrid-prod-secrets', key: 'ONCHAIN_PRIVATE_KEY' },
      });
    });
  });
});
