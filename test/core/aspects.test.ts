import { IConstruct } from 'constructs';
import { Annotations, Aspects, IAspect, PostgresService, Secret, Size, Stack, Testing, WebApp, Worker, Workload } from '../../lib';
import { manifest, container } from '../support/manifests';
import { thrown } from '../support/thrown';

/** An organisation's defaults: every workload runs as 1000 with no capability, within 512 MiB. */
class PlatformDefaults implements IAspect {
  public visit(node: IConstruct): void {
    if (Workload.isWorkload(node) && !(node instanceof PostgresService)) {
      node.applyDefaults({
        security: { user: 1000, group: 1000, dropCapabilities: ['ALL'] },
        resources: { limits: { memory: Size.mebibytes(512) } },
      });
    }
  }
}

/** Only images from the organisation's registry. */
class RegistryAllowList implements IAspect {
  public constructor(private readonly registry: string) {}

  public visit(node: IConstruct): void {
    if (Workload.isWorkload(node) && node.image !== undefined && !node.image.startsWith(`${this.registry}/`)) {
      Annotations.of(node).addError(`image ${node.image} is not from ${this.registry}; push it there and use that reference`);
    }
  }
}

describe('Aspects', () => {
  it('apply an organisation-wide default to every workload under the scope, under what each was given', () => {
    const app = Testing.app();
    const stack = new Stack(app, 'shop', { podSecurity: 'restricted' });
    Aspects.of(app).add(new PlatformDefaults());
    new WebApp(stack, 'api', { image: 'ghcr.io/acme/api:1.0', port: 8080, resources: { limits: { memory: Size.gibibytes(1) } } });
    new Worker(stack, 'worker', { image: 'ghcr.io/acme/api:1.0', security: { user: 2000, group: 2000, dropCapabilities: ['ALL'] } });
    const out = Testing.synth(stack);
    const api = container(manifest(out, 'Deployment', 'api'));
    expect(api.securityContext).toMatchObject({ runAsUser: 1000, runAsGroup: 1000, capabilities: { drop: ['ALL'] } });
    expect(api.resources.limits.memory).toBe('1Gi');
    const worker = container(manifest(out, 'Deployment', 'worker'));
    expect(worker.securityContext).toMatchObject({ runAsUser: 2000 });
    expect(worker.resources.limits.memory).toBe('512Mi');
    expect(out.compose!.services.api.user).toBe('1000:1000');
  });

  it('run before validation, so a rule of their own fails synth naming the construct', () => {
    const app = Testing.app();
    const stack = new Stack(app, 'shop');
    Aspects.of(stack).add(new RegistryAllowList('registry.acme.com'));
    new WebApp(stack, 'api', { image: 'registry.acme.com/api:1.0', port: 8080 });
    new Worker(stack, 'worker', { image: 'docker.io/acme/worker:1.0' });
    const message = thrown(() => app.synth());
    expect(message).toContain('[shop/worker] image docker.io/acme/worker:1.0 is not from registry.acme.com');
    expect(message).not.toContain('[shop/api]');
  });

  it('apply only under the scope they were added to', () => {
    const app = Testing.app();
    const shop = new Stack(app, 'shop');
    const blog = new Stack(app, 'blog');
    Aspects.of(shop).add(new RegistryAllowList('registry.acme.com'));
    new Worker(shop, 'worker', { image: 'registry.acme.com/worker:1.0' });
    new Worker(blog, 'worker', { image: 'docker.io/acme/worker:1.0' });
    expect(() => Testing.synth(blog)).not.toThrow();
  });

  it('visit each construct once, however often the app is synthesized', () => {
    const app = Testing.app();
    const stack = new Stack(app, 'shop');
    const visits: string[] = [];
    Aspects.of(app).add({ visit: (node) => visits.push(node.node.path) });
    new Worker(stack, 'worker', { image: 'ghcr.io/acme/worker:1.0' });
    Testing.synth(stack);
    Testing.synth(stack);
    expect(visits.filter((p) => p === 'shop/worker')).toHaveLength(1);
  });

  it('visit what another aspect adds under the node it visits', () => {
    const app = Testing.app();
    const stack = new Stack(app, 'shop');
    const seen: string[] = [];
    Aspects.of(app).add({
      visit: (node) => {
        if (node === stack) new PostgresService(stack, 'db', { version: '16', password: Secret.fromEnv('DB_PASSWORD') });
      },
    });
    Aspects.of(app).add({ visit: (node) => seen.push(node.node.path) });
    new Worker(stack, 'worker', { image: 'ghcr.io/acme/worker:1.0' });
    Testing.synth(stack);
    expect(seen).toContain('shop/db');
    expect(Testing.synth(stack).compose!.services.db).toBeDefined();
  });
});
