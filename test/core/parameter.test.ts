import { App, ContainerService, Env, MigrationJob, Mount, Parameter, Secret, Stack, Testing, Worker } from '../../lib';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { checkStackOutput, kubectlKustomize } from '../support/real-tools';
import { synthChecked } from '../support/synth-checked';
import { thrown } from '../support/thrown';

const app = (): App => Testing.app();
function newStack(name = 'shop', within = app()): Stack {
  return new Stack(within, name);
}

describe('Parameter', () => {
  it('renders a parameterized image, host port, bind source and env value as ${NAME:-default} on Compose', () => {
    const out = synthChecked((stack) => {
      const tag = new Parameter(stack, 'API_TAG', { default: '1.4.2', description: 'the release to run' });
      const port = new Parameter(stack, 'API_PORT', { default: '8080' });
      const uploads = new Parameter(stack, 'UPLOADS', { default: './uploads' });
      new ContainerService(stack, 'api', {
        image: `ghcr.io/acme/api:${tag}`,
        ports: [{ port: 8080, hostPort: port.valueAsNumber }],
        mounts: [Mount.bind(uploads.valueAsString, '/srv/uploads')],
        env: { RELEASE: tag.valueAsString, BANNER: `running ${tag}` },
      });
    });
    const api = out.compose!.services.api;
    expect(api.image).toBe('ghcr.io/acme/api:${API_TAG:-1.4.2}');
    expect(api.ports).toEqual(['${API_PORT:-8080}:8080']);
    expect(api.environment).toEqual({ RELEASE: '${API_TAG:-1.4.2}', BANNER: 'running ${API_TAG:-1.4.2}' });
    expect((api.volumes as string[])[0]).toMatch(/^\$\{UPLOADS:-\.\.\/\.\.\/uploads\}:\/srv\/uploads$/);
    expect(out.files['.env.example']).toContain('# the release to run\n# API_TAG=1.4.2');
  });

  it('reads env parameters from a generated ConfigMap and lets kustomize set the image on Kubernetes', () => {
    const out = synthChecked((stack) => {
      const tag = new Parameter(stack, 'API_TAG', { default: '1.4.2' });
      new ContainerService(stack, 'api', {
        image: `ghcr.io/acme/api:${tag}`,
        ports: [{ port: 8080 }],
        env: { RELEASE: tag.valueAsString, DSN: Env.concat('postgres://app:', Secret.fromEnv('DB_PASSWORD'), `@db/${tag}`) },
      });
      new MigrationJob(stack, 'migrate', { image: `ghcr.io/acme/api:${tag}`, command: ['migrate'], env: { RELEASE: tag.valueAsString } });
    });
    const deployment = out.manifests.find((o) => o.kind === 'Deployment') as any;
    const container = deployment.spec.template.spec.containers[0];
    expect(container.image).toBe('ghcr.io/acme/api:1.4.2');
    expect(container.env).toEqual([
      { name: 'RELEASE', valueFrom: { configMapKeyRef: { name: 'shop-parameters', key: 'API_TAG' } } },
      { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'shop-secrets', key: 'DB_PASSWORD' } } },
      { name: 'API_TAG', valueFrom: { configMapKeyRef: { name: 'shop-parameters', key: 'API_TAG' } } },
      { name: 'DSN', value: 'postgres://app:$(DB_PASSWORD)@db/$(API_TAG)' },
    ]);
    const job = out.manifests.find((o) => o.kind === 'Job') as any;
    expect(job.spec.template.spec.containers[0].env[0].valueFrom.configMapKeyRef.name).toBe('shop-job-parameters');
    expect(out.kustomization).toMatchObject({
      configMapGenerator: [
        { name: 'shop-parameters', envs: ['parameters.env'] },
        { name: 'shop-job-parameters', envs: ['parameters.env'], options: { disableNameSuffixHash: true } },
      ],
      images: [{ name: 'ghcr.io/acme/api', newTag: '1.4.2' }],
    });
    expect(out.files['k8s/parameters.env']).toMatch(/^API_TAG=1\.4\.2$/m);
  });

  it('chooses a replica count at deploy time: ${NAME:-default} on Compose, a replicas entry kustomize sets on Kubernetes', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdkc-replicas-'));
    try {
      const app = new App({ outdir, printSummary: false });
      const stack = new Stack(app, 'shop');
      const replicas = new Parameter(stack, 'WEB_REPLICAS', { default: '2' });
      new ContainerService(stack, 'web', { image: 'ghcr.io/acme/web:1.0', ports: [{ port: 8080 }], replicas: replicas.valueAsNumber });
      app.synth();
      const stackDir = path.join(outdir, 'shop');
      checkStackOutput(stackDir);
      expect(fs.readFileSync(path.join(stackDir, 'compose.yaml'), 'utf8')).toContain('replicas: ${WEB_REPLICAS:-2}');
      const deployment = (objects: any[]) => objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'web');
      expect(deployment(kubectlKustomize(path.join(stackDir, 'k8s')).objects).spec.replicas).toBe(2);
      // An overlay sets it, as `kustomize edit set replicas web=5` would.
      const overlay = path.join(stackDir, 'prod');
      fs.mkdirSync(overlay);
      fs.writeFileSync(path.join(overlay, 'kustomization.yaml'), 'resources: [../k8s]\nreplicas:\n  - name: web\n    count: 5\n');
      fs.writeFileSync(path.join(stackDir, 'k8s', '.env'), '');
      const built = spawnSync('kubectl', ['kustomize', overlay], { encoding: 'utf8' });
      expect(built.stderr).toBe('');
      expect(deployment(parseAllDocuments(built.stdout).map((d) => d.toJSON())).spec.replicas).toBe(5);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  it('fails on a replicas parameter beside a container name, which names one container', () => {
    const stack = newStack();
    const replicas = new Parameter(stack, 'REPLICAS', { default: '2' });
    new ContainerService(stack, 'web', { image: 'ghcr.io/acme/web:1.0', replicas: replicas.valueAsNumber, containerName: 'web' });
    expect(thrown(() => Testing.synth(stack))).toContain(
      '[shop/web] containerName "web" names one container, but parameter REPLICAS chooses the replicas at deploy time; remove containerName to scale',
    );
  });

  it('fails on a replicas default that is no count', () => {
    const stack = newStack();
    const replicas = new Parameter(stack, 'REPLICAS', { default: 'two' });
    new ContainerService(stack, 'web', { image: 'ghcr.io/acme/web:1.0', replicas: replicas.valueAsNumber });
    expect(thrown(() => Testing.synth(stack))).toContain('replicas parameter REPLICAS has the default "two", which is not a replica count; give a whole number of at least 0');
  });

  it('requires a parameter without a default on Compose', () => {
    const stack = newStack();
    const token = new Parameter(stack, 'LICENSE_KEY');
    new Worker(stack, 'worker', { image: 'ghcr.io/acme/worker:1.0.0', env: { LICENSE_KEY: token.valueAsString } });
    expect(Testing.synth(stack).compose!.services.worker.environment).toEqual({ LICENSE_KEY: '${LICENSE_KEY:?set LICENSE_KEY in .env (see .env.example)}' });
  });

  it('fails when a parameter is used where its value must be known at synth', () => {
    const stack = newStack();
    const dir = new Parameter(stack, 'WORKDIR', { default: '/srv' });
    const port = new Parameter(stack, 'PORT', { default: '80' });
    new ContainerService(stack, 'api', { image: 'ghcr.io/acme/api:1.0.0', command: ['serve', `--root=${dir}`], ports: [{ port: port.valueAsNumber }] });
    const message = thrown(() => Testing.synth(stack));
    expect(message).toMatch(/\[shop\/api\] container port of parameter PORT: a container port must be known at synth/);
    expect(message).toMatch(/\[shop\/api\] command\[1\] holds a parameter, but its value must be known at synth/);
  });

  it('fails when a parameter of another stack, or none, is used', () => {
    const stack = newStack();
    const other = new Parameter(newStack('other', stack.node.root as App), 'TAG', { default: '1' });
    new Worker(stack, 'worker', { image: `ghcr.io/acme/worker:${other}` });
    expect(thrown(() => Testing.synth(stack))).toMatch(/\[shop\/worker\] uses parameter TAG, which is not a Parameter of stack shop/);
  });

  it('fails on a default Compose cannot hold and a host port default that is no port', () => {
    const stack = newStack();
    new Parameter(stack, 'BAD', { default: 'a}b' });
    const port = new Parameter(stack, 'PORT', { default: 'eighty' });
    new ContainerService(stack, 'api', { image: 'ghcr.io/acme/api:1.0.0', ports: [{ port: 80, hostPort: port.valueAsNumber }] });
    const message = thrown(() => Testing.synth(stack));
    expect(message).toMatch(/\[shop\/BAD\] default "a}b" has a '}' or a line break/);
    expect(message).toMatch(/\[shop\/api\] host port parameter PORT has the default "eighty", which is not a port number/);
  });
});
