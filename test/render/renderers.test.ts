import { App, HealthCheck, PostgresService, Secret, Stack, WebApp, synthesize } from '../../lib';
import { StackModel } from '../../lib/model';
import { renderCompose } from '../../lib/render/compose';
import { KubernetesManifests, renderKubernetes } from '../../lib/render/k8s';

/** The object of `kind` named `name` among the rendered manifests, for assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function object(manifests: KubernetesManifests, kind: string, name: string): any {
  return manifests.files.find((f) => f.object.kind === kind && f.object.metadata.name === name)?.object;
}

/** The model synth builds for a shop: the renderers' only input. */
function shopModel(): StackModel {
  const app = new App({ outdir: '/nonexistent', printSummary: false });
  const stack = new Stack(app, 'shop');
  const db = new PostgresService(stack, 'db', { password: Secret.fromEnv('POSTGRES_PASSWORD') });
  new WebApp(stack, 'api', { image: 'ghcr.io/acme/api:1.0.0', port: 8080, healthCheck: HealthCheck.http('/healthz') }).connect(db, { env: 'DATABASE_URL' });
  return synthesize(app).stacks[0].model;
}

/** `model` with its workload `name` changed by `change`: model in, documents out. */
function withWorkload(model: StackModel, name: string, change: (w: StackModel['workloads'][number]) => object): StackModel {
  return { ...model, workloads: model.workloads.map((w) => (w.name === name ? { ...w, ...change(w) } : w)) };
}

describe('the renderers, from a model', () => {
  it('render the replicas of the model on both targets', () => {
    const model = withWorkload(shopModel(), 'api', () => ({ replicas: 4 }));

    const compose = renderCompose(model).documents.document;
    const kubernetes = renderKubernetes(model).documents;

    expect((compose.services as Record<string, { deploy?: { replicas?: number } }>).api.deploy?.replicas).toBe(4);
    expect(object(kubernetes, 'Deployment', 'api').spec.replicas).toBe(4);
  });

  it('render a dependency of the model as depends_on and as an init container that waits', () => {
    const model = shopModel();

    const compose = renderCompose(model).documents.document;
    const kubernetes = renderKubernetes(model).documents;

    expect((compose.services as Record<string, { depends_on?: unknown }>).api.depends_on).toEqual({ db: { condition: 'service_healthy' } });
    expect(object(kubernetes, 'Deployment', 'api').spec.template.spec.initContainers.map((c: { name: string }) => c.name)).toEqual(['wait-for-db']);
  });

  it('report what a target leaves out as notes or warnings, never as errors: judging the input is synth\'s', () => {
    const model = withWorkload(shopModel(), 'api', (w) => ({ ports: w.ports.map((p) => ({ ...p, hostPort: 8080 })), containerName: 'shop-api' }));

    const messages = [...renderCompose(model).messages, ...renderKubernetes(model).messages];

    expect(messages.map((m) => m.level)).not.toContain('error');
    expect(messages).toContainEqual(expect.objectContaining({ level: 'info', path: 'shop/api', message: expect.stringMatching(/^host port 8080 is published on Compose only/) }));
  });
});
