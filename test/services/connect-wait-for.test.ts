import { ContainerService, RedisService, Stack, Testing, WebApp } from '../../lib';
import { manifest } from '../support/manifests';

function newApi(stack: Stack) {
  return new WebApp(stack, 'api', { image: 'ghcr.io/acme/api:1.0.0', port: 8000 });
}

describe('connect() waitFor', () => {
  it("starts the consumer once the target has started with 'started', still waiting for its port on Kubernetes", () => {
    const stack = new Stack(Testing.app(), 'shop');
    const redis = new RedisService(stack, 'redis');
    newApi(stack).connect(redis, { env: 'CELERY_BROKER_URL', waitFor: 'started' });

    const out = Testing.synth(stack);

    expect(out.compose!.services.api.depends_on).toEqual({ redis: { condition: 'service_started' } });
    expect(out.compose!.services.api.environment).toEqual({ CELERY_BROKER_URL: 'redis://redis:6379/0' });
    const init = manifest(out, 'Deployment', 'api').spec.template.spec.initContainers;
    expect(init.map((c: { name: string }) => c.name)).toEqual(['wait-for-redis']);
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
