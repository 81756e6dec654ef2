import { HealthCheck, RabbitMqService, Secret, Size, Stack, Testing, Worker } from '../../lib';
import { manifest, container } from '../support/manifests';
import { synthChecked } from '../support/synth-checked';

function newStack() {
  return new Stack(Testing.app(), 'shop');
}

const REQUIRED = (name: string) => `\${${name}:?set ${name} in .env (see .env.example)}`;
const PASSWORD = Secret.fromEnv('RABBITMQ_PASSWORD', { description: 'Password of the broker user' });

describe('RabbitMqService', () => {
  it('renders the management image with AMQP and UI ports, a named data volume and a connectivity check on Compose', () => {
    const stack = newStack();
    new RabbitMqService(stack, 'rabbitmq', { password: PASSWORD });

    const out = Testing.synth(stack);

    expect(out.compose!.services.rabbitmq).toEqual({
      image: 'rabbitmq:3.13-management',
      environment: {
        RABBITMQ_DEFAULT_USER: 'app',
        RABBITMQ_DEFAULT_PASS: REQUIRED('RABBITMQ_PASSWORD'),
        RABBITMQ_NODENAME: 'rabbit@localhost',
      },
      expose: ['5672', '15672'],
      volumes: ['rabbitmq-data:/var/lib/rabbitmq'],
      healthcheck: {
        test: ['CMD', 'rabbitmq-diagnostics', '-q', 'check_port_connectivity'],
        interval: '10s',
        timeout: '10s',
        retries: 5,
        start_period: '30s',
      },
      restart: 'unless-stopped',
      user: '999:999',
      cap_drop: ['ALL'],
      security_opt: ['no-new-privileges:true'],
    });
    expect(out.compose!.volumes).toEqual({ 'rabbitmq-data': {} });
    expect(out.files['.env.example']).toMatch(/^RABBITMQ_PASSWORD=$/m);
  });

  it('runs as a StatefulSet with a stable node name, a headless Service for both ports and a claim', () => {
    const stack = newStack();
    new RabbitMqService(stack, 'rabbitmq', { password: PASSWORD, storage: Size.gibibytes(5) });

    const out = Testing.synth(stack);

    const statefulSet = manifest(out, 'StatefulSet', 'rabbitmq');
    expect(container(statefulSet).env).toEqual([
      { name: 'RABBITMQ_DEFAULT_PASS', valueFrom: { secretKeyRef: { name: 'shop-secrets', key: 'RABBITMQ_PASSWORD' } } },
      { name: 'RABBITMQ_DEFAULT_USER', value: 'app' },
      { name: 'RABBITMQ_NODENAME', value: 'rabbit@localhost' },
    ]);
    expect(container(statefulSet).volumeMounts).toEqual([{ name: 'data', mountPath: '/var/lib/rabbitmq' }]);
    expect(statefulSet.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('5Gi');
    expect(container(statefulSet).readinessProbe).toMatchObject({
      exec: { command: ['rabbitmq-diagnostics', '-q', 'check_port_connectivity'] },
    });
    expect(container(statefulSet).startupProbe).toBeUndefined();
    const service = manifest(out, 'Service', 'rabbitmq');
    expect(service.spec.clusterIP).toBe('None');
    expect(service.spec.ports).toEqual([
      { name: 'amqp', port: 5672, targetPort: 'amqp', protocol: 'TCP' },
      { name: 'management', port: 15672, targetPort: 'management', protocol: 'TCP' },
    ]);
  });

  it('publishes the AMQP and management ports on Compose only when asked, with notes for Kubernetes', () => {
    const stack = newStack();
    new RabbitMqService(stack, 'rabbitmq', { password: PASSWORD, hostPort: 5672, managementHostPort: 15672 });

    const out = Testing.synth(stack);

    expect(out.compose!.services.rabbitmq.ports).toEqual(['5672:5672', '15672:15672']);
    const notes = out.messages.filter((m) => m.level === 'info').map((m) => m.message);
    expect(notes).toEqual(
      expect.arrayContaining([expect.stringMatching(/host port 5672 is published on Compose only/), expect.stringMatching(/host port 15672 is published on Compose only/)]),
    );
  });

  it('publishes the UI alone when only the management host port is given', () => {
    const stack = newStack();
    new RabbitMqService(stack, 'rabbitmq', { password: PASSWORD, managementHostPort: 8080 });

    expect(Testing.synth(stack).compose!.services.rabbitmq.ports).toEqual(['8080:15672']);
  });

  it('has no management port with a tag without the management plugin', () => {
    const stack = newStack();
    new RabbitMqService(stack, 'rabbitmq', { password: PASSWORD, version: '3.13-alpine' });

    const out = Testing.synth(stack);

    expect(out.compose!.services.rabbitmq.expose).toEqual(['5672']);
    expect(manifest(out, 'Service', 'rabbitmq').spec.ports).toHaveLength(1);
  });

  it('gives a consumer an amqp:// URL with the password as a Secret reference, and waits until it is healthy', () => {
    const stack = newStack();
    const broker = new RabbitMqService(stack, 'rabbitmq', { password: PASSWORD, user: Secret.fromEnv('RABBITMQ_USER') });
    new Worker(stack, 'worker', { image: 'acme/worker:1' }).connect(broker).connect(broker, { env: 'AMQPS_URL', scheme: 'amqps' });

    const out = Testing.synth(stack);

    expect(out.compose!.services.worker.environment).toEqual({
      RABBITMQ_URL: `amqp://${REQUIRED('RABBITMQ_USER')}:${REQUIRED('RABBITMQ_PASSWORD')}@rabbitmq:5672`,
      AMQPS_URL: `amqps://${REQUIRED('RABBITMQ_USER')}:${REQUIRED('RABBITMQ_PASSWORD')}@rabbitmq:5672`,
    });
    expect(out.compose!.services.worker.depends_on).toEqual({ rabbitmq: { condition: 'service_healthy' } });
    const env = container(manifest(out, 'Deployment', 'worker')).env;
    expect(env).toContainEqual({ name: 'RABBITMQ_URL', value: 'amqp://$(RABBITMQ_USER):$(RABBITMQ_PASSWORD)@rabbitmq:5672' });
    const waits = manifest(out, 'Deployment', 'worker').spec.template.spec.initContainers.map((c: any) => c.command.join(' '));
    expect(waits).toEqual([expect.stringContaining('nc -z -w 2 rabbitmq 5672')]);
  });

  it('uses a health check given instead of the built-in one', () => {
    const stack = newStack();
    new RabbitMqService(stack, 'rabbitmq', { password: PASSWORD, healthCheck: HealthCheck.command(['rabbitmq-diagnostics', '-q', 'ping']) });

    expect((Testing.synth(stack).compose!.services.rabbitmq as any).healthcheck.test).toEqual(['CMD', 'rabbitmq-diagnostics', '-q', 'ping']);
  });

  it('percent-encodes a user given as text in the URL, on both targets, and passes the real tools', () => {
    const out = synthChecked((stack) => {
      const broker = new RabbitMqService(stack, 'rabbitmq', { password: PASSWORD, user: 'me@corp:$x' });
      new Worker(stack, 'worker', { image: 'acme/worker:1' }).connect(broker);
    });

    expect(out.compose!.services.worker.environment).toEqual({
      RABBITMQ_URL: `amqp://me%40corp%3A%24x:${REQUIRED('RABBITMQ_PASSWORD')}@rabbitmq:5672`,
    });
    expect(container(manifest(out, 'Deployment', 'worker')).env).toContainEqual({
      name: 'RABBITMQ_URL',
      value: 'amqp://me%40corp%3A%24x:$(RABBITMQ_PASSWORD)@rabbitmq:5672',
    });
    expect((out.compose!.services.rabbitmq.environment as Record<string, string>).RABBITMQ_DEFAULT_USER).toBe('me@corp:$$x');
  });

  it('passes the Compose schema, docker-compose config, the Kubernetes schemas and kubectl kustomize', () => {
    synthChecked((stack) => {
      const broker = new RabbitMqService(stack, 'rabbitmq', { password: PASSWORD, hostPort: 5672, managementHostPort: 15672 });
      new Worker(stack, 'worker', { image: 'acme/worker:1' }).connect(broker);
    }, 'rabbitmq-check');
  });

  describe('fails on bad input', () => {
    const synthOf = (props: object) => {
      const stack = newStack();
      new RabbitMqService(stack, 'rabbitmq', props as never);
      return () => Testing.synth(stack);
    };

    it('fails when the password is missing or a plain string', () => {
      expect(synthOf({})).toThrow(/\[shop\/rabbitmq\] password must be a Secret, got undefined; use Secret\.fromEnv\('RABBITMQ_PASSWORD'\)/);
      expect(synthOf({ password: 'guest' })).toThrow(/\[shop\/rabbitmq\] password must be a Secret, got a literal string/);
    });

    it('fails when the user is empty', () => {
      expect(synthOf({ password: PASSWORD, user: '' })).toThrow(/\[shop\/rabbitmq\] user must be a non-empty string or a Secret, got ""/);
    });

    it('fails when the management UI is published from a tag without it', () => {
      expect(synthOf({ password: PASSWORD, version: '3.13', managementHostPort: 15672 })).toThrow(
        /\[shop\/rabbitmq\] managementHostPort is 15672, but rabbitmq:3\.13 has no management UI; use a '-management' tag/,
      );
    });

    it('fails when a host port is not a port number', () => {
      expect(synthOf({ password: PASSWORD, managementHostPort: 70000 })).toThrow(/host port 70000 for container port 15672 is not a port number/);
    });

    it('fails when a consumer asks for a database number', () => {
      const stack = newStack();
      const broker = new RabbitMqService(stack, 'rabbitmq', { password: PASSWORD });
      new Worker(stack, 'worker', { image: 'acme/worker:1' }).connect(broker, { database: 1 });
      expect(() => Testing.synth(stack)).toThrow(/\[shop\/worker\] connect\(rabbitmq\): RabbitMQ has no numbered databases/);
    });
  });
});
