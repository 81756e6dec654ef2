import { HealthCheck, MigrationJob, Mount, PostgresService, Secret, Size, Stack, Testing, Volume, WebApp, Worker } from '../../lib';
import { parityProblems } from '../../lib/validate/parity';

/** An API and a worker on Postgres, a migration both wait for, a cache volume and a scratch folder. */
function shop() {
  const stack = new Stack(Testing.app(), 'shop');
  const db = new PostgresService(stack, 'db', { version: '16', password: Secret.fromEnv('POSTGRES_PASSWORD') });
  const migrate = new MigrationJob(stack, 'migrate', { image: 'ghcr.io/acme/api:1.0', command: ['migrate'] }).connect(db, { env: 'DATABASE_URL' });
  const cache = new Volume(stack, 'cache', { size: Size.gibibytes(1) });
  new WebApp(stack, 'api', {
    image: 'ghcr.io/acme/api:1.0',
    port: 8080,
    healthCheck: HealthCheck.http('/healthz'),
    after: [migrate],
    mounts: [Mount.volume(cache, '/cache'), Mount.tmpfs('/tmp')],
    env: { MODE: 'web' },
  }).connect(db, { env: 'DATABASE_URL' });
  new Worker(stack, 'worker', { image: 'ghcr.io/acme/api:1.0', after: [migrate] }).connect(db, { env: 'DATABASE_URL', waitFor: 'started' });
  const out = Testing.synth(stack);
  return { compose: JSON.parse(JSON.stringify(out.compose)), objects: JSON.parse(JSON.stringify(out.manifests)) as any[] };
}

const find = (objects: any[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name.replace(/-[0-9a-f]{10}$/, '') === name);

describe('the parity check of the two renderings', () => {
  it('finds nothing where they mean the same: waits (healthy, started, completed), storage, environment, restarts', () => {
    const { compose, objects } = shop();
    expect(parityProblems(compose, objects)).toEqual([]);
  });

  it('finds a wait that only Compose has', () => {
    const { compose, objects } = shop();
    const pod = find(objects, 'Deployment', 'api').spec.template.spec;
    pod.initContainers = pod.initContainers.filter((c: any) => !c.name.includes('migrate'));
    expect(parityProblems(compose, objects)).toEqual([{ workload: 'api', aspect: 'waits', message: 'waits for migrate to be completed on Compose, not on Kubernetes' }]);
  });

  it('finds a started wait that became a readiness wait', () => {
    const { compose, objects } = shop();
    const wait = find(objects, 'Deployment', 'worker').spec.template.spec.initContainers.find((c: any) => c.name === 'wait-for-db');
    wait.command = wait.command.map((w: string) => w.replace(/db-started/g, 'db'));
    expect(parityProblems(compose, objects).map((p) => p.message)).toEqual([
      'waits for db to be started on Compose, not on Kubernetes',
      'waits for db to be ready on Kubernetes, not on Compose',
    ]);
  });

  it('finds data that persists on one target only', () => {
    const { compose, objects } = shop();
    compose.services.api.volumes = compose.services.api.volumes.filter((v: any) => !String(typeof v === 'string' ? v : v.target).includes('/cache'));
    expect(parityProblems(compose, objects)).toEqual([{ workload: 'api', aspect: 'storage', message: 'has a volume at /cache on Kubernetes, not on Compose' }]);
  });

  it('finds a variable one container sees on one target only, but not the helpers that build a value from a secret', () => {
    const { compose, objects } = shop();
    find(objects, 'Deployment', 'api').spec.template.spec.containers[0].env.push({ name: 'DEBUG', value: '1' });
    expect(parityProblems(compose, objects)).toEqual([{ workload: 'api', aspect: 'environment', message: 'sees DEBUG on Kubernetes, not on Compose' }]);
  });

  it('finds a long-running service that became a one-shot Job', () => {
    const { compose, objects } = shop();
    compose.services.migrate.restart = 'always';
    expect(parityProblems(compose, objects)).toEqual([{ workload: 'migrate', aspect: 'restarts', message: 'restarts on Compose, but runs once as a Job on Kubernetes' }]);
  });
});
