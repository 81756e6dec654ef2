import { ContainerService, Duration, HealthCheck, ProbeTool, Stack, Testing, WebApp, Worker } from '../../lib';
import { manifest } from '../support/manifests';

function newStack() {
  const app = Testing.app();
  return new Stack(app, 'shop');
}

/** The Compose healthcheck and the Kubernetes container of a web app on port 8080 with `check`. */
function render(check: HealthCheck): { compose: any; container: any } {
  const stack = newStack();
  new WebApp(stack, 'web', { image: 'ghcr.io/acme/web:1.0.0', port: 8080, healthCheck: check });
  const out = Testing.synth(stack);
  return { compose: out.compose!.services.web.healthcheck, container: manifest(out, 'Deployment', 'web').spec.template.spec.containers[0] };
}

describe('HealthCheck', () => {
  describe('http', () => {
    it('probes with curl on Compose and with httpGet on Kubernetes', () => {
      const { compose, container } = render(HealthCheck.http('/healthz'));

      expect(compose).toEqual({
        test: ['CMD', 'curl', '-fsS', '-o', '/dev/null', 'http://localhost:8080/healthz'],
        interval: '10s',
        timeout: '5s',
        retries: 3,
      });
      const probe = { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 };
      expect(container.readinessProbe).toEqual(probe);
      // Compose marks an unhealthy container and never restarts it: neither does Kubernetes.
      expect(container.livenessProbe).toBeUndefined();
      expect(container.startupProbe).toBeUndefined();
    });

    it('probes with wget where the image has no curl', () => {
      const { compose, container } = render(HealthCheck.http('/healthz', { probeTool: ProbeTool.WGET }));

      expect(compose.test).toEqual(['CMD', 'wget', '-q', '--spider', 'http://localhost:8080/healthz']);
      expect(container.readinessProbe.httpGet).toEqual({ path: '/healthz', port: 8080 });
    });

    it('probes with a command of its own, filling in the URL', () => {
      const { compose } = render(HealthCheck.http('/healthz', { probeTool: ProbeTool.command(['/bin/probe', '--url', '{url}']) }));

      expect(compose.test).toEqual(['CMD', '/bin/probe', '--url', 'http://localhost:8080/healthz']);
    });

    it('fills in the port and the URL each in its own place in a probe command', () => {
      const { compose } = render(
        HealthCheck.http('/healthz', { probeTool: ProbeTool.command(['/bin/probe', '--port={port}', '--url={url}']) }),
      );

      expect(compose.test).toEqual(['CMD', '/bin/probe', '--port=8080', '--url=http://localhost:8080/healthz']);
    });

    it('probes the port it is given rather than the first one', () => {
      const { compose, container } = render(HealthCheck.http('/metrics', { port: 9090 }));

      expect(compose.test).toEqual(['CMD', 'curl', '-fsS', '-o', '/dev/null', 'http://localhost:9090/metrics']);
      expect(container.readinessProbe.httpGet).toEqual({ path: '/metrics', port: 9090 });
    });

    it('fails when the path does not start with a slash', () => {
      const stack = newStack();
      new WebApp(stack, 'web', { image: 'ghcr.io/acme/web:1.0.0', port: 8080, healthCheck: HealthCheck.http('healthz') });

      expect(() => Testing.synth(stack)).toThrow(/\[shop\/web\] HTTP health check path must start with '\/', got "healthz"/);
    });

    it('fails when the probe tool cannot probe HTTP', () => {
      const stack = newStack();
      new WebApp(stack, 'web', { image: 'ghcr.io/acme/web:1.0.0', port: 8080, healthCheck: HealthCheck.http('/', { probeTool: ProbeTool.NETCAT }) });

      expect(() => Testing.synth(stack)).toThrow(/\[shop\/web\] the probe tool given to HealthCheck\.http cannot probe HTTP; use ProbeTool\.CURL/);
    });
  });

  describe('tcp', () => {
    it('probes with nc on Compose and with tcpSocket on Kubernetes', () => {
      const stack = newStack();
      new ContainerService(stack, 'broker', {
        image: 'rabbitmq:3.13-alpine',
        ports: [{ port: 5672 }, { port: 15672 }],
        healthCheck: HealthCheck.tcp(),
      });

      const out = Testing.synth(stack);

      expect(out.compose!.services.broker.healthcheck).toEqual({
        test: ['CMD', 'nc', '-z', '127.0.0.1', '5672'],
        interval: '10s',
        timeout: '5s',
        retries: 3,
      });
      const container = manifest(out, 'Deployment', 'broker').spec.template.spec.containers[0];
      expect(container.readinessProbe).toEqual({ tcpSocket: { port: 5672 }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 });
      expect(container.readinessProbe.tcpSocket).toEqual({ port: 5672 });
    });

    it('fails when the probe tool cannot probe TCP', () => {
      const stack = newStack();
      new WebApp(stack, 'web', { image: 'ghcr.io/acme/web:1.0.0', port: 8080, healthCheck: HealthCheck.tcp({ probeTool: ProbeTool.CURL }) });

      expect(() => Testing.synth(stack)).toThrow(/\[shop\/web\] the probe tool given to HealthCheck\.tcp cannot probe TCP; use ProbeTool\.NETCAT/);
    });
  });

  describe('command', () => {
    it('runs the command without a shell on both targets', () => {
      const { compose, container } = render(HealthCheck.command(['/app/healthcheck', '--quick']));

      expect(compose.test).toEqual(['CMD', '/app/healthcheck', '--quick']);
      expect(container.readinessProbe.exec).toEqual({ command: ['/app/healthcheck', '--quick'] });
    });

    it('fails when the command is empty', () => {
      const stack = newStack();
      new Worker(stack, 'worker', { image: 'ghcr.io/acme/worker:1.0.0', healthCheck: HealthCheck.command([]) });

      expect(() => Testing.synth(stack)).toThrow(/\[shop\/worker\] HealthCheck\.command needs a non-empty list of strings/);
    });
  });

  describe('shell', () => {
    it('runs as CMD-SHELL on Compose and wrapped in sh -c on Kubernetes', () => {
      const { compose, container } = render(HealthCheck.shell('redis-cli ping | grep PONG'));

      expect(compose.test).toEqual(['CMD-SHELL', 'redis-cli ping | grep PONG']);
      expect(container.readinessProbe.exec).toEqual({ command: ['sh', '-c', 'redis-cli ping | grep PONG'] });
      expect(container.readinessProbe.exec).toEqual({ command: ['sh', '-c', 'redis-cli ping | grep PONG'] });
    });

    it('keeps a literal dollar for the shell on both targets', () => {
      const { compose, container } = render(HealthCheck.shell('test -f "$HOME/ready"'));

      // Compose would interpolate `$HOME` from the host; Kubernetes does not expand probes.
      expect(compose.test).toEqual(['CMD-SHELL', 'test -f "$$HOME/ready"']);
      expect(container.readinessProbe.exec.command).toEqual(['sh', '-c', 'test -f "$HOME/ready"']);
    });
  });

  describe('timings', () => {
    it('renders interval, timeout and retries on both targets', () => {
      const { compose, container } = render(
        HealthCheck.http('/healthz', { interval: Duration.seconds(30), timeout: Duration.seconds(10), retries: 5 }),
      );

      expect(compose).toMatchObject({ interval: '30s', timeout: '10s', retries: 5 });
      expect(compose.start_period).toBeUndefined();
      expect(container.readinessProbe).toMatchObject({ periodSeconds: 30, timeoutSeconds: 10, failureThreshold: 5 });
    });

    it('writes minutes as Compose durations', () => {
      const { compose } = render(HealthCheck.http('/', { interval: Duration.minutes(2), timeout: Duration.seconds(90) }));

      expect(compose).toMatchObject({ interval: '2m', timeout: '1m30s' });
    });

    it('turns a start period into start_period on Compose, and needs no startup probe where nothing restarts', () => {
      const { compose, container } = render(
        HealthCheck.http('/healthz', { interval: Duration.seconds(10), retries: 3, startPeriod: Duration.seconds(45) }),
      );

      expect(compose.start_period).toBe('45s');
      // A failing readiness probe only keeps traffic away while the container starts.
      expect(container.startupProbe).toBeUndefined();
      expect(container.readinessProbe.failureThreshold).toBe(3);
    });

    it('restarts a wedged container on Kubernetes only when asked, after the start period', () => {
      const stack = newStack();
      new WebApp(stack, 'web', {
        image: 'ghcr.io/acme/web:1.0.0',
        port: 8080,
        healthCheck: HealthCheck.http('/healthz', { interval: Duration.seconds(10), retries: 3, startPeriod: Duration.seconds(45) }),
        restartWhenUnhealthy: true,
      });

      const out = Testing.synth(stack);
      const container = (out.manifests.find((o: any) => o.kind === 'Deployment') as any).spec.template.spec.containers[0];
      const probe = { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 };
      expect(container.readinessProbe).toEqual(probe);
      expect(container.livenessProbe).toEqual(probe);
      // The startup probe allows the start period (ceil(45 / 10) = 5 checks) plus the usual retries.
      expect(container.startupProbe).toEqual({ ...probe, failureThreshold: 8 });
      expect(out.messages).toContainEqual(
        expect.objectContaining({ level: 'info', path: 'shop/web', message: expect.stringMatching(/restarts the container when it fails on Kubernetes .*Compose marks an unhealthy container and never restarts it/) }),
      );
    });

    it('keeps a timeout longer than the interval, as Compose and Kubernetes both run it', () => {
      const stack = newStack();
      new WebApp(stack, 'web', {
        image: 'ghcr.io/acme/web:1.0.0',
        port: 8080,
        healthCheck: HealthCheck.http('/', { interval: Duration.seconds(3), timeout: Duration.seconds(30) }),
      });

      const out = Testing.synth(stack);
      expect(out.compose!.services.web.healthcheck).toMatchObject({ interval: '3s', timeout: '30s' });
      const probe = (out.manifests.find((o: any) => o.kind === 'Deployment') as any).spec.template.spec.containers[0].readinessProbe;
      expect(probe).toMatchObject({ periodSeconds: 3, timeoutSeconds: 30 });
    });

    it('fails when a duration is not a whole number of seconds', () => {
      const stack = newStack();
      new WebApp(stack, 'web', { image: 'ghcr.io/acme/web:1.0.0', port: 8080, healthCheck: HealthCheck.http('/', { interval: Duration.seconds(2.5) }) });

      expect(() => Testing.synth(stack)).toThrow(/\[shop\/web\] health check interval: 2\.5 seconds is not a whole number of seconds of at least 1/);
    });

    it('fails when retries is below 1', () => {
      const stack = newStack();
      new WebApp(stack, 'web', { image: 'ghcr.io/acme/web:1.0.0', port: 8080, healthCheck: HealthCheck.http('/', { retries: 0 }) });

      expect(() => Testing.synth(stack)).toThrow(/\[shop\/web\] health check retries must be a whole number of at least 1, got 0/);
    });
  });
});
