import { HealthCheck, PostgresService, Secret, Stack, Testing, WebApp, Worker } from '../../lib';
import { manifest } from '../support/manifests';

function newStack() {
  const app = Testing.app();
  return new Stack(app, 'shop');
}

const IMAGE = 'ghcr.io/acme/api:1.4.2';

describe('Worker', () => {
  it('renders a Compose service with no ports and its replicas', () => {
    const stack = newStack();
    new Worker(stack, 'worker', { image: IMAGE, command: ['celery', '-A', 'app', 'worker'], replicas: 3 });

    const out = Testing.synth(stack);

    expect(out.compose!.services.worker).toEqual({
      image: IMAGE,
      command: ['celery', '-A', 'app', 'worker'],
      restart: 'unless-stopped',
      deploy: { replicas: 3 },
      security_opt: ['no-new-privileges:true'],
    });
  });

  it('renders a Deployment and no Service on Kubernetes', () => {
    const stack = newStack();
    new Worker(stack, 'worker', { image: IMAGE, command: ['celery', '-A', 'app', 'worker'], replicas: 3 });

    const out = Testing.synth(stack);

    expect(out.manifests.map((m) => `${m.kind}/${m.metadata.name}`)).toEqual(['Deployment/worker']);
    const deployment = manifest(out, 'Deployment', 'worker');
    expect(deployment.spec.replicas).toBe(3);
    const worker = deployment.spec.template.spec.containers[0];
    expect(worker.args).toEqual(['celery', '-A', 'app', 'worker']);
    expect(worker.ports).toBeUndefined();
    expect(worker.readinessProbe).toBeUndefined();
  });

  it('runs one copy when no replicas are given', () => {
    const stack = newStack();
    new Worker(stack, 'worker', { image: IMAGE });

    const out = Testing.synth(stack);

    expect(out.compose!.services.worker.deploy).toBeUndefined();
    expect(manifest(out, 'Deployment', 'worker').spec.replicas).toBe(1);
  });

  it('uses a command health check on both targets', () => {
    const stack = newStack();
    new Worker(stack, 'worker', { image: IMAGE, healthCheck: HealthCheck.command(['celery', 'inspect', 'ping']) });

    const out = Testing.synth(stack);

    expect((out.compose!.services.worker.healthcheck as Record<string, unknown>).test).toEqual(['CMD', 'celery', 'inspect', 'ping']);
    const worker = manifest(out, 'Deployment', 'worker').spec.template.spec.containers[0];
    expect(worker.readinessProbe.exec).toEqual({ command: ['celery', 'inspect', 'ping'] });
  });

  it('connects to what it consumes, starting after it on both targets', () => {
    const stack = newStack();
    const db = new PostgresService(stack, 'db', { password: Secret.fromEnv('POSTGRES_PASSWORD') });
    new Worker(stack, 'worker', { image: IMAGE }).connect(db, { env: 'DATABASE_URL' });

    const out = Testing.synth(stack);

    expect(out.compose!.services.worker.depends_on).toEqual({ db: { condition: 'service_healthy' } });
    const spec = manifest(out, 'Deployment', 'worker').spec.template.spec;
    expect(spec.initContainers.map((c: { name: string }) => c.name)).toEqual(['wait-for-db']);
    expect(spec.containers[0].env.map((e: { name: string }) => e.name)).toEqual(['POSTGRES_PASSWORD', 'DATABASE_URL']);
  });

  it('warns that Kubernetes cannot wait for a worker, which has no port', () => {
    // GIVEN a web app that must start after a worker
    const stack = newStack();
    const worker = new Worker(stack, 'worker', { image: IMAGE });
    new WebApp(stack, 'web', { image: IMAGE, port: 8080, after: [worker] });

    // WHEN
    const out = Testing.synth(stack);

    // THEN Compose orders them and Kubernetes says it cannot
    expect(out.compose!.services.web.depends_on).toEqual({ worker: { condition: 'service_started' } });
    expect(manifest(out, 'Deployment', 'web').spec.template.spec.initContainers).toBeUndefined();
    expect(out.messages).toContainEqual({
      level: 'warning',
      path: 'shop/web',
      message: 'waits for worker, which has no port to wait for on Kubernetes; web may start first there',
    });
  });

  it('fails when something connects to it, since it has no port', () => {
    const stack = newStack();
    const worker = new Worker(stack, 'worker', { image: IMAGE });
    new WebApp(stack, 'web', { image: IMAGE, port: 8080 }).connect(worker);

    expect(() => Testing.synth(stack)).toThrow(
      /\[shop\/web\] connect\(worker\): worker has no port to connect to; give it a port, or use `after` to only wait for it/,
    );
  });

  it('fails when an HTTP health check has no port to probe', () => {
    const stack = newStack();
    new Worker(stack, 'worker', { image: IMAGE, healthCheck: HealthCheck.http('/health') });

    expect(() => Testing.synth(stack)).toThrow(/\[shop\/worker\] HTTP health check has no port.*pass \{ port \} to HealthCheck\.http/);
  });

  it('fails when replicas is not a whole number', () => {
    const stack = newStack();
    new Worker(stack, 'worker', { image: IMAGE, replicas: 1.5 });

    expect(() => Testing.synth(stack)).toThrow(/\[shop\/worker\] replicas must be a whole number of at least 0, got 1\.5/);
  });
});
