import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { App, ContainerService, Env, HealthCheck, Mount, Size, Stack, SynthesizedStack, Testing, Volume, WebApp, Worker } from '../../lib';
import { manifest } from '../support/manifests';

function podSpec(out: SynthesizedStack, name: string): any {
  return manifest(out, 'Deployment', name).spec.template.spec;
}

function newStack() {
  const app = Testing.app();
  return new Stack(app, 'shop');
}

const IMAGE = 'ghcr.io/acme/app:2.1.0';

/**
 * What Kubernetes makes of a command, args or env value, following its expansion code
 * (k8s.io/kubernetes third_party/forked/golang/expansion): `$$` becomes `$`, and `$(NAME)`
 * is replaced; here every NAME counts as defined, the case where a literal matters most.
 */
function kubernetesExpand(input: string): string {
  let out = '';
  for (let i = 0; i < input.length; i++) {
    if (input[i] !== '$' || i + 1 >= input.length) {
      out += input[i];
    } else if (input[i + 1] === '$') {
      out += '$';
      i += 1;
    } else if (input[i + 1] === '(' && input.indexOf(')', i + 2) >= 0) {
      const close = input.indexOf(')', i + 2);
      out += `<value of ${input.slice(i + 2, close)}>`;
      i = close;
    } else {
      out += '$';
    }
  }
  return out;
}

/** What Compose makes of a value: `$$` becomes `$`, `$NAME` and `${...}` are interpolated. */
function composeInterpolate(input: string): string {
  return input.replace(/\$(\$|\{[^}]*\}|[A-Za-z_][A-Za-z0-9_]*)/g, (_, ref: string) => (ref === '$' ? '$' : `<value of ${ref}>`));
}

describe('ContainerService', () => {
  describe('ports', () => {
    it('exposes its ports on Compose and puts them behind a ClusterIP Service', () => {
      const stack = newStack();
      new ContainerService(stack, 'dns', {
        image: 'coredns/coredns:1.11.1',
        ports: [{ port: 53, protocol: 'UDP' }, { port: 9153, name: 'metrics' }],
      });

      const out = Testing.synth(stack);

      expect(out.compose!.services.dns.expose).toEqual(['53/udp', '9153']);
      expect(out.compose!.services.dns.ports).toBeUndefined();
      expect(podSpec(out, 'dns').containers[0].ports).toEqual([
        { name: 'udp-53', containerPort: 53, protocol: 'UDP' },
        { name: 'metrics', containerPort: 9153, protocol: 'TCP' },
      ]);
      expect(manifest(out, 'Service', 'dns').spec).toMatchObject({
        type: 'ClusterIP',
        ports: [
          { name: 'udp-53', port: 53, targetPort: 'udp-53', protocol: 'UDP' },
          { name: 'metrics', port: 9153, targetPort: 'metrics', protocol: 'TCP' },
        ],
      });
    });

    it('publishes a port on a host address on Compose only', () => {
      const stack = newStack();
      new ContainerService(stack, 'mail', {
        image: 'axllent/mailpit:v1.20',
        ports: [{ port: 8025, hostPort: 8025, hostIp: '127.0.0.1' }, { port: 1025 }],
      });

      const out = Testing.synth(stack);

      expect(out.compose!.services.mail.ports).toEqual(['127.0.0.1:8025:8025']);
      expect(out.files['compose.yaml']).toContain('- "127.0.0.1:8025:8025"');
      expect(JSON.stringify(podSpec(out, 'mail'))).not.toMatch(/hostPort|hostIP/);
      expect(out.messages).toContainEqual({
        level: 'info',
        path: 'shop/mail',
        message: expect.stringMatching(/^host port 8025 is published on Compose only/),
      });
    });

    it('has no Kubernetes Service without ports', () => {
      const stack = newStack();
      new ContainerService(stack, 'cron', { image: IMAGE });

      const out = Testing.synth(stack);

      expect(out.manifests.map((m) => `${m.kind}/${m.metadata.name}`)).toEqual(['Deployment/cron']);
      expect(out.compose!.services.cron.expose).toBeUndefined();
    });

    it('fails when a port name is too long for Kubernetes', () => {
      const stack = newStack();
      new ContainerService(stack, 'api', { image: IMAGE, ports: [{ port: 8080, name: 'http-management-api' }] });

      expect(() => Testing.synth(stack)).toThrow(/\[shop\/api\] port name "http-management-api" is not a valid port name; use at most 15/);
    });
  });

  describe('connect', () => {
    it('gives a consumer <NAME>_HOST and <NAME>_PORT and waits for it to start', () => {
      const stack = newStack();
      const search = new ContainerService(stack, 'search-index', { image: 'opensearchproject/opensearch:2.15.0', ports: [{ port: 9200 }] });
      new Worker(stack, 'indexer', { image: IMAGE }).connect(search);

      const out = Testing.synth(stack);

      expect(out.compose!.services.indexer.environment).toEqual({ SEARCH_INDEX_HOST: 'search-index', SEARCH_INDEX_PORT: '9200' });
      expect(out.compose!.services.indexer.depends_on).toEqual({ 'search-index': { condition: 'service_started' } });
      const indexer = podSpec(out, 'indexer');
      expect(indexer.containers[0].env).toEqual([
        { name: 'SEARCH_INDEX_HOST', value: 'search-index' },
        { name: 'SEARCH_INDEX_PORT', value: '9200' },
      ]);
      expect(indexer.initContainers).toEqual([
        {
          name: 'wait-for-search-index',
          image: 'busybox:1.36',
          command: ['sh', '-c', 'until nc -z -w 2 search-index 9200; do echo "waiting for search-index:9200"; sleep 2; done'],
          resources: {
            limits: { cpu: '100m', memory: '32Mi', 'ephemeral-storage': '8Mi' },
            requests: { cpu: '10m', memory: '16Mi', 'ephemeral-storage': '1Mi' },
          },
          securityContext: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
        },
      ]);
    });

    it('makes a consumer wait for it to be healthy when it has a health check', () => {
      const stack = newStack();
      const search = new ContainerService(stack, 'search', {
        image: 'opensearchproject/opensearch:2.15.0',
        ports: [{ port: 9200 }],
        healthCheck: HealthCheck.http('/_cluster/health'),
      });
      new Worker(stack, 'indexer', { image: IMAGE }).connect(search, { env: 'SEARCH_ADDRESS' });

      const out = Testing.synth(stack);

      expect(out.compose!.services.indexer.depends_on).toEqual({ search: { condition: 'service_healthy' } });
      expect(out.compose!.services.indexer.environment).toEqual({ SEARCH_ADDRESS: 'search:9200' });
    });

    it('uses the image and init container images the stack names', () => {
      const app = Testing.app();
      const stack = new Stack(app, 'shop', { waitImage: 'registry.acme.io/busybox:1.36' });
      const search = new ContainerService(stack, 'search', { image: 'opensearchproject/opensearch:2.15.0', ports: [{ port: 9200 }] });
      new Worker(stack, 'indexer', { image: IMAGE, after: [search] });

      expect(podSpec(Testing.synth(stack), 'indexer').initContainers[0].image).toBe('registry.acme.io/busybox:1.36');
    });
  });

  describe('process', () => {
    it('maps entrypoint to command and command to args', () => {
      const stack = newStack();
      new ContainerService(stack, 'app', { image: IMAGE, entrypoint: ['/usr/bin/tini', '--'], command: ['node', 'server.js'], workingDir: '/srv' });

      const out = Testing.synth(stack);

      expect(out.compose!.services.app).toMatchObject({ entrypoint: ['/usr/bin/tini', '--'], command: ['node', 'server.js'], working_dir: '/srv' });
      expect(podSpec(out, 'app').containers[0]).toMatchObject({ command: ['/usr/bin/tini', '--'], args: ['node', 'server.js'], workingDir: '/srv' });
    });

    it('doubles every literal dollar in commands and values on both targets', () => {
      // GIVEN a command and a value that the container must receive exactly as written
      const stack = newStack();
      new ContainerService(stack, 'app', {
        image: IMAGE,
        entrypoint: ['/bin/sh', '-c'],
        command: ['echo "$HOME" $(hostname) ${USER}'],
        env: { PRICE: 'costs $5, or $(ask)' },
      });

      // WHEN
      const out = Testing.synth(stack);

      // THEN Compose interpolates `$`, Kubernetes expands `$(` and reduces `$$`: both get every `$` doubled
      expect(out.compose!.services.app.command).toEqual(['echo "$$HOME" $$(hostname) $${USER}']);
      expect(out.compose!.services.app.environment).toEqual({ PRICE: 'costs $$5, or $$(ask)' });
      const app = podSpec(out, 'app').containers[0];
      expect(app.args).toEqual(['echo "$$HOME" $$(hostname) $${USER}']);
      expect(app.env).toEqual([{ name: 'PRICE', value: 'costs $$5, or $$(ask)' }]);
    });

    it('passes every literal dollar through Kubernetes expansion unchanged, $$ included', () => {
      // GIVEN texts that a shell must receive as written (`$$` is the shell's own PID)
      const texts = ['echo $$ > /run/app.pid', 'echo "$HOME" $(hostname)', 'kill -0 $$ && echo $$(true)', 'cost: $5$'];
      const stack = newStack();
      new ContainerService(stack, 'app', {
        image: IMAGE,
        command: texts,
        env: Object.fromEntries(texts.map((text, i) => [`TEXT_${i}`, text])),
      });

      // WHEN
      const out = Testing.synth(stack);

      // THEN what Kubernetes makes of them, with every reference defined, is the text itself
      const app = podSpec(out, 'app').containers[0];
      expect(app.args.map(kubernetesExpand)).toEqual(texts);
      expect(app.env.map((e: { value: string }) => kubernetesExpand(e.value))).toEqual(texts);
      expect((out.compose!.services.app.command as string[]).map(composeInterpolate)).toEqual(texts);
    });

    it('keeps plain values of every type as strings', () => {
      const stack = newStack();
      new ContainerService(stack, 'app', { image: IMAGE, env: { WORKERS: 4, DEBUG: false, GREETING: Env.concat('hello ', 'world') } });

      const out = Testing.synth(stack);

      expect(out.compose!.services.app.environment).toEqual({ WORKERS: '4', DEBUG: 'false', GREETING: 'hello world' });
      expect(out.files['compose.yaml']).toMatch(/WORKERS: "4"/);
      expect(podSpec(out, 'app').containers[0].env).toEqual([
        { name: 'WORKERS', value: '4' },
        { name: 'DEBUG', value: 'false' },
        { name: 'GREETING', value: 'hello world' },
      ]);
    });
  });

  describe('resources', () => {
    it('renders limits and reservations in each target’s units', () => {
      const stack = newStack();
      new ContainerService(stack, 'app', {
        image: IMAGE,
        resources: { limits: { cpu: 2, memory: Size.gibibytes(1.5) }, requests: { cpu: 0.5, memory: Size.mebibytes(512) } },
      });

      const out = Testing.synth(stack);

      expect(out.compose!.services.app.deploy).toEqual({
        resources: { limits: { cpus: '2', memory: '1536m' }, reservations: { cpus: '0.5', memory: '512m' } },
      });
      expect(out.files['compose.yaml']).toMatch(/cpus: "0\.5"/);
      expect(podSpec(out, 'app').containers[0].resources).toEqual({
        limits: { cpu: '2', memory: '1536Mi' },
        requests: { cpu: '500m', memory: '512Mi' },
      });
    });

    it('fails when cpu is negative or memory is a bare number', () => {
      const stack = newStack();
      new ContainerService(stack, 'app', {
        image: IMAGE,
        resources: { limits: { cpu: -1 }, requests: { memory: 512 as unknown as Size } },
      });

      expect(() => Testing.synth(stack)).toThrow(
        /\[shop\/app\] resources\.limits\.cpu must be a number of cores above 0.*got -1\n.*\[shop\/app\] resources\.requests\.memory must be a Size such as Size\.mebibytes\(512\), got 512/,
      );
    });
  });

  describe('hardening', () => {
    it('renders user, read-only root, capabilities and no-new-privileges on both targets', () => {
      const stack = newStack();
      new ContainerService(stack, 'app', {
        image: IMAGE,
        security: { user: 10001, group: 10001, readOnlyRootFilesystem: true, dropCapabilities: ['ALL'], addCapabilities: ['NET_BIND_SERVICE'] },
      });

      const out = Testing.synth(stack);

      expect(out.compose!.services.app).toMatchObject({
        user: '10001:10001',
        read_only: true,
        cap_drop: ['ALL'],
        cap_add: ['NET_BIND_SERVICE'],
        security_opt: ['no-new-privileges:true'],
      });
      const pod = podSpec(out, 'app');
      expect(pod.securityContext).toEqual({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      expect(pod.containers[0].securityContext).toEqual({
        runAsUser: 10001,
        runAsGroup: 10001,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] },
      });
    });

    it('forbids privilege escalation and keeps the runtime default seccomp profile by default', () => {
      const stack = newStack();
      new ContainerService(stack, 'app', { image: IMAGE });

      const out = Testing.synth(stack);

      expect(out.compose!.services.app.security_opt).toEqual(['no-new-privileges:true']);
      expect(out.compose!.services.app.user).toBeUndefined();
      const pod = podSpec(out, 'app');
      expect(pod.securityContext).toEqual({ seccompProfile: { type: 'RuntimeDefault' } });
      expect(pod.containers[0].securityContext).toEqual({ allowPrivilegeEscalation: false });
    });

    it('fails when a capability carries the CAP_ prefix', () => {
      const stack = newStack();
      new ContainerService(stack, 'app', { image: IMAGE, security: { addCapabilities: ['CAP_NET_ADMIN'] } });

      expect(() => Testing.synth(stack)).toThrow(/\[shop\/app\] security\.addCapabilities has "CAP_NET_ADMIN"; write capabilities without the CAP_ prefix/);
    });
  });

  describe('mounts', () => {
    it('renders scratch space as tmpfs on Compose and an in-memory emptyDir on Kubernetes', () => {
      const stack = newStack();
      new ContainerService(stack, 'web', {
        image: 'nginx:1.27-alpine',
        mounts: [Mount.tmpfs('/tmp'), Mount.tmpfs('/var/cache/nginx', { size: Size.mebibytes(64) })],
      });

      const out = Testing.synth(stack);

      expect(out.compose!.services.web.tmpfs).toEqual(['/tmp']);
      expect(out.compose!.services.web.volumes).toEqual([{ type: 'tmpfs', target: '/var/cache/nginx', tmpfs: { size: 64 * 1024 * 1024 } }]);
      const pod = podSpec(out, 'web');
      expect(pod.volumes).toEqual([
        { name: 'tmp-tmp', emptyDir: { medium: 'Memory' } },
        { name: 'tmp-var-cache-nginx', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
      ]);
      expect(pod.containers[0].volumeMounts).toEqual([
        { name: 'tmp-tmp', mountPath: '/tmp' },
        { name: 'tmp-var-cache-nginx', mountPath: '/var/cache/nginx' },
      ]);
    });

    it('rewrites a bind mount relative to the output folder on Compose and leaves it out on Kubernetes with a warning', () => {
      const stack = newStack();
      new ContainerService(stack, 'web', { image: 'nginx:1.27-alpine', mounts: [Mount.bind('./site/', '/usr/share/nginx/html', { readOnly: true })] });

      const out = Testing.synth(stack);

      // Testing synthesizes as if into cdk.out/shop/, two folders below the app.
      expect(out.compose!.services.web.volumes).toEqual(['../../site:/usr/share/nginx/html:ro']);
      const pod = podSpec(out, 'web');
      expect(pod.volumes).toBeUndefined();
      expect(pod.containers[0].volumeMounts).toBeUndefined();
      expect(out.messages).toContainEqual({
        level: 'warning',
        path: 'shop/web',
        message: 'host path ./site/ mounted at /usr/share/nginx/html is left out on Kubernetes, which has no host folders; bake the files into the image',
      });
    });

    it('points a bind mount and a build context at the app’s folder from wherever the output is written', () => {
      // GIVEN an app in one folder that writes its output into another
      const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cdkc-bind-'));
      try {
        const app = new App({ outdir: path.join(root, 'out', 'deep'), sourceDir: path.join(root, 'project'), printSummary: false });
        const stack = new Stack(app, 'dev', { targets: ['compose'] });
        new ContainerService(stack, 'web', { build: { context: './web', target: 'dev' }, mounts: [Mount.bind('./web/src', '/app/src')] });

        // WHEN
        app.synth();

        // THEN the paths lead from <outdir>/dev/ back to the project
        const compose = parse(fs.readFileSync(path.join(root, 'out', 'deep', 'dev', 'compose.yaml'), 'utf8'));
        expect(compose.services.web.build).toEqual({ context: '../../../project/web', target: 'dev' });
        expect(compose.services.web.volumes).toEqual(['../../../project/web/src:/app/src']);
      } finally {
        fs.rmSync(root, { recursive: true, force: true });
      }
    });

    it('renders a shared Volume as a Compose named volume and a Kubernetes claim', () => {
      const stack = newStack();
      const uploads = new Volume(stack, 'uploads', { size: Size.gibibytes(20), storageClass: 'efs', accessMode: 'ReadWriteMany' });
      new ContainerService(stack, 'api', { image: IMAGE, mounts: [Mount.volume(uploads, '/srv/uploads')] });
      new ContainerService(stack, 'thumbnailer', { image: IMAGE, mounts: [Mount.volume(uploads, '/data', { readOnly: true })] });

      const out = Testing.synth(stack);

      expect(out.compose!.volumes).toEqual({ uploads: {} });
      expect(out.compose!.services.api.volumes).toEqual(['uploads:/srv/uploads']);
      expect(out.compose!.services.thumbnailer.volumes).toEqual(['uploads:/data:ro']);
      expect(manifest(out, 'PersistentVolumeClaim', 'uploads').spec).toEqual({
        accessModes: ['ReadWriteMany'],
        storageClassName: 'efs',
        resources: { requests: { storage: '20Gi' } },
      });
      const thumbnailer = podSpec(out, 'thumbnailer');
      expect(thumbnailer.volumes).toEqual([{ name: 'uploads', persistentVolumeClaim: { claimName: 'uploads', readOnly: true } }]);
      expect(thumbnailer.containers[0].volumeMounts).toEqual([{ name: 'uploads', mountPath: '/data', readOnly: true }]);
      expect(out.messages).toEqual([]);
    });

    it('warns when a ReadWriteOnce volume is mounted by several pods', () => {
      const stack = newStack();
      const uploads = new Volume(stack, 'uploads');
      new ContainerService(stack, 'api', { image: IMAGE, replicas: 2, mounts: [Mount.volume(uploads, '/srv/uploads')] });
      new ContainerService(stack, 'thumbnailer', { image: IMAGE, mounts: [Mount.volume(uploads, '/data')] });

      const out = Testing.synth(stack);

      expect(manifest(out, 'PersistentVolumeClaim', 'uploads').spec.accessModes).toEqual(['ReadWriteOnce']);
      expect(out.messages).toEqual([
        {
          level: 'warning',
          path: 'shop/uploads',
          message: expect.stringMatching(/^volume uploads is mounted by 3 pods \(api, thumbnailer\) but is ReadWriteOnce;.*'ReadWriteMany'/),
        },
      ]);
    });

    it('does not warn about a ReadWriteOnce volume of a single pod', () => {
      const stack = newStack();
      const uploads = new Volume(stack, 'uploads');
      new ContainerService(stack, 'api', { image: IMAGE, mounts: [Mount.volume(uploads, '/srv/uploads')] });

      expect(Testing.synth(stack).messages).toEqual([]);
    });

    it('fails when two mounts share a target', () => {
      const stack = newStack();
      new ContainerService(stack, 'api', { image: IMAGE, mounts: [Mount.tmpfs('/tmp'), Mount.bind('./tmp', '/tmp')] });

      expect(() => Testing.synth(stack)).toThrow(/\[shop\/api\] two mounts share the target path \/tmp; give each its own path/);
    });
  });

  describe('images', () => {
    it('builds from source on Compose and pulls the image it is tagged as on Kubernetes', () => {
      const stack = newStack();
      new ContainerService(stack, 'api', {
        image: 'ghcr.io/acme/api:dev',
        build: { context: './api', dockerfile: 'Dockerfile.prod', args: { NODE_VERSION: '20' } },
      });

      const out = Testing.synth(stack);

      expect(out.compose!.services.api).toMatchObject({
        image: 'ghcr.io/acme/api:dev',
        build: { context: '../../api', dockerfile: 'Dockerfile.prod', args: { NODE_VERSION: '20' } },
      });
      expect(podSpec(out, 'api').containers[0].image).toBe('ghcr.io/acme/api:dev');
    });

    it('builds without an image reference in a Compose-only stack', () => {
      const app = Testing.app();
      const stack = new Stack(app, 'dev', { targets: ['compose'] });
      new ContainerService(stack, 'api', { build: { context: '.' } });

      const out = Testing.synth(stack);

      expect(out.compose!.services.api.image).toBeUndefined();
      expect(out.compose!.services.api.build).toEqual({ context: '../..' });
      expect(out.manifests).toEqual([]);
      expect(Object.keys(out.files).sort()).toEqual(['.env.example', '.gitignore', 'compose.yaml']);
    });
  });

  it('renders only Kubernetes for a Kubernetes-only stack', () => {
    const app = Testing.app();
    const stack = new Stack(app, 'prod', { targets: ['kubernetes'], namespace: 'shop-prod' });
    new WebApp(stack, 'web', { image: IMAGE, port: 8080 });

    const out = Testing.synth(stack);

    expect(out.compose).toBeUndefined();
    expect(out.files['compose.yaml']).toBeUndefined();
    expect(out.kustomization).toMatchObject({ namespace: 'shop-prod', resources: ['deployment-web.yaml', 'service-web.yaml'] });
  });
});
