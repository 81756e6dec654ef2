import { HealthCheck, Network, Parameter, Stack, Testing, TraefikProxy, WebApp, Worker } from '../../lib';
import { manifest } from '../support/manifests';
import { synthChecked } from '../support/synth-checked';

function newStack(props: { profiles?: string[] } = {}) {
  return new Stack(Testing.app(), 'shop', props);
}

function newWeb(stack: Stack, id = 'web') {
  return new WebApp(stack, id, { image: 'ghcr.io/acme/web:1.0.0', port: 8000, healthCheck: HealthCheck.http('/health') });
}

describe('TraefikProxy', () => {
  it('renders a Traefik service with the Docker provider, ports 80 and 443, and a ping health check', () => {
    const stack = newStack();
    new TraefikProxy(stack, 'traefik');

    const out = Testing.synth(stack);

    expect(out.compose!.services.traefik).toEqual({
      image: 'traefik:v3.0',
      command: [
        '--providers.docker=true',
        '--providers.docker.exposedbydefault=false',
        '--providers.docker.constraints=Label(`com.docker.compose.project`,`shop`)',
        '--entrypoints.web.address=:80',
        '--entrypoints.websecure.address=:443',
        '--entrypoints.traefik.address=:8080',
        '--ping=true',
      ],
      expose: ['80', '443', '8080'],
      ports: ['80:80', '443:443'],
      volumes: ['/var/run/docker.sock:/var/run/docker.sock:ro'],
      healthcheck: { test: ['CMD', 'traefik', 'healthcheck', '--ping'], interval: '10s', timeout: '5s', retries: 3 },
      restart: 'unless-stopped',
      security_opt: ['no-new-privileges:true'],
    });
    expect(out.compose!.volumes).toBeUndefined();
  });

  it('resolves Let\'s Encrypt certificates and keeps them on a named volume', () => {
    const stack = newStack();
    new TraefikProxy(stack, 'traefik', { letsEncrypt: { email: 'ops@example.com', staging: true }, httpPort: 8080, httpsPort: 8443 });

    const out = Testing.synth(stack);

    const traefik = out.compose!.services.traefik;
    expect(traefik.command).toEqual(
      expect.arrayContaining([
        '--certificatesresolvers.letsencrypt.acme.email=ops@example.com',
        '--certificatesresolvers.letsencrypt.acme.storage=/letsencrypt/acme.json',
        '--certificatesresolvers.letsencrypt.acme.tlschallenge=true',
        '--certificatesresolvers.letsencrypt.acme.caserver=https://acme-staging-v02.api.letsencrypt.org/directory',
      ]),
    );
    expect(traefik.ports).toEqual(['8080:80', '8443:443']);
    expect(traefik.volumes).toEqual(['traefik-data:/letsencrypt', '/var/run/docker.sock:/var/run/docker.sock:ro']);
    expect(out.compose!.volumes).toEqual({ 'traefik-data': {} });
  });

  it('is left out on Kubernetes with a message naming it, whatever profiles the stack enables', () => {
    const stack = newStack({ profiles: ['proxy'] });
    new TraefikProxy(stack, 'traefik', { profiles: ['proxy'], letsEncrypt: { email: 'ops@example.com' } });

    const out = Testing.synth(stack);

    expect(out.manifests).toEqual([]);
    expect(out.messages).toContainEqual(
      expect.objectContaining({ level: 'info', path: 'shop/traefik', message: expect.stringMatching(/^left out on Kubernetes: the cluster's ingress controller/) }),
    );
    expect(out.compose!.services.traefik.profiles).toEqual(['proxy']);
  });

  it('routes a workload with Traefik labels on Compose only and an Ingress on Kubernetes', () => {
    const stack = newStack();
    const web = newWeb(stack);
    new TraefikProxy(stack, 'traefik', { letsEncrypt: { email: 'ops@example.com' } }).route(web, {
      host: 'p88.example.com',
      tls: true,
      tlsSecretName: 'p88-example-com-tls',
    });

    const out = Testing.synth(stack);

    expect(out.compose!.services.web.labels).toEqual({
      'traefik.enable': 'true',
      'traefik.http.routers.web.rule': 'Host(`p88.example.com`)',
      'traefik.http.routers.web.entrypoints': 'websecure',
      'traefik.http.routers.web.service': 'web',
      'traefik.http.routers.web.tls': 'true',
      'traefik.http.routers.web.tls.certresolver': 'letsencrypt',
      'traefik.http.routers.web-http.rule': 'Host(`p88.example.com`)',
      'traefik.http.routers.web-http.entrypoints': 'web',
      'traefik.http.routers.web-http.middlewares': 'web-https',
      'traefik.http.middlewares.web-https.redirectscheme.scheme': 'https',
      'traefik.http.middlewares.web-https.redirectscheme.permanent': 'true',
      'traefik.http.services.web.loadbalancer.server.port': '8000',
    });
    const deployment = manifest(out, 'Deployment', 'web');
    expect(deployment.metadata.annotations).toBeUndefined();
    expect(manifest(out, 'Ingress', 'web').spec).toEqual({
      tls: [{ hosts: ['p88.example.com'], secretName: 'p88-example-com-tls' }],
      rules: [
        {
          host: 'p88.example.com',
          http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { name: 'http' } } } }] },
        },
      ],
    });
    expect(out.messages.map((m) => m.message)).not.toContainEqual(expect.stringContaining('has no Compose equivalent'));
  });

  it('routes plain HTTP on a path prefix, with the ingress class given', () => {
    const stack = newStack();
    const web = newWeb(stack);
    new TraefikProxy(stack, 'traefik').route(web, { host: 'p88.example.com', path: '/api', ingressClassName: 'nginx' });

    const out = Testing.synth(stack);

    expect(out.compose!.services.web.labels).toEqual({
      'traefik.enable': 'true',
      'traefik.http.routers.web.rule': 'Host(`p88.example.com`) && PathPrefix(`/api`)',
      'traefik.http.routers.web.entrypoints': 'web',
      'traefik.http.routers.web.service': 'web',
      'traefik.http.services.web.loadbalancer.server.port': '8000',
    });
    const ingress = manifest(out, 'Ingress', 'web');
    expect(ingress.spec.tls).toBeUndefined();
    expect(ingress.spec.ingressClassName).toBe('nginx');
    expect(ingress.spec.rules[0].http.paths[0].path).toBe('/api');
  });

  it('names the TLS secret after the workload by default, and uses Traefik\'s default certificate without Let\'s Encrypt', () => {
    const stack = newStack();
    const web = newWeb(stack);
    new TraefikProxy(stack, 'traefik').route(web, { host: 'p88.localhost', tls: true });

    const out = Testing.synth(stack);

    expect(out.compose!.services.web.labels).not.toHaveProperty(['traefik.http.routers.web.tls.certresolver']);
    expect(manifest(out, 'Ingress', 'web').spec.tls).toEqual([{ hosts: ['p88.localhost'], secretName: 'web-tls' }]);
  });

  it('names the engine\'s network of a dockerNetwork in the provider and on routed services', () => {
    const stack = newStack();
    const webnet = new Network(stack, 'webnet');
    const web = new WebApp(stack, 'web', { image: 'ghcr.io/acme/web:1.0.0', port: 8000, networks: [webnet] });
    const overlay = new Network(stack, 'overlay', { external: true });
    const admin = new WebApp(stack, 'admin', { image: 'ghcr.io/acme/admin:1.0.0', port: 8000, networks: [overlay] });
    new TraefikProxy(stack, 'traefik', { dockerNetwork: webnet }).route(web, { host: 'p88.example.com' });
    new TraefikProxy(stack, 'edge', { dockerNetwork: overlay, httpPort: 8081, httpsPort: 8444 }).route(admin, { host: 'admin.example.com' });

    const out = Testing.synth(stack);

    // Traefik routes over webnet, as its provider says; reach-web is the network that only it and web join.
    expect(out.compose!.services.traefik.networks).toEqual(['reach-web', 'webnet']);
    expect(out.compose!.services.traefik.command).toContain('--providers.docker.network=shop_webnet');
    expect((out.compose!.services.web.labels as Record<string, string>)['traefik.docker.network']).toBe('shop_webnet');
    expect((out.compose!.services.admin.labels as Record<string, string>)['traefik.docker.network']).toBe('overlay');
  });

  it('passes the real-tool checks with a TLS route', () => {
    synthChecked((stack) => {
      const web = newWeb(stack);
      new TraefikProxy(stack, 'traefik', { letsEncrypt: { email: 'ops@example.com' }, profiles: ['proxy'] }).route(web, {
        host: 'p88.example.com',
        tls: true,
      });
    }, 'proxied');
  });

  it('fails when a routed workload has no port', () => {
    const stack = newStack();
    const worker = new Worker(stack, 'worker', { image: 'ghcr.io/acme/worker:1.0.0' });
    new TraefikProxy(stack, 'traefik').route(worker, { host: 'p88.example.com' });

    expect(() => Testing.synth(stack)).toThrow(/\[shop\/traefik\] route\(\) was given shop\/worker, which has no port to route to/);
  });

  it('fails when a workload is routed twice', () => {
    const stack = newStack();
    const web = newWeb(stack);
    new TraefikProxy(stack, 'traefik').route(web, { host: 'p88.example.com' }).route(web, { host: 'www.example.com' });

    expect(() => Testing.synth(stack)).toThrow(/\[shop\/web\] has two public endpoints/);
  });

  it('fails when the route host is not a host name', () => {
    const stack = newStack();
    const web = newWeb(stack);
    new TraefikProxy(stack, 'traefik').route(web, { host: 'P88 Example' });

    expect(() => Testing.synth(stack)).toThrow(/\[shop\/web\] public endpoint host "P88 Example" is not a DNS host name/);
  });

  it('fails when a workload of another stack is routed', () => {
    const app = Testing.app();
    const a = new Stack(app, 'a');
    const b = new Stack(app, 'b');
    const web = newWeb(b);
    new TraefikProxy(a, 'traefik').route(web, { host: 'p88.example.com' });

    expect(() => Testing.synth(a)).toThrow(/\[a\/traefik\] route\(\) was given b\/web of another stack/);
  });

  it('fails when a workload waits for the proxy, which Kubernetes does not have', () => {
    const stack = newStack();
    const traefik = new TraefikProxy(stack, 'traefik');
    new WebApp(stack, 'web', { image: 'ghcr.io/acme/web:1.0.0', port: 8000, after: [traefik] });

    expect(() => Testing.synth(stack)).toThrow(/\[shop\/web\] waits for traefik, which exists on Compose only/);
  });

  it('fails when the Let\'s Encrypt e-mail is not an address', () => {
    const stack = newStack();
    new TraefikProxy(stack, 'traefik', { letsEncrypt: { email: 'ops' } });

    expect(() => Testing.synth(stack)).toThrow(/\[shop\/traefik\] letsEncrypt.email "ops" is not an e-mail address/);
  });

  it("reads the engine's socket where the deploy says: a literal host path, or a parameter with the usual path as its default", () => {
    const rootless = synthChecked((stack) => new TraefikProxy(stack, 'traefik', { dockerSocket: '/run/user/1000/docker.sock' }));
    expect((rootless.compose!.services.traefik as any).volumes).toEqual(['/run/user/1000/docker.sock:/var/run/docker.sock:ro']);

    const chosen = synthChecked((stack) => {
      const socket = new Parameter(stack, 'DOCKER_SOCKET', { default: '/var/run/docker.sock' });
      new TraefikProxy(stack, 'traefik', { dockerSocket: socket.valueAsString });
    });
    expect((chosen.compose!.services.traefik as any).volumes).toEqual(['${DOCKER_SOCKET:-/var/run/docker.sock}:/var/run/docker.sock:ro']);
    expect(chosen.files['.env.example']).toContain('# DOCKER_SOCKET=/var/run/docker.sock');
  });

  it('refuses a socket path that is not absolute', () => {
    const stack = newStack();
    new TraefikProxy(stack, 'traefik', { dockerSocket: 'docker.sock' });

    expect(() => Testing.synth(stack)).toThrow(/\[shop\/traefik\] host path "docker.sock" is not an absolute path of the host/);
  });
});
