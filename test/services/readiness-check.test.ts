import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Duration, HealthCheck, MigrationJob, PostgresService, ProbeTool, Secret, Stack, Testing, WebApp } from '../../lib';
import { checkStackOutput } from '../support/real-tools';
import { manifest } from '../support/manifests';

function newStack(app = Testing.app()) {
  return new Stack(app, 'shop');
}

/** A web app on port 4000 whose liveness is /health and whose readiness is /ready. */
function apiWithReadiness(stack: Stack) {
  return new WebApp(stack, 'api', {
    image: 'ghcr.io/acme/api:1.0.0',
    port: 4000,
    healthCheck: HealthCheck.http('/health', { probeTool: ProbeTool.WGET, interval: Duration.seconds(30), startPeriod: Duration.seconds(20) }),
    readinessCheck: HealthCheck.http('/ready', { interval: Duration.seconds(5), timeout: Duration.seconds(2), retries: 2 }),
  });
}

describe('readinessCheck', () => {
  it('becomes the readinessProbe while the healthCheck becomes the liveness and startup probe', () => {
    const stack = newStack();
    apiWithReadiness(stack);

    const container = manifest(Testing.synth(stack), 'Deployment', 'api').spec.template.spec.containers[0];

    expect(container.readinessProbe).toEqual({ httpGet: { path: '/ready', port: 4000 }, periodSeconds: 5, timeoutSeconds: 2, failureThreshold: 2 });
    expect(container.livenessProbe).toEqual({ httpGet: { path: '/health', port: 4000 }, periodSeconds: 30, timeoutSeconds: 5, failureThreshold: 3 });
    expect(container.startupProbe).toEqual({ httpGet: { path: '/health', port: 4000 }, periodSeconds: 30, timeoutSeconds: 5, failureThreshold: 4 });
  });

  it('is the one Compose healthcheck, and notes that the healthCheck restarts the container on Kubernetes only', () => {
    const stack = newStack();
    apiWithReadiness(stack);

    const out = Testing.synth(stack);

    expect(out.compose!.services.api.healthcheck).toEqual({
      test: ['CMD', 'curl', '-fsS', '-o', '/dev/null', 'http://localhost:4000/ready'],
      interval: '5s',
      timeout: '2s',
      retries: 2,
    });
    expect(out.files['compose.yaml']).not.toContain('/health');
    expect(out.messages).toContainEqual(
      expect.objectContaining({ level: 'info', path: 'shop/api', message: expect.stringMatching(/^its healthCheck \(beside the readinessCheck that dependents wait for\) restarts the container when it fails on Kubernetes/) }),
    );
  });

  it('is what dependents wait for on both targets: the Compose healthcheck and the readiness of the Service', () => {
    const stack = newStack();
    const api = apiWithReadiness(stack);
    new WebApp(stack, 'web', { image: 'ghcr.io/acme/web:1.0.0', port: 80, after: [api] });

    const out = Testing.synth(stack);
    expect(out.compose!.services.web.depends_on).toEqual({ api: { condition: 'service_healthy' } });
    expect((out.compose!.services.api.healthcheck as any).test).toContain('http://localhost:4000/ready');
    // The wait container reaches the Service, which routes to ready pods only: ready by /ready.
    expect(manifest(out, 'Deployment', 'web').spec.template.spec.initContainers[0].command[2]).toMatch(/nc -z -w 2 api 4000/);
    expect(manifest(out, 'Deployment', 'api').spec.template.spec.containers[0].readinessProbe.httpGet.path).toBe('/ready');
  });

  it('works with the built-in check of a PostgresService', () => {
    const stack = newStack();
    new PostgresService(stack, 'db', {
      password: Secret.fromEnv('POSTGRES_PASSWORD'),
      readinessCheck: HealthCheck.shell('pg_isready -U app -d app -h 127.0.0.1'),
    });

    const container = manifest(Testing.synth(stack), 'StatefulSet', 'db').spec.template.spec.containers[0];

    expect(container.readinessProbe.exec).toEqual({ command: ['sh', '-c', 'pg_isready -U app -d app -h 127.0.0.1'] });
    expect(container.livenessProbe.exec).toEqual({ command: ['pg_isready', '-U', 'app', '-d', 'app'] });
  });

  it('adds no liveness probe when not given: nothing restarts an unhealthy container, as on Compose', () => {
    const stack = newStack();
    new WebApp(stack, 'api', { image: 'ghcr.io/acme/api:1.0.0', port: 4000, healthCheck: HealthCheck.http('/health') });

    const out = Testing.synth(stack);
    const container = manifest(out, 'Deployment', 'api').spec.template.spec.containers[0];

    expect(container.readinessProbe.httpGet.path).toBe('/health');
    expect(container.livenessProbe).toBeUndefined();
    expect(out.messages.filter((m) => /restarts the container/.test(m.message))).toEqual([]);
  });

  it('passes the real tools', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdkc-readiness-'));
    try {
      const app = new App({ outdir, printSummary: false });
      apiWithReadiness(newStack(app));
      app.synth();
      expect(() => checkStackOutput(path.join(outdir, 'shop'))).not.toThrow();
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  it('fails without a healthCheck, which Compose would need to run anything', () => {
    const stack = newStack();
    new WebApp(stack, 'api', { image: 'ghcr.io/acme/api:1.0.0', port: 4000, readinessCheck: HealthCheck.http('/ready') });

    expect(() => Testing.synth(stack)).toThrow(/\[shop\/api\] has a readinessCheck but no healthCheck; add a healthCheck/);
  });

  it('fails on a one-shot job', () => {
    const stack = newStack();
    new MigrationJob(stack, 'migrate', {
      image: 'ghcr.io/acme/api:1.0.0',
      healthCheck: HealthCheck.command(['true']),
      readinessCheck: HealthCheck.command(['true']),
    });

    expect(() => Testing.synth(stack)).toThrow(/\[shop\/migrate\] has a readinessCheck, but a one-shot job takes no traffic/);
  });

  it('fails when it is not made with HealthCheck', () => {
    const stack = newStack();
    new WebApp(stack, 'api', {
      image: 'ghcr.io/acme/api:1.0.0',
      port: 4000,
      healthCheck: HealthCheck.http('/health'),
      readinessCheck: { path: '/ready' } as unknown as HealthCheck,
    });

    expect(() => Testing.synth(stack)).toThrow(/\[shop\/api\] readinessCheck must be made with HealthCheck\.http\/tcp\/command\/shell, got a plain object/);
  });

  it('fails with its own name on a timing problem', () => {
    const stack = newStack();
    new WebApp(stack, 'api', {
      image: 'ghcr.io/acme/api:1.0.0',
      port: 4000,
      healthCheck: HealthCheck.http('/health'),
      readinessCheck: HealthCheck.http('/ready', { interval: Duration.seconds(0) }),
    });

    expect(() => Testing.synth(stack)).toThrow(/\[shop\/api\] readinessCheck: health check interval: /);
  });
});
