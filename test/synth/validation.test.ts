import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Construct } from 'constructs';
import {
  App,
  ContainerService,
  HealthCheck,
  IConnectable,
  MigrationJob,
  Network,
  Mount,
  PostgresService,
  Secret,
  Size,
  Stack,
  SynthError,
  Testing,
  Volume,
  WebApp,
  Worker,
  synthesize,
} from '../../lib';
import { Annotations, Match } from '../../lib/testing';

const IMAGE = 'ghcr.io/acme/shop:3.0.1';

function newStack() {
  const app = Testing.app();
  return new Stack(app, 'shop');
}

/** The SynthError that synthesizing `stack`'s app throws; fails the test when it does not throw one. */
function synthError(stack: Stack): SynthError {
  try {
    Testing.synth(stack);
  } catch (error) {
    expect(error).toBeInstanceOf(SynthError);
    return error as SynthError;
  }
  throw new Error('synth succeeded, but it should have failed');
}

/** Synthesizing `stack`'s app throws a SynthError whose message matches `pattern`. */
function expectSynthError(stack: Stack, pattern: RegExp): void {
  expect(synthError(stack).message).toMatch(pattern);
}

describe('validation', () => {
  describe('names', () => {
    it('fails when a workload name has upper-case letters', () => {
      const stack = newStack();
      new WebApp(stack, 'Web', { image: IMAGE, port: 8080 });

      expectSynthError(stack, /\[shop\/Web\] name "Web" is not a service name: use lower-case letters, digits, '-', '_' and '.'/);
    });

    it('keeps a workload name with an underscore on Compose and names it with a dash on Kubernetes', () => {
      const stack = newStack();
      new Worker(stack, 'mail_sender', { image: IMAGE });
      new Worker(stack, 'api', { image: IMAGE, env: { MAILER: 'mail_sender:2525' } });

      const out = Testing.synth(stack);
      expect(Object.keys(out.compose!.services)).toEqual(['mail_sender', 'api']);
      const deployments = out.manifests.filter((o: any) => o.kind === 'Deployment').map((o: any) => o.metadata.name);
      expect(deployments).toEqual(['mail-sender', 'api']);
      const api = out.manifests.find((o: any) => o.kind === 'Deployment' && o.metadata.name === 'api') as any;
      expect(api.spec.template.spec.containers[0].env).toEqual([{ name: 'MAILER', value: 'mail-sender:2525' }]);
    });

    it('fails when two names become one Kubernetes name', () => {
      const stack = newStack();
      new Worker(stack, 'mail_sender', { image: IMAGE });
      new Worker(stack, 'mail-sender', { image: IMAGE });

      expectSynthError(stack, /\[shop\/mail-sender\] name "mail-sender" and "mail_sender" \(shop\/mail_sender\) are both named "mail-sender" on Kubernetes/);
    });

    it('fails when a workload name starts with a digit', () => {
      const stack = newStack();
      new Worker(stack, '1worker', { image: IMAGE });

      expectSynthError(stack, /\[shop\/1worker\] name "1worker" is not a service name: .*starting with a letter/);
    });

    it('fails when a workload name is longer than a DNS label', () => {
      const stack = newStack();
      const name = `w${'x'.repeat(63)}`;
      new Worker(stack, name, { image: IMAGE });

      expectSynthError(stack, new RegExp(`\\[shop/${name}\\] name "${name}" is 64 characters long; the limit here is 63`));
    });

    it('accepts a workload name of exactly 63 characters', () => {
      const stack = newStack();
      new Worker(stack, `w${'x'.repeat(62)}`, { image: IMAGE });

      expect(() => Testing.synth(stack)).not.toThrow();
    });

    it('fails when a job name leaves no room for its hash suffix', () => {
      const stack = newStack();
      const name = `migrate-${'x'.repeat(45)}`; // 53 characters: fine for a service, too long with `-<10 hex digits>`
      new MigrationJob(stack, name, { image: IMAGE });
      new Worker(stack, `worker-${'x'.repeat(46)}`, { image: IMAGE });

      const error = synthError(stack);

      expect(error.errors).toEqual([
        { level: 'error', path: `shop/${name}`, message: expect.stringMatching(/^name "migrate-x+" is 53 characters long; the limit here is 52/) },
      ]);
    });

    it('explains that a job name is limited by the hash suffix it gets', () => {
      const stack = newStack();
      new MigrationJob(stack, `migrate-${'x'.repeat(45)}`, { image: IMAGE });

      expectSynthError(stack, /is 53 characters long; the limit here is 52 because the Kubernetes Job name adds a -<10 hex digits> digest of its spec/);
    });

    it('fails when two workloads in different scopes of one stack have the same name', () => {
      // GIVEN a workload named web at the top of the stack and one inside a group
      const stack = newStack();
      const frontend = new Construct(stack, 'frontend');
      new WebApp(frontend, 'web', { image: IMAGE, port: 8080 });
      new WebApp(stack, 'web', { image: IMAGE, port: 8081 });

      // WHEN
      const error = synthError(stack);

      // THEN
      expect(error.errors).toEqual([
        {
          level: 'error',
          path: 'shop/web',
          message: 'name "web" is already used by shop/frontend/web; names must be unique in a stack: rename one of them',
        },
      ]);
    });

    it('accepts the same workload name in two stacks', () => {
      const app = Testing.app();
      const one = new Stack(app, 'one');
      const two = new Stack(app, 'two');
      new WebApp(one, 'web', { image: IMAGE, port: 8080 });
      new WebApp(two, 'web', { image: IMAGE, port: 8080 });

      expect(Testing.synth(two).compose!.services.web.image).toBe(IMAGE);
    });

    it('fails when a stack name is not a DNS label', () => {
      const app = Testing.app();
      const stack = new Stack(app, 'Shop_Prod');
      new WebApp(stack, 'web', { image: IMAGE, port: 8080 });

      expectSynthError(
        stack,
        /\[Shop_Prod\] stack name "Shop_Prod" is not a Compose project name: use lower-case letters, digits, '-' and '_'.*; it names the output folder and the Compose project/,
      );
    });

    it('fails when a volume name is not a DNS label', () => {
      const stack = newStack();
      new Volume(stack, 'Uploads');

      expectSynthError(stack, /\[shop\/Uploads\] volume name "Uploads" is not a service name/);
    });
  });

  describe('ports', () => {
    it('fails when two services publish the same host port', () => {
      const stack = newStack();
      new WebApp(stack, 'api', { image: IMAGE, port: 8080, hostPort: 8080 });
      new WebApp(stack, 'admin', { image: IMAGE, port: 3000, hostPort: 8080 });

      const error = synthError(stack);

      expect(error.errors).toEqual([
        { level: 'error', path: 'shop/admin', message: 'host port 8080 is already published by shop/api; publish another port or remove one' },
      ]);
      expect(error.message).toContain('[shop/admin] host port 8080 is already published by shop/api; publish another port or remove one');
    });

    it('accepts one host port bound to two different host addresses', () => {
      const stack = newStack();
      new ContainerService(stack, 'api', { image: IMAGE, ports: [{ port: 8080, hostPort: 8080, hostIp: '127.0.0.1' }] });
      new ContainerService(stack, 'admin', { image: IMAGE, ports: [{ port: 3000, hostPort: 8080, hostIp: '192.168.1.10' }] });

      const out = Testing.synth(stack);

      expect(out.compose!.services.api.ports).toEqual(['127.0.0.1:8080:8080']);
      expect(out.compose!.services.admin.ports).toEqual(['192.168.1.10:8080:3000']);
    });

    it('fails when a host port is bound to one address and to all addresses', () => {
      const stack = newStack();
      new ContainerService(stack, 'api', { image: IMAGE, ports: [{ port: 8080, hostPort: 8080, hostIp: '127.0.0.1' }] });
      new ContainerService(stack, 'admin', { image: IMAGE, ports: [{ port: 3000, hostPort: 8080 }] });

      expectSynthError(stack, /\[shop\/admin\] host port 8080 is already published by shop\/api/);
    });

    it('accepts one host port number for TCP and for UDP', () => {
      const stack = newStack();
      new ContainerService(stack, 'dns', { image: IMAGE, ports: [{ port: 53, hostPort: 5353, protocol: 'UDP' }] });
      new ContainerService(stack, 'api', { image: IMAGE, ports: [{ port: 8080, hostPort: 5353 }] });

      expect(() => Testing.synth(stack)).not.toThrow();
    });

    it('fails when a container port is not a port number', () => {
      const stack = newStack();
      new WebApp(stack, 'api', { image: IMAGE, port: 70000 });
      new ContainerService(stack, 'dns', { image: IMAGE, ports: [{ port: 0 }, { port: 53.5 }] });

      const error = synthError(stack);

      expect(error.errors.map((e) => `[${e.path}] ${e.message}`)).toEqual([
        '[shop/api] container port 70000 is not a port number; use a whole number from 1 to 65535',
        '[shop/dns] container port 0 is not a port number; use a whole number from 1 to 65535',
        '[shop/dns] container port 53.5 is not a port number; use a whole number from 1 to 65535',
      ]);
    });

    it('fails when a host port is not a port number', () => {
      const stack = newStack();
      new WebApp(stack, 'api', { image: IMAGE, port: 8080, hostPort: 65536 });

      expectSynthError(
        stack,
        /\[shop\/api\] host port 65536 for container port 8080 is not a port number; use a whole number from 1 to 65535/,
      );
    });
  });

  describe('dependencies', () => {
    it('fails on a dependency cycle, naming the cycle and the edges as the source wrote them', () => {
      // GIVEN a -> c -> b -> a
      const stack = newStack();
      const a = new Worker(stack, 'a', { image: IMAGE });
      const b = new Worker(stack, 'b', { image: IMAGE, after: [a] });
      const c = new Worker(stack, 'c', { image: IMAGE, after: [b] });
      a.addDependency(c);

      // WHEN
      const error = synthError(stack);

      // THEN
      expect(error.errors).toEqual([
        { level: 'error', path: 'shop/a', message: "dependency cycle: a -> c -> b -> a, made by a.addDependency(c), c's after: [b], b's after: [a]; remove one of these dependencies" },
      ]);
    });

    it('fails on a cycle of connect() and after, saying which edge is which', () => {
      const stack = newStack();
      const api = new WebApp(stack, 'api', { image: IMAGE, port: 8080 });
      const auth = new WebApp(stack, 'auth', { image: IMAGE, port: 8081, after: [api] });
      api.connect(auth);

      expectSynthError(stack, /\[shop\/api\] dependency cycle: api -> auth -> api, made by api\.connect\(auth\), auth's after: \[api\]; remove one of these dependencies/);
    });

    it('fails when a workload depends on itself', () => {
      const stack = newStack();
      const api = new WebApp(stack, 'api', { image: IMAGE, port: 8080 });
      api.connect(api);

      expectSynthError(stack, /\[shop\/api\] depends on itself; remove it from its own `after` or `connect\(\)`/);
    });

    it('fails when a workload connects to a workload of another stack that it shares no network with', () => {
      const app = Testing.app();
      const shared = new Stack(app, 'shared');
      const stack = new Stack(app, 'shop');
      const db = new PostgresService(shared, 'shared-db', { password: Secret.fromEnv('POSTGRES_PASSWORD') });
      new WebApp(stack, 'api', { image: IMAGE, port: 8080 }).connect(db);

      expectSynthError(
        stack,
        /\[shop\/api\] api.connect\(shared-db\) waits for shared-db of stack shared, but they share no network, so api cannot reach it on Compose; put shared-db on a new Network\(<stack shared>, 'name', \{ shared: true \}\) and api on the same name with \{ external: true \}/,
      );
    });

    it('fails when a workload connects to a workload of another stack that has a namesake in its own', () => {
      // GIVEN two stacks with a db each, and an API of one connected to the other's db
      const app = Testing.app();
      const shared = new Stack(app, 'shared');
      const stack = new Stack(app, 'shop');
      const foreignDb = new PostgresService(shared, 'db', { password: Secret.fromEnv('POSTGRES_PASSWORD'), networks: [new Network(shared, 'data', { shared: true })] });
      new PostgresService(stack, 'db', { password: Secret.fromEnv('POSTGRES_PASSWORD') });
      new WebApp(stack, 'api', { image: IMAGE, port: 8080, networks: [new Network(stack, 'data', { external: true })] }).connect(foreignDb);

      // WHEN / THEN the edge is refused rather than silently wired to the local db
      expectSynthError(stack, /\[shop\/api\] waits for db of stack shared, but this stack has a workload named db too, which the name reaches first on both targets; rename one of them/);
    });

    it('fails when a workload has the name of the Service through which others wait for a workload to have started', () => {
      const stack = newStack();
      const db = new PostgresService(stack, 'db', { password: Secret.fromEnv('POSTGRES_PASSWORD') });
      new WebApp(stack, 'api', { image: IMAGE, port: 8080 }).connect(db, { waitFor: 'started' });
      new WebApp(stack, 'db-started', { image: IMAGE, port: 8081 });

      expectSynthError(stack, /\[shop\/db-started\] name "db-started" is the Service synth adds on Kubernetes for the workloads that wait for db to have started \(decision 15\); rename it/);
    });

    it('fails when a workload mounts a volume of another stack', () => {
      const app = Testing.app();
      const shared = new Stack(app, 'shared');
      const stack = new Stack(app, 'shop');
      const foreign = new Volume(shared, 'media');
      new Worker(stack, 'worker', { image: IMAGE, mounts: [Mount.volume(foreign, '/media')] });

      expectSynthError(stack, /\[shop\/worker\] mounts volume "media", which is shared\/media of stack shared, not of stack shop; a stack can only use its own constructs: create it in this stack/);
    });

    it('fails when a workload mounts a volume of another stack that has a namesake in its own', () => {
      const app = Testing.app();
      const shared = new Stack(app, 'shared');
      const stack = new Stack(app, 'shop');
      const foreign = new Volume(shared, 'media');
      new Volume(stack, 'media');
      new Worker(stack, 'worker', { image: IMAGE, mounts: [Mount.volume(foreign, '/media')] });

      expectSynthError(stack, /\[shop\/worker\] mounts volume "media", which is shared\/media of stack shared/);
    });

    it('fails when `after` is given something that is not a workload', () => {
      const stack = newStack();
      new Worker(stack, 'worker', { image: IMAGE, after: [{ workloadName: 'db' }] });

      expectSynthError(stack, /\[shop\/worker\] after was given a plain object, which is not a workload; pass a service or job construct/);
    });
  });

  describe('connect()', () => {
    it('fails when given a plain object', () => {
      const stack = newStack();
      new WebApp(stack, 'api', { image: IMAGE, port: 8080 }).connect({ workloadName: 'db' } as unknown as IConnectable);

      expectSynthError(
        stack,
        /\[shop\/api\] connect\(\) was given a plain object, which cannot be connected to; pass a service construct that listens on a port/,
      );
    });

    it('fails when given a worker, which has no port', () => {
      const stack = newStack();
      const worker = new Worker(stack, 'mailer', { image: IMAGE });
      new WebApp(stack, 'api', { image: IMAGE, port: 8080 }).connect(worker);

      expectSynthError(stack, /\[shop\/api\] connect\(mailer\): mailer has no port to connect to; give it a port, or use `after`/);
    });

    it('fails when given a migration job', () => {
      const stack = newStack();
      const migrate = new MigrationJob(stack, 'migrate', { image: IMAGE });
      new WebApp(stack, 'api', { image: IMAGE, port: 8080 }).connect(migrate);

      expectSynthError(stack, /\[shop\/api\] connect\(migrate\): migrate is a one-shot job .*use `after: \[migrate\]`/);
    });
  });

  describe('images', () => {
    it('runs a service built from source on Kubernetes under the name Compose gives the build, with a warning', () => {
      const stack = newStack();
      new WebApp(stack, 'api', { build: { context: './api' }, port: 8080 });

      const out = Testing.synth(stack);
      expect(out.compose!.services.api.image).toBeUndefined();
      const deployment = out.manifests.find((o: any) => o.kind === 'Deployment') as any;
      expect(deployment.spec.template.spec.containers[0].image).toBe('shop-api');
      expect(out.messages).toContainEqual(
        expect.objectContaining({ level: 'warning', path: 'shop/api', message: expect.stringMatching(/^is built from source and has no image reference: Kubernetes runs shop-api/) }),
      );
    });

    it('accepts a service with only a build in a Compose-only stack', () => {
      const app = Testing.app();
      const stack = new Stack(app, 'shop', { targets: ['compose'] });
      new WebApp(stack, 'api', { build: { context: './api' }, port: 8080 });

      expect(Testing.synth(stack).compose!.services.api.build).toEqual({ context: '../../api' });
    });

    it('fails when a service has neither an image nor a build', () => {
      const stack = newStack();
      new WebApp(stack, 'api', { port: 8080 });

      expectSynthError(
        stack,
        /\[shop\/api\] has neither an image nor a build; give `image: 'registry\/name:tag'` or `build: \{ context: '.\/dir' \}`/,
      );
    });

    it('fails when an image reference has spaces', () => {
      const stack = newStack();
      new Worker(stack, 'worker', { image: 'acme/shop 3.0' });

      expectSynthError(stack, /\[shop\/worker\] image "acme\/shop 3\.0" is not an image reference/);
    });
  });

  describe('secrets', () => {
    it('fails when PostgresService is given a password as a plain string', () => {
      const stack = newStack();
      new PostgresService(stack, 'db', { password: 'hunter2' as unknown as Secret });

      expectSynthError(
        stack,
        /\[shop\/db\] password must be a Secret, got a literal string; use Secret\.fromEnv\('POSTGRES_PASSWORD'\)/,
      );
    });

    it('fails when an env var named like a secret is given a literal', () => {
      const stack = newStack();
      new WebApp(stack, 'api', { image: IMAGE, port: 8080, env: { API_TOKEN: 'abc' } });

      expectSynthError(
        stack,
        /\[shop\/api\] environment variable API_TOKEN looks sensitive but is given as a literal; use Secret\.fromEnv\('API_TOKEN'\)/,
      );
    });

    it('warns, and does not fail, for Secret.unsafePlainText, and writes its value only then', () => {
      // GIVEN the same app twice: once with a plain-text token, once with one from the environment
      const build = (token: Secret) => {
        const stack = newStack();
        new WebApp(stack, 'api', { image: IMAGE, port: 8080, env: { API_TOKEN: token } });
        return Testing.synth(stack);
      };

      // WHEN
      const plain = build(Secret.unsafePlainText('abc-plain-777'));
      const fromEnv = build(Secret.fromEnv('API_TOKEN'));

      // THEN
      expect(plain.messages).toEqual([
        {
          level: 'warning',
          path: 'shop/api',
          message: 'environment variable API_TOKEN holds a secret written in plain text to the output (Secret.unsafePlainText)',
        },
      ]);
      // The Compose file, the Deployment and the chart's template of it: the renderings, nothing else.
      expect(Object.keys(plain.files).filter((file) => plain.files[file].includes('abc-plain-777'))).toEqual([
        'compose.yaml',
        'k8s/deployment-api.yaml',
        'chart/templates/deployment-api.yaml',
      ]);
      expect(fromEnv.messages).toEqual([]);
      expect(Object.values(fromEnv.files).some((text) => text.includes('abc-plain-777'))).toBe(false);
    });
  });

  describe('values', () => {
    it('fails when resources are negative or memory is not a Size', () => {
      const stack = newStack();
      new Worker(stack, 'worker', { image: IMAGE, resources: { limits: { cpu: -0.5, memory: 512 as unknown as Size } } });

      const error = synthError(stack);

      expect(error.errors.map((e) => e.message)).toEqual([
        'resources.limits.cpu must be a number of cores above 0 in steps of 0.001 (0.5 is half a core), got -0.5',
        'resources.limits.memory must be a Size such as Size.mebibytes(512), got 512',
      ]);
      expect(error.errors.every((e) => e.path === 'shop/worker')).toBe(true);
    });

    it('fails when an env var is set both by env and by connect()', () => {
      const stack = newStack();
      const db = new PostgresService(stack, 'db', { password: Secret.fromEnv('POSTGRES_PASSWORD') });
      new WebApp(stack, 'api', { image: IMAGE, port: 8080, env: { DATABASE_URL: 'sqlite:///tmp/db' } }).connect(db, { env: 'DATABASE_URL' });

      expectSynthError(stack, /\[shop\/api\] environment variable DATABASE_URL is set by both env and connect\(db\); set it once/);
    });

    it('fails when an env var name is not portable', () => {
      const stack = newStack();
      new Worker(stack, 'worker', { image: IMAGE, env: { 'LOG-LEVEL': 'info' } });

      expectSynthError(stack, /\[shop\/worker\] environment variable "LOG-LEVEL" is not a portable environment variable name/);
    });

    it('fails when a mount target is a relative path', () => {
      const stack = newStack();
      new Worker(stack, 'worker', { image: IMAGE, mounts: [Mount.tmpfs('tmp/cache')] });

      expectSynthError(stack, /\[shop\/worker\] mount target "tmp\/cache" is not an absolute path; use e\.g\. '\/app\/data'/);
    });

    it('fails when an Ingress host is not a DNS host name', () => {
      const stack = newStack();
      new WebApp(stack, 'api', { image: IMAGE, port: 8080, publicEndpoint: { host: 'Shop_Example.com' } });

      expectSynthError(
        stack,
        /\[shop\/api\] public endpoint host "Shop_Example\.com" is not a DNS host name: use lower-case letters, digits, '-' and '\.'/,
      );
    });

    it('accepts a wildcard Ingress host', () => {
      const stack = newStack();
      new WebApp(stack, 'api', { image: IMAGE, port: 8080, publicEndpoint: { host: '*.shop.example.com' } });

      expect(() => Testing.synth(stack)).not.toThrow();
    });

    it('accepts DNS-subdomain class and Secret names, prefixed label keys, absolute working directories and probe ports', () => {
      const stack = newStack();
      const media = new Volume(stack, 'media', { storageClass: 'fast-ssd.storage.k8s.io' });
      new PostgresService(stack, 'db', { password: Secret.fromEnv('POSTGRES_PASSWORD'), storageClass: 'gp3' });
      new WebApp(stack, 'api', {
        image: IMAGE,
        port: 8080,
        workingDir: '/srv/app',
        labels: { 'com.example/team': 'shop', 'Team_Name.v2': 'a: b' },
        mounts: [Mount.volume(media, '/media', { readOnly: true })],
        security: { noNewPrivileges: false, readOnlyRootFilesystem: true },
        healthCheck: HealthCheck.tcp({ port: 8080 }),
        publicEndpoint: { host: 'shop.example.com', ingressClassName: 'nginx', tlsSecretName: 'shop-example-com-tls' },
      }).addLabel('traefik rule with spaces', 'kept to Compose', { onKubernetes: false });

      expect(() => Testing.synth(stack)).not.toThrow();
    });

    it.each([['/team'], ['Example.com/team'], ['-team'], ['a/b/c'], [`t${'x'.repeat(63)}`], ['team:name'], ['']])(
      'fails on label key %j, which Kubernetes refuses as an annotation key',
      (key) => {
        const stack = newStack();
        new Worker(stack, 'worker', { image: IMAGE, labels: { [key]: 'x' } });

        expect(synthError(stack).errors.map((e) => e.message)).toEqual([expect.stringMatching(/^label ".*" is not a Kubernetes annotation key: /)]);
      },
    );

    it.each([['team'], ['a.b-c_D'], ['example.com/Team_1'], [`kubernetes.io/${'x'.repeat(63)}`]])('accepts label key %j', (key) => {
      const stack = newStack();
      new Worker(stack, 'worker', { image: IMAGE, labels: { [key]: 'x' } });

      expect(() => Testing.synth(stack)).not.toThrow();
    });

    it('accepts any label key in a stack that renders only Compose', () => {
      const stack = new Stack(Testing.app(), 'shop', { targets: ['compose'] });
      new Worker(stack, 'worker', { image: IMAGE, labels: { 'my label!': 'x' } });

      expect(Testing.synth(stack).compose!.services.worker.labels).toEqual({ 'my label!': 'x' });
    });

    it('warns, and does not fail, when a CPU amount is more cores than a container plausibly gets (millicores meant)', () => {
      const stack = newStack();
      new Worker(stack, 'worker', { image: IMAGE, resources: { limits: { cpu: 500 }, requests: { cpu: 64 } } });

      const annotations = Annotations.fromStack(stack);

      annotations.hasWarning(
        'shop/worker',
        'resources.limits.cpu is 500 cores, more than the 64 one container plausibly gets; the value is in cores: write 0.5 for 500 millicores',
      );
      annotations.hasNoWarning('shop/worker', /resources\.requests\.cpu/);
      annotations.hasNoError('*', Match.anyValue());
    });
  });

  it('reports every problem of the app at once', () => {
    // GIVEN an app with many different problems in two stacks
    const app = Testing.app();
    const stack = new Stack(app, 'shop');
    const other = new Stack(app, 'Other');
    new WebApp(stack, 'Web', { image: IMAGE, port: 8080 });
    new WebApp(stack, 'api', { image: IMAGE, port: 70000, env: { API_TOKEN: 'abc' } });
    new WebApp(stack, 'admin', { image: IMAGE, port: 3000, hostPort: 8080 });
    new WebApp(stack, 'shop-admin', { image: IMAGE, port: 3001, hostPort: 8080 });
    new ContainerService(stack, 'ghost', {});
    const worker = new Worker(stack, 'worker', { image: IMAGE, resources: { limits: { cpu: -1 } }, mounts: [Mount.tmpfs('tmp')] });
    worker.connect(worker);
    new PostgresService(stack, 'db', { password: 'hunter2' as unknown as Secret });
    new Worker(other, 'worker', { image: IMAGE });

    // WHEN
    let error: SynthError | undefined;
    try {
      synthesize(app);
    } catch (e) {
      error = e as SynthError;
    }

    // THEN each problem is listed, where it is
    expect(error).toBeInstanceOf(SynthError);
    expect(error!.errors.map((e) => `[${e.path}] ${e.message}`)).toEqual([
      expect.stringMatching(/^\[shop\/Web\] name "Web" is not a service name/),
      expect.stringMatching(/^\[shop\/api\] container port 70000 is not a port number/),
      expect.stringMatching(/^\[shop\/api\] environment variable API_TOKEN looks sensitive/),
      expect.stringMatching(/^\[shop\/shop-admin\] host port 8080 is already published by shop\/admin/),
      expect.stringMatching(/^\[shop\/ghost\] has neither an image nor a build/),
      expect.stringMatching(/^\[shop\/worker\] connect\(worker\): worker has no port to connect to/),
      expect.stringMatching(/^\[shop\/worker\] mount target "tmp" is not an absolute path/),
      expect.stringMatching(/^\[shop\/worker\] resources\.limits\.cpu must be a number of cores above 0/),
      expect.stringMatching(/^\[shop\/db\] password must be a Secret, got a literal string/),
      expect.stringMatching(/^\[shop\/db\] environment variable POSTGRES_PASSWORD looks sensitive/),
      expect.stringMatching(/^\[Other\] stack name "Other" is not a Compose project name/),
    ]);
    expect(error!.message).toMatch(/^synth failed with 11 errors; nothing was written:\n {2}\[shop\/Web\] /);
    for (const e of error!.errors) {
      expect(error!.message).toContain(`[${e.path}] ${e.message}`);
    }
  });

  describe('App.synth', () => {
    let outdir: string;

    beforeEach(() => {
      outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdkc-validation-'));
    });

    afterEach(() => fs.rmSync(outdir, { recursive: true, force: true }));

    function shop(app: App, port: number): Stack {
      const stack = new Stack(app, 'shop');
      new WebApp(stack, 'web', { image: IMAGE, port });
      return stack;
    }

    it('writes nothing when the app has errors', () => {
      // GIVEN
      const app = new App({ outdir, printSummary: false });
      shop(app, 0);

      // WHEN
      expect(() => app.synth()).toThrow(SynthError);

      // THEN
      expect(fs.readdirSync(outdir)).toEqual([]);
    });

    it('leaves an earlier output untouched when a later synth fails', () => {
      // GIVEN a successful synth
      const good = new App({ outdir, printSummary: false });
      shop(good, 8080);
      good.synth();
      const composeFile = path.join(outdir, 'shop', 'compose.yaml');
      const before = fs.readFileSync(composeFile, 'utf8');
      const filesBefore = fs.readdirSync(path.join(outdir, 'shop')).sort();
      const manifestBefore = fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8');

      // WHEN a broken version of the app is synthesized into the same folder
      const bad = new App({ outdir, printSummary: false });
      new Worker(shop(bad, 8081), 'Broken', { image: IMAGE });
      expect(() => bad.synth()).toThrow(/\[shop\/Broken\] name "Broken" is not a service name/);

      // THEN
      expect(fs.readFileSync(composeFile, 'utf8')).toBe(before);
      expect(fs.readdirSync(path.join(outdir, 'shop')).sort()).toEqual(filesBefore);
      expect(fs.readdirSync(outdir).sort()).toEqual(['manifest.json', 'shop']);
      expect(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8')).toBe(manifestBefore);
    });
  });
});
