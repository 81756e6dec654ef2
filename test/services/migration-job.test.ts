import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import {
  App,
  HealthCheck,
  MigrationJob,
  MigrationJobProps,
  PostgresService,
  Secret,
  Stack,
  SynthesizedStack,
  Testing,
  WebApp,
  Worker,
} from '../../lib';
import { manifest } from '../support/manifests';

function theJob(out: SynthesizedStack): any {
  const jobs = out.manifests.filter((m) => m.kind === 'Job');
  expect(jobs).toHaveLength(1);
  return jobs[0];
}

function newStack() {
  const app = Testing.app();
  return new Stack(app, 'shop');
}

const IMAGE = 'ghcr.io/acme/api:1.4.2';

/** A stack with a database, a migration of it and an API that waits for the migration. */
function shop(migration: Partial<MigrationJobProps> = {}, extra?: (stack: Stack) => void): SynthesizedStack {
  const stack = newStack();
  const db = new PostgresService(stack, 'db', { password: Secret.fromEnv('POSTGRES_PASSWORD') });
  const migrate = new MigrationJob(stack, 'migrate', { image: IMAGE, command: ['alembic', 'upgrade', 'head'], ...migration }).connect(db, {
    env: 'DATABASE_URL',
  });
  new WebApp(stack, 'api', { image: IMAGE, port: 8080, after: [migrate] }).connect(db, { env: 'DATABASE_URL' });
  extra?.(stack);
  return Testing.synth(stack);
}

describe('MigrationJob', () => {
  it('renders a Compose service that is never restarted', () => {
    const out = shop();

    expect(out.compose!.services.migrate.restart).toBe('no');
    expect(out.compose!.services.migrate.command).toEqual(['alembic', 'upgrade', 'head']);
    expect(out.compose!.services.migrate.depends_on).toEqual({ db: { condition: 'service_healthy' } });
    expect(out.files['compose.yaml']).toMatch(/^ {4}restart: "no"$/m);
  });

  it('makes its consumers wait for it to complete successfully on Compose', () => {
    const out = shop();

    expect(out.compose!.services.api.depends_on).toEqual({
      migrate: { condition: 'service_completed_successfully' },
      db: { condition: 'service_healthy' },
    });
  });

  it('renders a migration as a Job that runs once, never restarted in place', () => {
    const out = shop({ retries: 2 });

    const job = theJob(out);
    expect(job.apiVersion).toBe('batch/v1');
    expect(job.metadata.name).toMatch(/^migrate-[0-9a-f]{10}$/);
    expect(job.spec.backoffLimit).toBe(2);
    expect(job.spec.parallelism ?? 1).toBe(1);
    expect(job.spec.completions ?? 1).toBe(1);
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
    expect(job.spec.template.spec.containers[0].args).toEqual(['alembic', 'upgrade', 'head']);
    expect(out.files['k8s/job-migrate.yaml']).toContain(`name: ${job.metadata.name}`);
    expect(out.manifests.filter((m) => m.metadata.name === 'migrate' || m.metadata.name.startsWith('migrate-'))).toEqual([job]);
  });

  it('does not retry a failed run unless told to, like Compose', () => {
    expect(theJob(shop()).spec.backoffLimit).toBe(0);
  });

  it('renders a migration as a Job that consumers wait for', () => {
    const out = shop();

    const name = theJob(out).metadata.name;
    const api = manifest(out, 'Deployment', 'api').spec.template.spec;
    expect(api.serviceAccountName).toBe('cdk-compose-job-waiter');
    expect(api.initContainers[0]).toEqual({
      name: 'wait-for-migrate',
      image: 'registry.k8s.io/kubectl:v1.32.4',
      command: ['kubectl', '--cache-dir=/tmp/kubectl', 'wait', '--for=condition=complete', '--timeout=600s', `job/${name}`],
      resources: {
        limits: { cpu: '200m', memory: '128Mi', 'ephemeral-storage': '32Mi' },
        requests: { cpu: '10m', memory: '32Mi', 'ephemeral-storage': '8Mi' },
      },
      volumeMounts: [
        { name: 'job-waiter-token', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true },
        { name: 'job-waiter-cache', mountPath: '/tmp/kubectl' },
      ],
      securityContext: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
    });
    expect(api.initContainers.map((c: { name: string }) => c.name)).toEqual(['wait-for-migrate', 'wait-for-db']);
  });

  it('gives the API token to the waiting init container only, never to the workload', () => {
    const api = manifest(shop(), 'Deployment', 'api').spec.template.spec;

    expect(api.automountServiceAccountToken).toBe(false);
    expect(api.volumes.find((v: any) => v.name === 'job-waiter-token').projected.sources.map((s: object) => Object.keys(s)[0])).toEqual([
      'serviceAccountToken',
      'configMap',
      'downwardAPI',
    ]);
    expect(api.containers[0].volumeMounts ?? []).not.toContainEqual(expect.objectContaining({ name: 'job-waiter-token' }));
    expect(api.initContainers[1].volumeMounts).toBeUndefined();
  });

  it('lets the waiting pods read the Jobs they wait for by name, and nothing else', () => {
    const out = shop();

    expect(manifest(out, 'ServiceAccount', 'cdk-compose-job-waiter')).toBeDefined();
    expect(manifest(out, 'Role', 'cdk-compose-job-waiter').rules).toEqual([
      { apiGroups: ['batch'], resources: ['jobs'], resourceNames: [theJob(out).metadata.name], verbs: ['get', 'list', 'watch'] },
    ]);
    const binding = manifest(out, 'RoleBinding', 'cdk-compose-job-waiter');
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'cdk-compose-job-waiter' });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'cdk-compose-job-waiter' }]);
  });

  it('creates no job-reading access when nothing waits for a job', () => {
    const stack = newStack();
    new MigrationJob(stack, 'migrate', { image: IMAGE });

    const out = Testing.synth(stack);

    expect(out.manifests.map((m) => m.kind)).toEqual(['Job']);
  });

  it('waits for the database before it runs on Kubernetes', () => {
    const job = theJob(shop());

    const init = job.spec.template.spec.initContainers;
    expect(init.map((c: { name: string }) => c.name)).toEqual(['wait-for-db']);
    expect(job.spec.template.spec.serviceAccountName).toBeUndefined();
  });

  it('keeps the same Job name when its spec does not change', () => {
    // GIVEN two syntheses of the same source, the second with an unrelated service added
    const first = shop();
    const second = shop({}, (stack) => new Worker(stack, 'mailer', { image: 'ghcr.io/acme/mailer:1.0.0' }));

    // WHEN
    const names = [theJob(first).metadata.name, theJob(second).metadata.name];

    // THEN
    expect(names[1]).toBe(names[0]);
  });

  it('gets a new Job name when its command changes, and its consumers wait for the new one', () => {
    const before = shop();
    const after = shop({ command: ['alembic', 'upgrade', 'head', '--sql'] });

    const newName = theJob(after).metadata.name;
    expect(newName).not.toBe(theJob(before).metadata.name);
    expect(newName).toMatch(/^migrate-[0-9a-f]{10}$/);
    expect(manifest(after, 'Deployment', 'api').spec.template.spec.initContainers[0].command).toContain(`job/${newName}`);
    // The file keeps its name, so that the old Job's file is replaced, not kept beside the new one.
    expect(Object.keys(after.files).filter((f) => f.startsWith('k8s/job-'))).toEqual(['k8s/job-migrate.yaml']);
  });

  it('gets a new Job name when its image or retries change', () => {
    const base = theJob(shop()).metadata.name;

    expect(theJob(shop({ image: 'ghcr.io/acme/api:1.4.3' })).metadata.name).not.toBe(base);
    expect(theJob(shop({ retries: 1 })).metadata.name).not.toBe(base);
    expect(theJob(shop({ env: { LOG_LEVEL: 'debug' } })).metadata.name).not.toBe(base);
  });

  it('waits for another job by its exact Job name', () => {
    const stack = newStack();
    const schema = new MigrationJob(stack, 'schema', { image: IMAGE, command: ['migrate'] });
    new MigrationJob(stack, 'seed', { image: IMAGE, command: ['seed'], after: [schema] });

    const out = Testing.synth(stack);

    const jobs = out.manifests.filter((m) => m.kind === 'Job') as any[];
    const schemaJob = jobs.find((j) => j.metadata.labels['app.kubernetes.io/name'] === 'schema');
    const seedJob = jobs.find((j) => j.metadata.labels['app.kubernetes.io/name'] === 'seed');
    expect(seedJob.spec.template.spec.initContainers[0].command).toContain(`job/${schemaJob.metadata.name}`);
    expect(seedJob.spec.template.spec.serviceAccountName).toBe('cdk-compose-job-waiter');
    expect(out.compose!.services.seed.depends_on).toEqual({ schema: { condition: 'service_completed_successfully' } });
  });

  it('leaves its health check out on Kubernetes, with a warning', () => {
    const stack = newStack();
    new MigrationJob(stack, 'migrate', { image: IMAGE, healthCheck: HealthCheck.command(['true']) });

    const out = Testing.synth(stack);

    expect(theJob(out).spec.template.spec.containers[0].readinessProbe).toBeUndefined();
    expect(out.messages).toContainEqual({
      level: 'warning',
      path: 'shop/migrate',
      message: 'health check of a one-shot job is left out on Kubernetes: a Job is done when its container exits',
    });
  });

  it('fails when retries is negative', () => {
    const stack = newStack();
    new MigrationJob(stack, 'migrate', { image: IMAGE, retries: -1 });

    expect(() => Testing.synth(stack)).toThrow(/\[shop\/migrate\] retries must be a whole number of at least 0, got -1/);
  });

  it('fails when something connects to it', () => {
    const stack = newStack();
    const migrate = new MigrationJob(stack, 'migrate', { image: IMAGE });
    new WebApp(stack, 'api', { image: IMAGE, port: 8080 }).connect(migrate);

    expect(() => Testing.synth(stack)).toThrow(
      /\[shop\/api\] connect\(migrate\): migrate is a one-shot job and has nothing to connect to; use `after: \[migrate\]`/,
    );
  });

  const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;

  (kubectl ? it : it.skip)('keeps the Job re-appliable when kustomize renames the Secret it reads', () => {
    // GIVEN the written output, built by kustomize with two different values of the password
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdkc-job-'));
    try {
      const app = new App({ outdir, printSummary: false });
      const stack = new Stack(app, 'shop');
      const db = new PostgresService(stack, 'db', { password: Secret.fromEnv('POSTGRES_PASSWORD') });
      new MigrationJob(stack, 'migrate', { image: IMAGE }).connect(db, { env: 'DATABASE_URL' });
      app.synth();
      const k8s = path.join(outdir, 'shop', 'k8s');
      const build = (password: string) => {
        fs.writeFileSync(path.join(k8s, '.env'), `POSTGRES_PASSWORD=${password}\n`);
        const result = spawnSync('kubectl', ['kustomize', k8s], { encoding: 'utf8' });
        expect(result.stderr).toBe('');
        return parseAllDocuments(result.stdout).map((d) => d.toJS()).find((o) => o.kind === 'Job');
      };

      // WHEN
      const first = build('one');
      const second = build('two');

      // THEN a Job that keeps its name keeps its pod template too, which Kubernetes cannot change
      if (first.metadata.name === second.metadata.name) {
        expect(second.spec.template).toEqual(first.spec.template);
      }
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});
