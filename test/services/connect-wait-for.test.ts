import { ContainerService, RedisService, Stack, Testing, WebApp } from '../../lib';
import { manifest } from '../support/manifests';
import { synthChecked } from '../support/synth-checked';

function newApi(stack: Stack) {
  return new WebApp(stack, 'api', { image: 'ghcr.io/acme/api:1.0.0', port: 8000 });
}

describe('connect() waitFor', () => {
  it("starts the consumer once the target has started with 'started': on Kubernetes once its pod runs and listens, ready or not", () => {
    const out = synthChecked((stack) => {
      const redis = new RedisService(stack, 'redis');
      newApi(stack).connect(redis, { env: 'CELERY_BROKER_URL', waitFor: 'started' });
    });

    expect(out.compose!.services.api.depends_on).toEqual({ redis: { condition: 'service_started' } });
    expect(out.compose!.services.api.environment).toEqual({ CELERY_BROKER_URL: 'redis://redis:6379/0' });
    const init = manifest(out, 'Deployment', 'api').spec.template.spec.initContainers;
    expect(init.map((c: { name: string }) => c.name)).toEqual(['wait-for-redis']);
    // The redis Service routes to ready pods only: the wait goes through one that publishes them before.
    expect(init[0].command[2]).toContain('nc -z -w 2 redis-started 6379');
    expect(manifest(out, 'Service', 'redis-started').spec).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true, ports: [{ port: 6379 }] });
    // The app itself still reaches redis through its usual Service.
    expect(manifest(out, 'Service', 'redis').spec.publishNotReadyAddresses).toBeUndefined();
  });

  it("names the -started Service of a target whose name leaves no room for -started with a digest, within 63 characters", () => {
    const name = `r${'e'.repeat(59)}dis`;
    const out = synthChecked((stack) => {
      const redis = new RedisService(stack, name);
      newApi(stack).connect(redis, { env: 'CELERY_BROKER_URL', waitFor: 'started' });
    });

    const started = out.manifests.find((m) => m.kind === 'Service' && m.metadata.name !== name && m.metadata.name !== 'api')!;
    expect(started.metadata.name).toMatch(new RegExp(`^${name.slice(0, 52)}-[0-9a-f]{10}$`));
    expect(manifest(out, 'Deployment', 'api').spec.template.spec.initContainers[0].command[2]).toContain(`nc -z -w 2 ${started.metadata.name} 6379`);
  });

  it("waits for the usual Service when 'healthy', and renders no -started Service", () => {
    const stack = new Stack(Testing.app(), 'shop');
    newApi(stack).connect(new RedisService(stack, 'redis'));
    const out = Testing.synth(stack);
    expect(manifest(out, 'Deployment', 'api').spec.template.spec.initContainers[0].command[2]).toContain('nc -z -w 2 redis 6379');
    expect(out.manifests.map((m) => m.metadata.name)).not.toContain('redis-started');
  });

  it("only sets the variables with 'none'", () => {
    const stack = new Stack(Testing.app(), 'shop');
    const redis = new RedisService(stack, 'redis');
    newApi(stack).connect(redis, { waitFor: 'none' });

    const out = Testing.synth(stack);

    expect(out.compose!.services.api.depends_on).toBeUndefined();
    expect(out.compose!.services.api.environment).toEqual({ REDIS_URL: 'redis://redis:6379/0' });
    expect(manifest(out, 'Deployment', 'api').spec.template.spec.initContainers).toBeUndefined();
  });

  it('waits for a health check by default', () => {
    const stack = new Stack(Testing.app(), 'shop');
    const redis = new RedisService(stack, 'redis');
    newApi(stack).connect(redis);

    expect(Testing.synth(stack).compose!.services.api.depends_on).toEqual({ redis: { condition: 'service_healthy' } });
  });

  it("fails when 'healthy' is asked of a target without a health check", () => {
    const stack = new Stack(Testing.app(), 'shop');
    const cache = new ContainerService(stack, 'cache', { image: 'memcached:1.6', ports: [{ port: 11211 }] });
    newApi(stack).connect(cache, { waitFor: 'healthy' });

    expect(() => Testing.synth(stack)).toThrow(/\[shop\/api\] connect\(cache\) waits for cache to be healthy, but it has no health check/);
  });

  it('fails when waitFor is not a known value', () => {
    const stack = new Stack(Testing.app(), 'shop');
    const redis = new RedisService(stack, 'redis');
    newApi(stack).connect(redis, { waitFor: 'ready' as unknown as 'healthy' });

    expect(() => Testing.synth(stack)).toThrow(/\[shop\/api\] connect\(redis\): waitFor "ready" is not one of 'healthy', 'started' or 'none'/);
  });
});
