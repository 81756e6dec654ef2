import { ContainerService, Mount, PostgresService, RedisService, Secret, Size, Stack, Testing, Volume, Worker } from '../../lib';
import { thrown } from '../support/thrown';

/** The message synth fails with for a stack `shop` built by `build`. */
function synthError(build: (stack: Stack) => void): string {
  const stack = new Stack(Testing.app(), 'shop');
  build(stack);
  return thrown(() => Testing.synth(stack));
}

/** What plain JavaScript callers pass where a typed caller could not. */
describe('props of the wrong type', () => {
  it.each([
    ['after', (stack: Stack) => new Worker(stack, 'api', { image: 'a:1', after: new Worker(stack, 'db', { image: 'b:1' }) as any }), /\[shop\/api\] after must be a list, got Worker shop\/db; write after: \[\.\.\.\]/],
    ['ports', (stack: Stack) => new ContainerService(stack, 'api', { image: 'a:1', ports: 8080 as any }), /\[shop\/api\] ports must be a list, got 8080; write ports: \[\.\.\.\]/],
    ['mounts', (stack: Stack) => new Worker(stack, 'api', { image: 'a:1', mounts: Mount.tmpfs('/tmp') as any }), /\[shop\/api\] mounts must be a list, got a Mount; write mounts: \[\.\.\.\]/],
    ['profiles', (stack: Stack) => new Worker(stack, 'api', { image: 'a:1', profiles: 'dev' as any }), /\[shop\/api\] profiles must be a list, got "dev"; write profiles: \["dev"\]/],
  ])('reports %s given as one value instead of a list, with the fix', (_, build, message) => {
    expect(synthError(build)).toMatch(message);
  });

  it('reports a Postgres storage size given as text', () => {
    expect(
      synthError((stack) => new PostgresService(stack, 'db', { password: Secret.fromEnv('P'), storage: '10Gi' as any })),
    ).toMatch(/\[shop\/db\] storage must be a Size such as Size.gibibytes\(10\), got "10Gi"/);
  });

  it('reports a Redis persistence and server arguments of the wrong type', () => {
    const message = synthError((stack) => new RedisService(stack, 'cache', { persistence: 'aof' as any, serverArgs: '--maxmemory 100mb' as any }));
    expect(message).toMatch(/\[shop\/cache\] persistence must be RedisPersistence.none\(\), .appendOnly\(\) or .snapshots\(\.\.\.\), got "aof"/);
    expect(message).toMatch(/\[shop\/cache\] serverArgs must be a list of strings, got "--maxmemory 100mb"; write \['--maxmemory', '100mb'\]/);
  });

  it('reports capabilities given as one string', () => {
    expect(synthError((stack) => new Worker(stack, 'api', { image: 'a:1', security: { dropCapabilities: 'ALL' as any } }))).toMatch(
      /\[shop\/api\] security.dropCapabilities must be a list, got "ALL"; write \['ALL'\]/,
    );
  });

  it('reports stack profiles given as one string', () => {
    const app = Testing.app();
    const stack = new Stack(app, 'shop', { profiles: 'dev' as any });
    new Worker(stack, 'api', { image: 'a:1' });
    expect(() => Testing.synth(stack)).toThrow(/\[shop\] profiles must be a list, got "dev"; write profiles: \['dev'\]/);
  });
});

describe('misplaced constructs', () => {
  it('reports a stack with no workloads, which Compose would refuse', () => {
    const app = Testing.app();
    const stack = new Stack(app, 'empty');
    expect(() => Testing.synth(stack)).toThrow(/\[empty\] has no workloads; add a service or job to it, or remove the stack/);
  });

  it('reports a workload created directly under the App, which no output would hold', () => {
    const app = Testing.app();
    const stack = new Stack(app, 'shop');
    new Worker(stack, 'worker', { image: 'a:1' });
    new Worker(app, 'stray', { image: 'a:1' });
    expect(() => Testing.synth(stack)).toThrow(/\[stray\] is not inside a Stack, so no output would hold it/);
  });
});

describe('values the real tools or the cluster would refuse', () => {
  it.each([
    ['an upper-case image name', 'Acme/Shop:1.0'],
    ['an empty tag', 'nginx:'],
    ['a space', 'nginx 1.27'],
  ])('reports %s in an image reference', (_, image) => {
    expect(synthError((stack) => new Worker(stack, 'api', { image }))).toMatch(
      new RegExp(`\\[shop/api\\] image "${image}" is not an image reference; use e.g. 'ghcr.io/acme/api:1.4.2' \\(\\[registry/\\]name\\[:tag\\]\\[@digest\\], the name in lower case\\)`),
    );
  });

  it('reports a host address that is not an IP address', () => {
    expect(
      synthError((stack) => new ContainerService(stack, 'api', { image: 'a:1', ports: [{ port: 80, hostPort: 8080, hostIp: 'localhost:80' }] })),
    ).toMatch(/\[shop\/api\] host address "localhost:80" for port 80 is not an IP address; use e.g. '127.0.0.1'/);
  });

  it('reports a volume access mode Kubernetes does not know', () => {
    expect(synthError((stack) => {
      new Volume(stack, 'media', { accessMode: 'ReadWriteSometimes' as any });
      new Worker(stack, 'api', { image: 'a:1' });
    })).toMatch(/\[shop\/media\] accessMode "ReadWriteSometimes" is not one of ReadWriteOnce, ReadWriteMany, ReadOnlyMany/);
  });

  it('reports requests above limits, which Kubernetes refuses', () => {
    const message = synthError((stack) =>
      new Worker(stack, 'api', {
        image: 'a:1',
        resources: { limits: { cpu: 0.5, memory: Size.mebibytes(256) }, requests: { cpu: 1, memory: Size.mebibytes(512) } },
      }),
    );
    expect(message).toMatch(/\[shop\/api\] resources.requests.cpu \(1\) is above resources.limits.cpu \(0.5\); request at most the limit/);
    expect(message).toMatch(/\[shop\/api\] resources.requests.memory \(536870912 bytes\) is above resources.limits.memory \(268435456 bytes\)/);
  });
});
