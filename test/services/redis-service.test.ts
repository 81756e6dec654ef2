import { Duration, RedisPersistence, RedisService, Secret, Size, Stack, Testing, Worker } from '../../lib';
import { manifest, container } from '../support/manifests';

function newStack() {
  const app = Testing.app();
  return new Stack(app, 'shop');
}

const REQUIRED = (name: string) => `\${${name}:?set ${name} in .env (see .env.example)}`;

describe('RedisService', () => {
  it('keeps an append-only file on a named volume by default', () => {
    const stack = newStack();
    new RedisService(stack, 'cache');

    const out = Testing.synth(stack);

    expect(out.compose!.services.cache).toEqual({
      image: 'redis:7-alpine',
      command: ['redis-server', '--appendonly', 'yes'],
      expose: ['6379'],
      volumes: ['cache-data:/data'],
      healthcheck: { test: ['CMD', 'redis-cli', 'ping'], interval: '10s', timeout: '3s', retries: 5 },
      restart: 'unless-stopped',
      user: '999:1000',
      cap_drop: ['ALL'],
      security_opt: ['no-new-privileges:true'],
    });
    expect(out.compose!.volumes).toEqual({ 'cache-data': {} });
  });

  it('runs with append-only persistence as a StatefulSet with a headless Service and a claim', () => {
    const stack = newStack();
    new RedisService(stack, 'cache', { persistence: RedisPersistence.appendOnly(), storage: Size.gibibytes(4), storageClass: 'standard' });

    const out = Testing.synth(stack);

    const statefulSet = manifest(out, 'StatefulSet', 'cache');
    expect(container(statefulSet).args).toEqual(['redis-server', '--appendonly', 'yes']);
    expect(container(statefulSet).volumeMounts).toEqual([{ name: 'data', mountPath: '/data' }]);
    expect(statefulSet.spec.volumeClaimTemplates).toEqual([
      {
        metadata: { name: 'data' },
        spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'standard', resources: { requests: { storage: '4Gi' } } },
      },
    ]);
    expect(manifest(out, 'Service', 'cache').spec.clusterIP).toBe('None');
    expect(out.manifests.filter((m) => m.kind === 'Deployment')).toEqual([]);
  });

  it('runs without persistence as a Deployment with no volume on either target', () => {
    const stack = newStack();
    new RedisService(stack, 'cache', { persistence: RedisPersistence.none() });

    const out = Testing.synth(stack);

    expect(out.compose!.services.cache.command).toEqual(['redis-server', '--save', '', '--appendonly', 'no']);
    expect(out.compose!.services.cache).not.toHaveProperty('volumes');
    expect(out.compose!).not.toHaveProperty('volumes');
    const deployment = manifest(out, 'Deployment', 'cache');
    expect(container(deployment).volumeMounts).toBeUndefined();
    expect(deployment.spec.template.spec.volumes).toBeUndefined();
    expect(out.manifests.filter((m) => m.kind === 'StatefulSet' || m.kind === 'PersistentVolumeClaim')).toEqual([]);
    const service = manifest(out, 'Service', 'cache');
    expect(service.spec.type).toBe('ClusterIP');
    expect(service.spec.clusterIP).toBeUndefined();
  });

  it('saves snapshots on the schedule given, on a volume', () => {
    const stack = newStack();
    new RedisService(stack, 'cache', { persistence: RedisPersistence.snapshots(Duration.minutes(5), 100) });

    const out = Testing.synth(stack);

    expect(out.compose!.services.cache.command).toEqual(['redis-server', '--save', '300 100', '--appendonly', 'no']);
    expect(out.compose!.services.cache.volumes).toEqual(['cache-data:/data']);
    expect(container(manifest(out, 'StatefulSet', 'cache')).args).toEqual(['redis-server', '--save', '300 100', '--appendonly', 'no']);
  });

  it('appends extra server arguments after the persistence ones', () => {
    const stack = newStack();
    new RedisService(stack, 'cache', { serverArgs: ['--maxmemory', '100mb', '--maxmemory-policy', 'allkeys-lru'] });

    const out = Testing.synth(stack);

    expect(out.compose!.services.cache.command).toEqual([
      'redis-server', '--appendonly', 'yes', '--maxmemory', '100mb', '--maxmemory-policy', 'allkeys-lru',
    ]);
  });

  it('reads requirepass from the environment and gives redis-cli the password through REDISCLI_AUTH', () => {
    const stack = newStack();
    new RedisService(stack, 'cache', { password: Secret.fromEnv('REDIS_PASSWORD') });

    const out = Testing.synth(stack);

    // Compose interpolates `$` and Kubernetes reduces `$$`: the shell must receive `$REDIS_PASSWORD`.
    const script = 'exec docker-entrypoint.sh redis-server --appendonly yes --requirepass "$$REDIS_PASSWORD"';
    expect(out.compose!.services.cache.command).toEqual(['sh', '-c', script]);
    expect(out.compose!.services.cache.environment).toEqual({
      REDIS_PASSWORD: REQUIRED('REDIS_PASSWORD'),
      REDISCLI_AUTH: REQUIRED('REDIS_PASSWORD'),
    });
    expect((out.compose!.services.cache.healthcheck as Record<string, unknown>).test).toEqual(['CMD', 'redis-cli', 'ping']);

    const redis = container(manifest(out, 'StatefulSet', 'cache'));
    expect(redis.args).toEqual(['sh', '-c', script]);
    expect(redis.env).toEqual([
      { name: 'REDIS_PASSWORD', valueFrom: { secretKeyRef: { name: 'shop-secrets', key: 'REDIS_PASSWORD' } } },
      { name: 'REDISCLI_AUTH', valueFrom: { secretKeyRef: { name: 'shop-secrets', key: 'REDIS_PASSWORD' } } },
    ]);
    expect(redis.readinessProbe.exec).toEqual({ command: ['redis-cli', 'ping'] });
  });

  it('lets the official entrypoint drop root privileges when it has a password', () => {
    // The image's docker-entrypoint.sh switches to the `redis` user only when its first
    // argument is `redis-server`; a `sh -c` command runs the server as root.
    const stack = newStack();
    new RedisService(stack, 'cache', { password: Secret.fromEnv('REDIS_PASSWORD') });

    const command = Testing.synth(stack).compose!.services.cache.command as string[];

    const startsServer = command[0] === 'redis-server' || /^exec docker-entrypoint\.sh redis-server /.test(command[2] ?? '');
    expect({ command, startsServer }).toEqual({ command, startsServer: true });
  });

  it('quotes snapshot arguments for the shell when it has a password', () => {
    const stack = newStack();
    new RedisService(stack, 'cache', {
      password: Secret.fromEnv('REDIS_PASSWORD'),
      persistence: RedisPersistence.snapshots(Duration.seconds(60), 1000),
    });

    const out = Testing.synth(stack);

    expect(container(manifest(out, 'StatefulSet', 'cache')).args).toEqual([
      'sh', '-c', `exec docker-entrypoint.sh redis-server --save '60 1000' --appendonly no --requirepass "$$REDIS_PASSWORD"`,
    ]);
  });

  it('never writes the password into any output file', () => {
    // GIVEN a password present in the environment of the process that synthesizes
    const value = 'redis-pw-value-0815';
    const previous = process.env.REDIS_PASSWORD;
    process.env.REDIS_PASSWORD = value;
    try {
      const stack = newStack();
      const redis = new RedisService(stack, 'cache', { password: Secret.fromEnv('REDIS_PASSWORD') });
      new Worker(stack, 'worker', { image: 'ghcr.io/acme/worker:1.0.0' }).connect(redis);

      // WHEN
      const out = Testing.synth(stack);

      // THEN
      for (const [file, text] of Object.entries(out.files)) {
        expect({ file, leaks: text.includes(value) }).toEqual({ file, leaks: false });
      }
    } finally {
      if (previous === undefined) delete process.env.REDIS_PASSWORD;
      else process.env.REDIS_PASSWORD = previous;
    }
  });

  it('gives a consumer REDIS_URL and waits for Redis to be healthy', () => {
    const stack = newStack();
    const redis = new RedisService(stack, 'cache');
    new Worker(stack, 'worker', { image: 'ghcr.io/acme/worker:1.0.0' }).connect(redis);

    const out = Testing.synth(stack);

    expect(out.compose!.services.worker.environment).toEqual({ REDIS_URL: 'redis://cache:6379/0' });
    expect(out.compose!.services.worker.depends_on).toEqual({ cache: { condition: 'service_healthy' } });
    const worker = manifest(out, 'Deployment', 'worker').spec.template.spec;
    expect(worker.containers[0].env).toEqual([{ name: 'REDIS_URL', value: 'redis://cache:6379/0' }]);
    expect(worker.initContainers.map((c: { command: string[] }) => c.command[2])).toEqual([
      expect.stringContaining('nc -z -w 2 cache 6379'),
    ]);
  });

  it('puts the database number and the password reference into the URL', () => {
    const stack = newStack();
    const redis = new RedisService(stack, 'cache', { password: Secret.fromEnv('REDIS_PASSWORD') });
    new Worker(stack, 'worker', { image: 'ghcr.io/acme/worker:1.0.0' }).connect(redis, { env: 'CELERY_BROKER_URL', database: 2 });

    const out = Testing.synth(stack);

    expect(out.compose!.services.worker.environment).toEqual({
      CELERY_BROKER_URL: `redis://:${REQUIRED('REDIS_PASSWORD')}@cache:6379/2`,
    });
    expect(container(manifest(out, 'Deployment', 'worker')).env).toEqual([
      { name: 'REDIS_PASSWORD', valueFrom: { secretKeyRef: { name: 'shop-secrets', key: 'REDIS_PASSWORD' } } },
      { name: 'CELERY_BROKER_URL', value: 'redis://:$(REDIS_PASSWORD)@cache:6379/2' },
    ]);
  });

  it('fails when a consumer asks for a database number Redis does not have', () => {
    const stack = newStack();
    const redis = new RedisService(stack, 'cache');
    new Worker(stack, 'worker', { image: 'ghcr.io/acme/worker:1.0.0' }).connect(redis, { database: 16 });

    expect(() => Testing.synth(stack)).toThrow(/\[shop\/worker\] connect\(cache\): database must be a Redis database number from 0 to 15, got 16/);
  });

  it('fails when the password is a plain string', () => {
    const stack = newStack();
    new RedisService(stack, 'cache', { password: 'hunter2' as unknown as Secret });

    expect(() => Testing.synth(stack)).toThrow(/\[shop\/cache\] password must be a Secret; use Secret\.fromEnv\('REDIS_PASSWORD'\)/);
  });
});
