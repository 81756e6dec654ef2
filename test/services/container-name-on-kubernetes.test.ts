import { MigrationJob, Stack, Testing, WebApp } from '../../lib';

function newStack() {
  return new Stack(Testing.app(), 'shop');
}

describe('containerName on Kubernetes', () => {
  it('is left out with a note naming the Service that other workloads reach instead', () => {
    const stack = newStack();
    new WebApp(stack, 'api', { image: 'ghcr.io/acme/api:1.0.0', port: 4000, containerName: 'shop-api' });

    const out = Testing.synth(stack);

    expect(out.compose!.services.api.container_name).toBe('shop-api');
    expect(out.files['k8s/deployment-api.yaml']).not.toContain('shop-api');
    expect(out.messages).toContainEqual({
      level: 'info',
      path: 'shop/api',
      message: 'container name shop-api is left out on Kubernetes, where the controller names the pods; other workloads reach it as api (its Service), not as shop-api',
    });
  });

  it('names no Service when the container has the name of the workload, which the Service answers to', () => {
    const stack = newStack();
    new WebApp(stack, 'api', { image: 'ghcr.io/acme/api:1.0.0', port: 4000, containerName: 'api' });

    expect(Testing.synth(stack).messages).toContainEqual({
      level: 'info',
      path: 'shop/api',
      message: 'container name api is left out on Kubernetes, where the controller names the pods',
    });
  });

  it('names no Service for a job', () => {
    const stack = newStack();
    new MigrationJob(stack, 'migrate', { image: 'ghcr.io/acme/api:1.0.0', containerName: 'shop-migrate' });

    expect(Testing.synth(stack).messages).toContainEqual({
      level: 'info',
      path: 'shop/migrate',
      message: 'container name shop-migrate is left out on Kubernetes, where the controller names the pods',
    });
  });

  it('adds no note without a container name', () => {
    const stack = newStack();
    new WebApp(stack, 'api', { image: 'ghcr.io/acme/api:1.0.0', port: 4000 });

    expect(Testing.synth(stack).messages.filter((m) => m.message.startsWith('container name'))).toEqual([]);
  });
});
