import { Network, Stack, Testing, Worker } from '../../lib';
import { synthChecked } from '../support/synth-checked';

describe('Network (shared between Compose projects)', () => {
  it('gives a shared network its plain name on the engine, which another project joins as external', () => {
    const app = Testing.app();
    const infra = new Stack(app, 'infra');
    const apps = new Stack(app, 'apps');
    const created = new Network(infra, 'backplane', { shared: true });
    const joined = new Network(apps, 'backplane', { external: true });
    new Worker(infra, 'db', { image: 'acme/db:1', networks: [created] });
    new Worker(apps, 'api', { image: 'acme/api:1', networks: [joined] });

    expect(Testing.synth(infra).compose!.networks).toEqual({ backplane: { name: 'backplane' } });
    expect(Testing.synth(apps).compose!.networks).toEqual({ backplane: { external: true } });
  });

  it('keeps a network private to its project by default', () => {
    const stack = new Stack(Testing.app(), 'shop');
    new Worker(stack, 'api', { image: 'acme/api:1', networks: [new Network(stack, 'backend')] });

    expect(Testing.synth(stack).compose!.networks).toEqual({ backend: {} });
  });

  it('is left out on Kubernetes with a note, as every network is', () => {
    const stack = new Stack(Testing.app(), 'shop');
    new Worker(stack, 'api', { image: 'acme/api:1', networks: [new Network(stack, 'backplane', { shared: true })] });

    const out = Testing.synth(stack);

    expect(out.messages).toContainEqual({
      level: 'info',
      path: 'shop/backplane',
      message: 'network backplane is left out on Kubernetes, where the NetworkPolicies of the connection graph keep workloads apart',
    });
  });

  it('passes the Compose schema and docker-compose config', () => {
    synthChecked((stack) => {
      new Worker(stack, 'api', { image: 'acme/api:1', networks: [new Network(stack, 'backplane', { shared: true })] });
    }, 'network-check');
  });

  it('fails when a network is both external and shared', () => {
    const stack = new Stack(Testing.app(), 'shop');
    new Network(stack, 'backplane', { shared: true, external: true });

    expect(() => Testing.synth(stack)).toThrow(/\[shop\/backplane\] is both external and shared; the project that creates the network marks it shared/);
  });
});
