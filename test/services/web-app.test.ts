import { ContainerService, HealthCheck, Stack, Testing, WebApp, Worker } from '../../lib';
import { manifest, container } from '../support/manifests';

function newStack() {
  const app = Testing.app();
  return new Stack(app, 'shop');
}

const IMAGE = 'ghcr.io/acme/web:1.4.2';

describe('WebApp', () => {
  it('renders a Compose service with its port on the project network', () => {
    const stack = newStack();
    new WebApp(stack, 'web', { image: IMAGE, port: 8080 });

    const out = Testing.synth(stack);

    expect(out.compose!.services.web).toEqual({
      image: IMAGE,
      expose: ['8080'],
      restart: 'unless-stopped',
      security_opt: ['no-new-privileges:true'],
    });
  });

  it('renders a Deployment and a ClusterIP Service for its port', () => {
    const stack = newStack();
    new WebApp(stack, 'web', { image: IMAGE, port: 8080, replicas: 3 });

    const out = Testing.synth(stack);

    const deployment = manifest(out, 'Deployment', 'web');
    expect(deployment.spec.replicas).toBe(3);
    expect(deployment.spec.selector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/part-of': 'shop' } });
    expect(container(deployment).image).toBe(IMAGE);
    expect(container(deployment).ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
    expect(manifest(out, 'Service', 'web').spec).toEqual({
      type: 'ClusterIP',
      selector: { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/part-of': 'shop' },
      ports: [{ name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP' }],
    });
    expect(out.compose!.services.web.deploy).toEqual({ replicas: 3 });
    expect(out.manifests.map((m) => m.kind).sort()).toEqual(['Deployment', 'Service']);
  });

  it('renders a public endpoint as an Ingress with host, path and TLS', () => {
    const stack = newStack();
    new WebApp(stack, 'web', {
      image: IMAGE,
      port: 8080,
      publicEndpoint: { host: 'shop.example.com', path: '/api', tlsSecretName: 'shop-example-com-tls', ingressClassName: 'nginx' },
    });

    const ingress = manifest(Testing.synth(stack), 'Ingress', 'web');

    expect(ingress.apiVersion).toBe('networking.k8s.io/v1');
    expect(ingress.spec).toEqual({
      ingressClassName: 'nginx',
      tls: [{ hosts: ['shop.example.com'], secretName: 'shop-example-com-tls' }],
      rules: [
        {
          host: 'shop.example.com',
          http: {
            paths: [{ path: '/api', pathType: 'Prefix', backend: { service: { name: 'web', port: { name: 'http' } } } }],
          },
        },
      ],
    });
  });

  it('routes the whole host over plain HTTP when only a host is given', () => {
    const stack = newStack();
    new WebApp(stack, 'web', { image: IMAGE, port: 8080, publicEndpoint: { host: 'shop.example.com' } });

    const ingress = manifest(Testing.synth(stack), 'Ingress', 'web');

    expect(ingress.spec.tls).toBeUndefined();
    expect(ingress.spec.ingressClassName).toBeUndefined();
    expect(ingress.spec.rules[0].http.paths[0].path).toBe('/');
  });

  it('has no Ingress without a public endpoint', () => {
    const stack = newStack();
    new WebApp(stack, 'web', { image: IMAGE, port: 8080 });

    expect(Testing.synth(stack).manifests.filter((m) => m.kind === 'Ingress')).toEqual([]);
  });

  it('publishes its port on Compose only, and notes that Kubernetes does not', () => {
    const stack = newStack();
    new WebApp(stack, 'web', { image: IMAGE, port: 8080, hostPort: 80 });

    const out = Testing.synth(stack);

    expect(out.compose!.services.web.ports).toEqual(['80:8080']);
    const deployment = manifest(out, 'Deployment', 'web');
    expect(container(deployment).ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
    expect(manifest(out, 'Service', 'web').spec.type).toBe('ClusterIP');
    expect(out.messages).toEqual([
      {
        level: 'info',
        path: 'shop/web',
        message:
          'host port 80 is published on Compose only; on Kubernetes port 8080 is reachable inside the cluster through Service web; ' +
          'declare a publicEndpoint to expose it',
      },
    ]);
  });

  it('notes that a public endpoint without a host port is reachable inside the Compose project only', () => {
    const stack = newStack();
    new WebApp(stack, 'web', { image: IMAGE, port: 8080, publicEndpoint: { host: 'shop.example.com' } });

    const out = Testing.synth(stack);

    expect(out.compose!.services.web.ports).toBeUndefined();
    expect(out.messages).toContainEqual({
      level: 'info',
      path: 'shop/web',
      message: expect.stringMatching(/public endpoint shop\.example\.com\/ has no Compose equivalent/),
    });
  });

  it('gives a consumer its URL and waits for it to start when it has no health check', () => {
    const stack = newStack();
    const api = new WebApp(stack, 'api-gateway', { image: IMAGE, port: 8080 });
    new WebApp(stack, 'frontend', { image: 'ghcr.io/acme/frontend:2.0.0', port: 3000 }).connect(api);

    const out = Testing.synth(stack);

    expect(out.compose!.services.frontend.environment).toEqual({ API_GATEWAY_URL: 'http://api-gateway:8080' });
    expect(out.compose!.services.frontend.depends_on).toEqual({ 'api-gateway': { condition: 'service_started' } });
    const frontend = manifest(out, 'Deployment', 'frontend').spec.template.spec;
    expect(frontend.containers[0].env).toEqual([{ name: 'API_GATEWAY_URL', value: 'http://api-gateway:8080' }]);
    expect(frontend.initContainers).toHaveLength(1);
    expect(frontend.initContainers[0].command).toEqual([
      'sh', '-c', 'until nc -z -w 2 api-gateway 8080; do echo "waiting for api-gateway:8080"; sleep 2; done',
    ]);
  });

  it('makes a consumer wait for it to be healthy when it has a health check', () => {
    const stack = newStack();
    const api = new WebApp(stack, 'api', { image: IMAGE, port: 8080, healthCheck: HealthCheck.http('/healthz') });
    new Worker(stack, 'worker', { image: IMAGE }).connect(api, { env: 'API_BASE', scheme: 'https' });

    const out = Testing.synth(stack);

    expect(out.compose!.services.worker.depends_on).toEqual({ api: { condition: 'service_healthy' } });
    expect(out.compose!.services.worker.environment).toEqual({ API_BASE: 'https://api:8080' });
  });

  it('waits only for what it is told to wait for with `after`', () => {
    const stack = newStack();
    const search = new ContainerService(stack, 'search', { image: 'opensearchproject/opensearch:2', ports: [{ port: 9200 }] });
    new WebApp(stack, 'web', { image: IMAGE, port: 8080, after: [search] });

    const out = Testing.synth(stack);

    expect(out.compose!.services.web.depends_on).toEqual({ search: { condition: 'service_started' } });
    expect(out.compose!.services.web.environment).toBeUndefined();
    expect(manifest(out, 'Deployment', 'web').spec.template.spec.initContainers[0].name).toBe('wait-for-search');
  });

  it('fails without a port', () => {
    const stack = newStack();
    new WebApp(stack, 'web', { image: IMAGE } as unknown as { image: string; port: number });

    expect(() => Testing.synth(stack)).toThrow(/\[shop\/web\] WebApp needs the port its HTTP server listens on; add `port: 8080`/);
  });

  it('fails when a public endpoint path does not start with a slash', () => {
    const stack = newStack();
    new WebApp(stack, 'web', { image: IMAGE, port: 8080, publicEndpoint: { host: 'shop.example.com', path: 'api' } });

    expect(() => Testing.synth(stack)).toThrow(/\[shop\/web\] public endpoint path "api" must start with '\/'/);
  });

  it('fails when several replicas publish one host port', () => {
    const stack = newStack();
    new WebApp(stack, 'web', { image: IMAGE, port: 8080, hostPort: 8080, replicas: 2 });

    expect(() => Testing.synth(stack)).toThrow(/\[shop\/web\] publishes host port 8080 from 2 replicas.*remove hostPort or run one replica/);
  });
});
