import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Construct } from 'constructs';
import {
  AgentService,
  App,
  BuilderImage,
  ConfigFile,
  ContainerService,
  DbAdmin,
  Duration,
  EnvFile,
  Hardening,
  HealthCheck,
  MigrationJob,
  MongoService,
  Mount,
  Network,
  OpenSearchService,
  PostgresService,
  RabbitMqService,
  RedisPersistence,
  RedisService,
  Secret,
  Size,
  Stack,
  StaticSite,
  SynthError,
  TraefikProxy,
  Volume,
  WebApp,
  Worker,
} from '../../lib';

/**
 * The bad-input catalogue: every bad input a user can give that synth must refuse, with the
 * message the user sees. Each case builds its bad input into a fresh stack `shop` of a fresh
 * app; the runner synthesizes it into an empty folder and asserts that it fails with a message
 * naming the construct path, the bad value and the fix, and that nothing was written.
 *
 * docs/errors.md keeps the same catalogue as a table; a test below keeps the two in step.
 *
 * Bad inputs that synth does NOT catch are not listed here (there is no `it.failing`): they are
 * listed in docs/reliability.md under "Known gaps".
 */
interface CatalogueCase {
  /** Stable id, also the first column of docs/errors.md. */
  readonly id: string;
  /** The bad input, in words. */
  readonly what: string;
  /** Adds the bad input to `stack` (a fresh stack named `shop` of a fresh app). */
  readonly build: (stack: Stack) => void;
  /** What the user sees: `[<construct path>]`, the bad value and the fix. */
  readonly message: RegExp;
}

const IMAGE = 'ghcr.io/acme/shop:3.0.1';
const PASSWORD = Secret.fromEnv('POSTGRES_PASSWORD');

/** Folder for env files the cases read; created once, removed after the suite. */
const FIXTURES = fs.mkdtempSync(path.join(os.tmpdir(), 'cdkc-catalogue-fixtures-'));
function envFileWith(name: string, text: string): EnvFile {
  const file = path.join(FIXTURES, name);
  fs.writeFileSync(file, text);
  return EnvFile.fromFile(file);
}

/** A plain JavaScript caller's value: the types say no, the runtime gets it anyway. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

const CATALOGUE: readonly CatalogueCase[] = [
  // ------------------------------------------------------------------ names and ids
  {
    id: 'name-not-dns-label',
    what: 'a workload name with upper-case letters',
    build: (stack) => new WebApp(stack, 'Api', { image: IMAGE, port: 8080 }),
    message: /\[shop\/Api\] name "Api" is not a service name: use lower-case letters, digits, '-', '_' and '.'/,
  },
  {
    id: 'name-with-slash',
    what: "a workload id with a '/' (constructs turns it into '--' in the path)",
    build: (stack) => new Worker(stack, 'mail/sender', { image: IMAGE }),
    message: /\[shop\/mail--sender\] name "mail\/sender" is not a service name: use lower-case letters, digits, '-', '_' and '.'/,
  },
  {
    id: 'name-too-long',
    what: 'a workload name of 64 characters',
    build: (stack) => new Worker(stack, `w${'x'.repeat(63)}`, { image: IMAGE }),
    message: /\[shop\/wx{63}\] name "wx{63}" is 64 characters long; the limit here is 63/,
  },
  {
    id: 'job-name-too-long',
    what: 'a migration job name of 53 characters (its Job name gets a 11-character digest)',
    build: (stack) => new MigrationJob(stack, `migrate-${'x'.repeat(45)}`, { image: IMAGE }),
    message: /\[shop\/migrate-x{45}\] name "migrate-x{45}" is 53 characters long; the limit here is 52 because .*digest of its spec.*; shorten the name/,
  },
  {
    id: 'name-used-twice',
    what: 'two workloads with the same name in different scopes of one stack',
    build: (stack) => {
      new WebApp(new Construct(stack, 'frontend'), 'web', { image: IMAGE, port: 8080 });
      new WebApp(stack, 'web', { image: IMAGE, port: 8081 });
    },
    message: /\[shop\/web\] name "web" is already used by shop\/frontend\/web; names must be unique in a stack: rename one of them/,
  },
  {
    id: 'id-duplicate-in-scope',
    what: 'two constructs with the same id in one scope',
    build: (stack) => {
      new WebApp(stack, 'worker', { image: IMAGE, port: 8080 });
      new Worker(stack, 'worker', { image: IMAGE });
    },
    // Reported at synth: the Workload constructor takes a stand-in id instead of letting constructs throw.
    message:
      /\[shop\] a workload was given the id "worker", which WebApp shop\/worker already has in this scope; give one of the two another id \(the id is its Compose service name/,
  },
  {
    id: 'id-empty',
    what: 'a workload with an empty id',
    build: (stack) => new Worker(stack, '', { image: IMAGE }),
    message: /\[shop\] a workload was given an empty id; give it a name such as 'api'/,
  },
  {
    id: 'stack-name-not-dns-label',
    what: 'a stack name with upper-case letters and an underscore',
    build: (stack) => new Worker(new Stack(stack.node.root, 'Shop_Prod'), 'worker', { image: IMAGE }),
    message: /\[Shop_Prod\] stack name "Shop_Prod" is not a Compose project name: use lower-case letters, digits, '-' and '_'.*; it names the output folder/,
  },
  {
    id: 'namespace-not-dns-label',
    what: 'a Kubernetes namespace that is not a DNS label',
    build: (stack) => new Worker(new Stack(stack.node.root, 'blog', { namespace: 'Blog_NS' }), 'worker', { image: IMAGE }),
    message: /\[blog\] namespace "Blog_NS" is not a DNS label: use at most 63 lower-case letters, digits and '-'/,
  },
  {
    id: 'stack-targets-unknown',
    what: "a stack target other than 'compose' and 'kubernetes'",
    build: (stack) => new Worker(new Stack(stack.node.root, 'blog', { targets: ['swarm' as Any] }), 'worker', { image: IMAGE }),
    message: /\[blog\] targets \["swarm"\] is not a non-empty list of 'compose' and 'kubernetes'/,
  },
  {
    id: 'pod-security-level-unknown',
    what: 'a Pod Security level that is not one of the standard three',
    build: (stack) => new Worker(new Stack(stack.node.root, 'blog', { podSecurity: 'strict' as Any }), 'worker', { image: IMAGE }),
    message: /\[blog\] podSecurity "strict" is not a Pod Security Standard level; use 'privileged', 'baseline', 'restricted'/,
  },
  {
    id: 'pod-security-refused',
    what: 'a workload running as the image user in a stack that declares podSecurity restricted',
    build: (stack) => new Worker(new Stack(stack.node.root, 'blog', { podSecurity: 'restricted' }), 'worker', { image: IMAGE }),
    message: /\[blog\/worker\] its pods would be refused by Pod Security "restricted" \(stack podSecurity\), control "Running as Non-root": runs as the image's user, which may be root; set security.user to a numeric non-root id/,
  },
  {
    id: 'volume-name-not-dns-label',
    what: 'a volume name with upper-case letters',
    build: (stack) => new Volume(stack, 'Uploads'),
    message: /\[shop\/Uploads\] volume name "Uploads" is not a service name: use lower-case letters/,
  },
  {
    id: 'volume-name-used-twice',
    what: 'two volumes with the same name in different scopes',
    build: (stack) => {
      new Volume(stack, 'media');
      new Volume(new Construct(stack, 'uploads'), 'media');
    },
    message: /\[shop\/uploads\/media\] volume name "media" is already used by shop\/media; rename one of them/,
  },
  {
    id: 'volume-name-is-data-volume',
    what: "a volume named like a database's own data volume (<name>-data)",
    build: (stack) => {
      new PostgresService(stack, 'db', { password: PASSWORD });
      new Volume(stack, 'db-data');
    },
    message: /\[shop\/db-data\] volume name "db-data" is the name of shop\/db's own data volume; rename the volume/,
  },
  {
    id: 'network-name-not-dns-label',
    what: 'a network name with upper-case letters',
    build: (stack) => new Network(stack, 'Backend'),
    message: /\[shop\/Backend\] network name "Backend" is not a service name: use lower-case letters/,
  },
  {
    id: 'network-external-and-shared',
    what: 'a network that is both external and shared',
    build: (stack) => new Network(stack, 'backend', { external: true, shared: true }),
    message: /\[shop\/backend\] is both external and shared; the project that creates the network marks it shared, the projects that join it mark it external/,
  },

  // ------------------------------------------------------------------ ports
  {
    id: 'port-out-of-range',
    what: 'a container port above 65535',
    build: (stack) => new WebApp(stack, 'api', { image: IMAGE, port: 70000 }),
    message: /\[shop\/api\] container port 70000 is not a port number; use a whole number from 1 to 65535/,
  },
  {
    id: 'port-as-string',
    what: "a port given as a string ('8080') by a JavaScript caller",
    build: (stack) => new WebApp(stack, 'api', { image: IMAGE, port: '8080' as Any }),
    message: /\[shop\/api\] container port "8080" is not a port number; use a whole number from 1 to 65535/,
  },
  {
    id: 'port-missing',
    what: 'a WebApp without a port (JavaScript caller)',
    build: (stack) => new WebApp(stack, 'api', { image: IMAGE } as Any),
    message: /\[shop\/api\] WebApp needs the port its HTTP server listens on; add `port: 8080` \(or the real port\)/,
  },
  {
    id: 'port-zero-static-site',
    what: 'a static site on port 0',
    build: (stack) => new StaticSite(stack, 'site', { port: 0 }),
    message: /\[shop\/site\] container port 0 is not a port number; use a whole number from 1 to 65535/,
  },
  {
    id: 'host-port-negative',
    what: 'a negative host port',
    build: (stack) => new WebApp(stack, 'api', { image: IMAGE, port: 8080, hostPort: -1 }),
    message: /\[shop\/api\] host port -1 for container port 8080 is not a port number; use a whole number from 1 to 65535, or 0/,
  },
  {
    id: 'host-port-as-string',
    what: "a Redis host port given as a string ('6379')",
    build: (stack) => new RedisService(stack, 'cache', { hostPort: '6379' as Any }),
    message: /\[shop\/cache\] host port "6379" for container port 6379 is not a port number; use a whole number from 1 to 65535/,
  },
  {
    id: 'host-port-clash',
    what: 'Postgres and Redis published on the same host port',
    build: (stack) => {
      new PostgresService(stack, 'db', { password: PASSWORD, hostPort: 6379 });
      new RedisService(stack, 'cache', { hostPort: 6379 });
    },
    message: /\[shop\/cache\] host port 6379 is already published by shop\/db; publish another port or remove one/,
  },
  {
    id: 'host-port-with-replicas',
    what: 'a host port published from 2 replicas',
    build: (stack) => new WebApp(stack, 'api', { image: IMAGE, port: 8080, hostPort: 8080, replicas: 2 }),
    message: /\[shop\/api\] publishes host port 8080 from 2 replicas, .*; remove hostPort or run one replica/,
  },
  {
    id: 'host-ip-without-host-port',
    what: 'a static site with a hostIp but no hostPort',
    build: (stack) => new StaticSite(stack, 'site', { hostIp: '127.0.0.1' }),
    message: /\[shop\/site\] hostIp "127\.0\.0\.1" is given without a hostPort, so nothing is published on it; add hostPort or remove hostIp/,
  },
  {
    id: 'port-protocol-unknown',
    what: "a port protocol other than TCP and UDP ('SCTP')",
    build: (stack) => new ContainerService(stack, 'api', { image: IMAGE, ports: [{ port: 8080, protocol: 'SCTP' as Any }] }),
    message: /\[shop\/api\] port 8080 has protocol "SCTP"; use 'TCP' or 'UDP'/,
  },
  {
    id: 'port-name-too-long',
    what: 'a port name of 20 characters',
    build: (stack) => new ContainerService(stack, 'api', { image: IMAGE, ports: [{ port: 8080, name: 'http-frontend-public' }] }),
    message: /\[shop\/api\] port name "http-frontend-public" is not a valid port name; use at most 15 lower-case letters/,
  },
  {
    id: 'port-declared-twice',
    what: 'one container port declared twice',
    build: (stack) => new ContainerService(stack, 'api', { image: IMAGE, ports: [{ port: 8080 }, { port: 8080, name: 'web' }] }),
    message: /\[shop\/api\] container port 8080\/TCP is declared twice; declare it once/,
  },
  {
    id: 'port-name-used-twice',
    what: 'two ports with the same name',
    build: (stack) =>
      new ContainerService(stack, 'api', { image: IMAGE, ports: [{ port: 8080, name: 'web' }, { port: 8081, name: 'web' }] }),
    message: /\[shop\/api\] port name "web" is used twice; give each port its own name/,
  },

  // ------------------------------------------------------------------ images and builds
  {
    id: 'image-with-space',
    what: 'an image reference with a space',
    build: (stack) => new Worker(stack, 'worker', { image: 'acme/shop 3.0' }),
    message: /\[shop\/worker\] image "acme\/shop 3\.0" is not an image reference; use e\.g\. 'ghcr\.io\/acme\/api:1\.4\.2'/,
  },
  {
    id: 'image-as-number',
    what: 'an image given as a number (JavaScript caller)',
    build: (stack) => new Worker(stack, 'worker', { image: 42 as Any }),
    message: /\[shop\/worker\] image 42 is not an image reference; use e\.g\./,
  },
  {
    id: 'image-missing',
    what: 'a service with neither an image nor a build',
    build: (stack) => new ContainerService(stack, 'ghost', {}),
    message: /\[shop\/ghost\] has neither an image nor a build; give `image: 'registry\/name:tag'` or `build: \{ context: '.\/dir' \}`/,
  },
  {
    id: 'build-without-context',
    what: 'a build without a context (JavaScript caller)',
    build: (stack) => new Worker(stack, 'worker', { image: IMAGE, build: {} as Any }),
    message: /\[shop\/worker\] build needs a context directory, got \{\}; use e\.g\. build: \{ context: '.\/backend' \}/,
  },
  {
    id: 'builder-image-without-build',
    what: 'a BuilderImage without a build (JavaScript caller)',
    build: (stack) => new BuilderImage(stack, 'builder', { image: IMAGE } as Any),
    message: /\[shop\/builder\] has no build; a BuilderImage is built from source: add build: \{ context: '\.', dockerfile: 'Dockerfile\.builder' \}/,
  },

  // ------------------------------------------------------------------ references, dependencies, cycles
  {
    id: 'connect-plain-object',
    what: 'connect() given a plain object instead of a construct',
    build: (stack) => new WebApp(stack, 'api', { image: IMAGE, port: 8080 }).connect({ workloadName: 'db' } as Any),
    message: /\[shop\/api\] connect\(\) was given a plain object, which cannot be connected to; pass a service construct that listens on a port/,
  },
  {
    id: 'connect-undefined',
    what: 'connect() given undefined (a variable used before it was assigned)',
    build: (stack) => new WebApp(stack, 'api', { image: IMAGE, port: 8080 }).connect(undefined as Any),
    message: /\[shop\/api\] connect\(\) was given undefined, which cannot be connected to; pass a service construct/,
  },
  {
    id: 'connect-no-port',
    what: 'connect() to a worker, which has no port',
    build: (stack) => new WebApp(stack, 'api', { image: IMAGE, port: 8080 }).connect(new Worker(stack, 'mailer', { image: IMAGE })),
    message: /\[shop\/api\] connect\(mailer\): mailer has no port to connect to; give it a port, or use `after` to only wait for it/,
  },
  {
    id: 'connect-job',
    what: 'connect() to a one-shot migration job',
    build: (stack) => new WebApp(stack, 'api', { image: IMAGE, port: 8080 }).connect(new MigrationJob(stack, 'migrate', { image: IMAGE })),
    message: /\[shop\/api\] connect\(migrate\): migrate is a one-shot job and has nothing to connect to; use `after: \[migrate\]`/,
  },
  {
    id: 'connect-other-stack',
    what: 'connect() to a database of another stack without a network both join',
    build: (stack) => {
      const db = new PostgresService(new Stack(stack.node.root, 'shared'), 'shared-db', { password: PASSWORD });
      new WebApp(stack, 'api', { image: IMAGE, port: 8080 }).connect(db);
    },
    message: /\[shop\/api\] api\.connect\(shared-db\) waits for shared-db of stack shared, but they share no network, so api cannot reach it on Compose; put shared-db on a new Network/,
  },
  {
    id: 'connect-env-name-invalid',
    what: "connect() with a connection variable name that is not portable ('redis-url')",
    build: (stack) => new Worker(stack, 'worker', { image: IMAGE }).connect(new RedisService(stack, 'cache'), { env: 'redis-url' }),
    message: /\[shop\/worker\] environment variable "redis-url" is not a portable environment variable name: use letters, digits and '_'/,
  },
  {
    id: 'connect-redis-database-out-of-range',
    what: 'connect() to Redis database 16',
    build: (stack) => new Worker(stack, 'worker', { image: IMAGE }).connect(new RedisService(stack, 'cache'), { database: 16 }),
    message: /\[shop\/worker\] connect\(cache\): database must be a Redis database number from 0 to 15, got 16/,
  },
  {
    id: 'connect-wait-for-unknown',
    what: "connect() with waitFor 'ready'",
    build: (stack) => new Worker(stack, 'worker', { image: IMAGE }).connect(new RedisService(stack, 'cache'), { waitFor: 'ready' as Any }),
    message: /\[shop\/worker\] connect\(cache\): waitFor "ready" is not one of 'healthy', 'started' or 'none'/,
  },
  {
    id: 'connect-wait-healthy-without-check',
    what: "connect() with waitFor 'healthy' to a service without a health check",
    build: (stack) =>
      new Worker(stack, 'worker', { image: IMAGE }).connect(new WebApp(stack, 'api', { image: IMAGE, port: 8080 }), { waitFor: 'healthy' }),
    message: /\[shop\/worker\] connect\(api\) waits for api to be healthy, but it has no health check; give it one or use waitFor: 'started'/,
  },
  {
    id: 'after-plain-object',
    what: '`after` given a plain object',
    build: (stack) => new Worker(stack, 'worker', { image: IMAGE, after: [{ workloadName: 'db' }] }),
    message: /\[shop\/worker\] after was given a plain object, which is not a workload; pass a service or job construct/,
  },
  {
    id: 'after-undefined',
    what: '`after` holding undefined (a job declared further down)',
    build: (stack) => new Worker(stack, 'worker', { image: IMAGE, after: [undefined as Any] }),
    message: /\[shop\/worker\] after was given undefined, which is not a workload; pass a service or job construct/,
  },
  {
    id: 'depends-on-itself',
    what: 'a workload connected to itself',
    build: (stack) => {
      const api = new WebApp(stack, 'api', { image: IMAGE, port: 8080 });
      api.connect(api);
    },
    message: /\[shop\/api\] depends on itself; remove it from its own `after` or `connect\(\)`/,
  },
  {
    id: 'dependency-cycle',
    what: 'a cycle of three workloads (a -> b -> c -> a)',
    build: (stack) => {
      const a = new WebApp(stack, 'a', { image: IMAGE, port: 8080 });
      const b = new WebApp(stack, 'b', { image: IMAGE, port: 8080 });
      const c = new WebApp(stack, 'c', { image: IMAGE, port: 8080 });
      a.connect(b);
      b.connect(c);
      c.connect(a);
    },
    message: /\[shop\/a\] dependency cycle: a -> b -> c -> a, made by a\.connect\(b\), b\.connect\(c\), c\.connect\(a\); remove one of these dependencies/,
  },
  {
    id: 'wait-for-profile-left-out',
    what: 'a workload that waits for one in a profile the stack leaves out on Kubernetes',
    build: (stack) => {
      const mail = new WebApp(stack, 'mail', { image: IMAGE, port: 8025, profiles: ['dev'] });
      new Worker(stack, 'worker', { image: IMAGE, after: [mail] });
    },
    message: /\[shop\/worker\] waits for mail, which is in profile dev and left out on Kubernetes by this stack; enable the profile in the stack's profiles or remove the dependency/,
  },
  {
    id: 'wait-for-profile-on-compose',
    what: 'a workload that always starts and waits for one Compose starts only with a profile',
    build: (stack) => {
      const mail = new WebApp(stack, 'mail', { image: IMAGE, port: 8025, profiles: ['dev'] });
      new Worker(stack, 'worker', { image: IMAGE, after: [mail], profiles: [] });
      new Worker(stack, 'mailer', { image: IMAGE, after: [mail], profiles: ['dev', 'ops'] });
    },
    message: /\[shop\/worker\] waits for mail, which Compose starts only with profile dev, while worker always starts: docker compose up refuses such a project; give worker the same profiles, or connect with waitFor: 'none'/,
  },
  {
    id: 'wait-for-compose-only',
    what: 'a workload that waits for the reverse proxy, which exists on Compose only',
    build: (stack) => new Worker(stack, 'worker', { image: IMAGE, after: [new TraefikProxy(stack, 'proxy', {})] }),
    message: /\[shop\/worker\] waits for proxy, which exists on Compose only and is left out on Kubernetes .*; remove the dependency/,
  },
  {
    id: 'network-other-stack',
    what: 'a workload joining a network of another stack',
    build: (stack) => {
      const net = new Network(new Stack(stack.node.root, 'infra'), 'backend');
      new Worker(stack, 'worker', { image: IMAGE, networks: [net] });
    },
    message: /\[shop\/worker\] joins network "backend", which is infra\/backend of stack infra, not of stack shop; .*create it in this stack/,
  },
  {
    id: 'network-by-name',
    what: "networks given a name ('backend') instead of a Network construct",
    build: (stack) => new Worker(stack, 'worker', { image: IMAGE, networks: ['backend' as Any] }),
    message: /\[shop\/worker\] networks must hold Network constructs, got "backend"/,
  },
  {
    id: 'proxy-route-no-port',
    what: 'a reverse proxy route to a worker, which has no port',
    build: (stack) => new TraefikProxy(stack, 'proxy', {}).route(new Worker(stack, 'worker', { image: IMAGE }), { host: 'shop.example.com' }),
    message: /\[shop\/proxy\] route\(\) was given shop\/worker, which has no port to route to; give it a port/,
  },
  {
    id: 'db-admin-server-not-postgres',
    what: 'a DbAdmin whose servers hold a RedisService',
    build: (stack) =>
      new DbAdmin(stack, 'pgadmin', { password: Secret.fromEnv('PGADMIN_PASSWORD'), servers: [new RedisService(stack, 'cache') as Any] }),
    message: /\[shop\/pgadmin\] servers must hold PostgresService constructs, got RedisService shop\/cache/,
  },

  // ------------------------------------------------------------------ volumes and mounts
  {
    id: 'volume-mount-other-stack',
    what: 'a mount of a volume of another stack',
    build: (stack) => {
      const media = new Volume(new Stack(stack.node.root, 'shared'), 'media');
      new Worker(stack, 'worker', { image: IMAGE, mounts: [Mount.volume(media, '/media')] });
    },
    message: /\[shop\/worker\] mounts volume "media", which is shared\/media of stack shared, not of stack shop; .*create it in this stack/,
  },
  {
    id: 'mount-target-relative',
    what: 'a mount target that is a relative path',
    build: (stack) => new Worker(stack, 'worker', { image: IMAGE, mounts: [Mount.tmpfs('tmp/cache')] }),
    message: /\[shop\/worker\] mount target "tmp\/cache" is not an absolute path; use e\.g\. '\/app\/data'/,
  },
  {
    id: 'mount-target-twice',
    what: 'two mounts at the same container path',
    build: (stack) => new Worker(stack, 'worker', { image: IMAGE, mounts: [Mount.tmpfs('/tmp'), Mount.tmpfs('/tmp')] }),
    message: /\[shop\/worker\] two mounts share the target path \/tmp; give each its own path/,
  },
  {
    id: 'mount-plain-object',
    what: 'a mount written as a Compose-style object',
    build: (stack) => new Worker(stack, 'worker', { image: IMAGE, mounts: [{ type: 'tmpfs', target: '/tmp' } as Any] }),
    message: /\[shop\/worker\] mounts must be made with Mount\.volume\/bind\/tmpfs, got \{"type":"tmpfs","target":"\/tmp"\}/,
  },
  {
    id: 'tmpfs-size-negative',
    what: 'a tmpfs of -1 MiB',
    build: (stack) => new Worker(stack, 'worker', { image: IMAGE, mounts: [Mount.tmpfs('/tmp', { size: Size.mebibytes(-1) })] }),
    message: /\[shop\/worker\] tmpfs at \/tmp: a size must be a positive number, got -1 mebibytes/,
  },
  {
    id: 'volume-size-as-number',
    what: 'a volume size given as a number (10) instead of a Size',
    build: (stack) => new Volume(stack, 'media', { size: 10 as Any }),
    message: /\[shop\/media\] size must be a Size, e\.g\. Size\.gibibytes\(1\); got 10/,
  },
  {
    id: 'volume-size-zero',
    what: 'a volume of 0 GiB',
    build: (stack) => new Volume(stack, 'media', { size: Size.gibibytes(0) }),
    message: /\[shop\/media\] a size must be a positive number, got 0 gibibytes/,
  },
  {
    id: 'storage-not-whole-bytes',
    what: 'Postgres storage of 0.3 MiB (not a whole number of bytes)',
    build: (stack) => new PostgresService(stack, 'db', { password: PASSWORD, storage: Size.mebibytes(0.3) }),
    message: /\[shop\/db\] storage: 0\.3 mebibytes is not a whole number of bytes/,
  },
  {
    id: 'ephemeral-with-storage',
    what: 'an ephemeral Postgres with a storage size',
    build: (stack) => new PostgresService(stack, 'db', { password: PASSWORD, ephemeral: true, storage: Size.gibibytes(1) }),
    message: /\[shop\/db\] storage and storageClass size a volume, but ephemeral keeps the data in memory; remove one or the other/,
  },
  {
    id: 'storage-with-volume-at-data-directory',
    what: 'a Postgres storage size beside a volume mounted at its data directory',
    build: (stack) =>
      new PostgresService(stack, 'db', {
        version: '16-alpine',
        password: PASSWORD,
        storage: Size.gibibytes(50),
        mounts: [Mount.volume(new Volume(stack, 'db_data'), '/var/lib/postgresql/data')],
      }),
    message:
      /\[shop\/db\] storage and storageClass size the built-in data volume, but the volume mounted at \/var\/lib\/postgresql\/data holds the data in its place; give the size and class to that Volume \(new Volume\(scope, id, \{ size, storageClass \}\)\) and remove storage and storageClass here/,
  },
  {
    id: 'volume-storage-class-invalid',
    what: "a volume storage class with a space and capitals ('Fast SSD')",
    build: (stack) => new Volume(stack, 'media', { storageClass: 'Fast SSD' }),
    message: /\[shop\/media\] storageClass "Fast SSD" is not a DNS subdomain: use at most 253 lower-case letters, digits, '-' and '\.'.*; it names a Kubernetes StorageClass/,
  },
  {
    id: 'db-storage-class-invalid',
    what: "a Postgres data volume storage class with a space and capitals ('Fast SSD')",
    build: (stack) => new PostgresService(stack, 'db', { password: PASSWORD, storageClass: 'Fast SSD' }),
    message: /\[shop\/db\] storageClass "Fast SSD" is not a DNS subdomain: use at most 253 lower-case letters, digits, '-' and '\.'/,
  },
  {
    id: 'host-path-relative',
    what: 'a host path that is relative',
    build: (stack) => new AgentService(stack, 'agent', { image: IMAGE, hostPaths: [{ path: 'var/log' }] }),
    message: /\[shop\/agent\] host path "var\/log" is not an absolute path of the host; use e\.g\. Mount\.hostPath\('\/var\/log\/pods'\)/,
  },
  {
    id: 'host-path-on-deployment',
    what: 'a host path mounted by a workload that is not one-per-node, in a Kubernetes stack',
    build: (stack) => new Worker(stack, 'worker', { image: IMAGE, mounts: [Mount.hostPath('/var/log')] }),
    message: /\[shop\/worker\] mounts host path \/var\/log, which Kubernetes allows only for a workload with one copy per node \(AgentService\); keep it to Compose with Mount\.hostPath\('\/var\/log', \{ targets: \['compose'\] \}\)/,
  },
  {
    id: 'host-path-targets-unknown',
    what: "a host path kept to target 'swarm'",
    build: (stack) => new AgentService(stack, 'agent', { image: IMAGE, hostPaths: [{ path: '/var/log', targets: ['swarm' as Any] }] }),
    message: /\[shop\/agent\] host path \/var\/log has targets \["swarm"\]; use a non-empty list of 'compose' and 'kubernetes'/,
  },
  {
    id: 'bind-without-source',
    what: 'a bind mount with an empty source',
    build: (stack) => new Worker(stack, 'worker', { image: IMAGE, mounts: [Mount.bind('', '/src')] }),
    message: /\[shop\/worker\] bind mount at \/src has no source path; use e\.g\. Mount\.bind\('.\/src', '\/src'\)/,
  },
  {
    id: 'mount-read-only-as-string',
    what: "a mount's readOnly given as a string ('yes')",
    build: (stack) => new Worker(stack, 'worker', { image: IMAGE, mounts: [Mount.volume(new Volume(stack, 'media'), '/media', { readOnly: 'yes' as Any })] }),
    message: /\[shop\/worker\] mount at \/media: readOnly must be true or false, got "yes"; write the boolean without quotes/,
  },
  {
    id: 'config-mode-invalid',
    what: 'a config file mode beyond 0o777 (0o1777)',
    build: (stack) =>
      new Worker(stack, 'worker', { image: IMAGE, mounts: [Mount.config(ConfigFile.fromString('run.sh', 'exit 0'), '/run.sh', { mode: 0o1777 })] }),
    message: /\[shop\/worker\] config file mode 1023 is not a permission mode; use e\.g\. 0o755/,
  },
  {
    id: 'config-file-missing',
    what: 'a config file that does not exist',
    build: (stack) => new StaticSite(stack, 'site', { nginxConfig: ConfigFile.fromFile('no-such-dir/nginx.conf') }),
    message: /\[shop\/site\] config file no-such-dir\/nginx\.conf does not exist \(looked for .*\); create it or fix the path/,
  },
  {
    id: 'nginx-config-as-string',
    what: 'an nginx configuration given as a string instead of a ConfigFile',
    build: (stack) => new StaticSite(stack, 'site', { nginxConfig: 'server { listen 80; }' as Any }),
    message: /\[shop\/site\] Mount\.config at \/etc\/nginx\/conf\.d\/default\.conf needs a ConfigFile \(ConfigFile\.fromFile or ConfigFile\.fromString\)/,
  },

  // ------------------------------------------------------------------ secrets
  {
    id: 'password-literal',
    what: 'a Postgres password given as a plain string',
    build: (stack) => new PostgresService(stack, 'db', { password: 'hunter2' as Any }),
    message: /\[shop\/db\] password must be a Secret, got a literal string; use Secret\.fromEnv\('POSTGRES_PASSWORD'\)/,
  },
  {
    id: 'password-missing',
    what: 'a Postgres without a password (JavaScript caller)',
    build: (stack) => new PostgresService(stack, 'db', {} as Any),
    message: /\[shop\/db\] password must be a Secret, got undefined; use Secret\.fromEnv\('POSTGRES_PASSWORD'\)/,
  },
  {
    id: 'redis-password-literal',
    what: 'a Redis password given as a plain string',
    build: (stack) => new RedisService(stack, 'cache', { password: 'hunter2' as Any }),
    message: /\[shop\/cache\] environment variable REDIS_PASSWORD looks sensitive but is given as a literal; use Secret\.fromEnv\('REDIS_PASSWORD'\)/,
  },
  {
    id: 'rabbitmq-password-literal',
    what: 'a RabbitMQ password given as a plain string',
    build: (stack) => new RabbitMqService(stack, 'mq', { password: 'guest' as Any }),
    message: /\[shop\/mq\] password must be a Secret, got a literal string; use Secret\.fromEnv\('RABBITMQ_PASSWORD'\)/,
  },
  {
    id: 'mongo-username-without-password',
    what: 'a MongoDB root user without a root password',
    build: (stack) => new MongoService(stack, 'mongo', { rootUsername: 'root' }),
    message: /\[shop\/mongo\] has rootUsername without rootPassword; the image refuses one without the other: give both, or neither/,
  },
  {
    id: 'mongo-replica-set-without-key',
    what: 'a secured MongoDB replica set without a key file',
    build: (stack) => new MongoService(stack, 'mongo', { replicaSet: 'rs0', rootUsername: 'root', rootPassword: Secret.fromEnv('MONGO_ROOT_PASSWORD') }),
    message: /\[shop\/mongo\] runs a replica set with access control, which mongod refuses without a key file; add replicaSetKey: Secret\.fromEnv\('MONGO_REPLICA_SET_KEY'\)/,
  },
  {
    id: 'sensitive-env-literal',
    what: 'a literal value for an environment variable named like a secret (API_TOKEN)',
    build: (stack) => new WebApp(stack, 'api', { image: IMAGE, port: 8080, env: { API_TOKEN: 'abc' } }),
    message: /\[shop\/api\] environment variable API_TOKEN looks sensitive but is given as a literal; use Secret\.fromEnv\('API_TOKEN'\)/,
  },
  {
    id: 'secret-variable-name-invalid',
    what: "a secret read from a variable that is not portable ('jwt-secret')",
    build: (stack) => new Worker(stack, 'worker', { image: IMAGE, env: { JWT_SECRET: Secret.fromEnv('jwt-secret') } }),
    message: /\[shop\/worker\] environment variable JWT_SECRET: secret variable "jwt-secret" is not a portable environment variable name: use letters, digits and '_'/,
  },
  {
    id: 'db-admin-email-invalid',
    what: "a DbAdmin login e-mail without a domain ('admin')",
    build: (stack) => new DbAdmin(stack, 'pgadmin', { password: Secret.fromEnv('PGADMIN_PASSWORD'), email: 'admin' }),
    message: /\[shop\/pgadmin\] email "admin" is not an email address; pgAdmin's login needs one, e\.g\. 'admin@example\.com'/,
  },

  // ------------------------------------------------------------------ health checks
  {
    id: 'health-retries-zero',
    what: 'a health check with 0 retries',
    build: (stack) => new WebApp(stack, 'api', { image: IMAGE, port: 8080, healthCheck: HealthCheck.http('/health', { retries: 0 }) }),
    message: /\[shop\/api\] health check retries must be a whole number of at least 1, got 0/,
  },
  {
    id: 'health-interval-as-number',
    what: 'a health check interval given as a number of seconds (10) instead of a Duration',
    build: (stack) => new WebApp(stack, 'api', { image: IMAGE, port: 8080, healthCheck: HealthCheck.http('/health', { interval: 10 as Any }) }),
    message: /\[shop\/api\] health check interval must be a Duration \(Duration\.seconds\(n\)\), got 10/,
  },
  {
    id: 'health-interval-as-compose-string',
    what: "a health check interval in Compose's notation ('10s')",
    build: (stack) => new WebApp(stack, 'api', { image: IMAGE, port: 8080, healthCheck: HealthCheck.http('/health', { interval: '10s' as Any }) }),
    message: /\[shop\/api\] health check interval must be a Duration \(Duration\.seconds\(n\)\), got "10s"/,
  },
  {
    id: 'health-timeout-fractional',
    what: 'a health check timeout of 1.5 seconds',
    build: (stack) => new WebApp(stack, 'api', { image: IMAGE, port: 8080, healthCheck: HealthCheck.http('/health', { timeout: Duration.seconds(1.5) }) }),
    message: /\[shop\/api\] health check timeout: 1\.5 seconds is not a whole number of seconds of at least 1/,
  },
  {
    id: 'health-start-period-negative',
    what: 'a health check start period of -5 seconds',
    build: (stack) => new WebApp(stack, 'api', { image: IMAGE, port: 8080, healthCheck: HealthCheck.http('/health', { startPeriod: Duration.seconds(-5) }) }),
    message: /\[shop\/api\] health check startPeriod: -5 seconds is not a whole number of seconds of at least 0/,
  },
  {
    id: 'health-http-path-relative',
    what: "an HTTP health check path without a leading '/'",
    build: (stack) => new WebApp(stack, 'api', { image: IMAGE, port: 8080, healthCheck: HealthCheck.http('health') }),
    message: /\[shop\/api\] HTTP health check path must start with '\/', got "health"/,
  },
  {
    id: 'health-http-without-port',
    what: 'an HTTP health check on a worker, which has no port',
    build: (stack) => new Worker(stack, 'worker', { image: IMAGE, healthCheck: HealthCheck.http('/health') }),
    message: /\[shop\/worker\] HTTP health check has no port: the service has no ports; pass \{ port \} to HealthCheck\.http/,
  },
  {
    id: 'health-tcp-without-port',
    what: 'a TCP health check on a worker, which has no port',
    build: (stack) => new Worker(stack, 'worker', { image: IMAGE, healthCheck: HealthCheck.tcp() }),
    message: /\[shop\/worker\] TCP health check has no port: the service has no ports; pass \{ port \} to HealthCheck\.tcp/,
  },
  {
    id: 'health-http-port-out-of-range',
    what: 'an HTTP health check on port 70000',
    build: (stack) => new WebApp(stack, 'api', { image: IMAGE, port: 8080, healthCheck: HealthCheck.http('/health', { port: 70000 }) }),
    message: /\[shop\/api\] HTTP health check port 70000 is not a port number; use a whole number from 1 to 65535/,
  },
  {
    id: 'health-tcp-port-as-name',
    what: "a TCP health check given the port's name ('http') instead of its number",
    build: (stack) => new WebApp(stack, 'api', { image: IMAGE, port: 8080, healthCheck: HealthCheck.tcp({ port: 'http' as Any }) }),
    message: /\[shop\/api\] TCP health check port "http" is not a port number; use a whole number from 1 to 65535 \(the container port's number, not its name\)/,
  },
  {
    id: 'health-command-empty',
    what: 'a command health check with an empty command',
    build: (stack) => new Worker(stack, 'worker', { image: IMAGE, healthCheck: HealthCheck.command([]) }),
    message: /\[shop\/worker\] HealthCheck\.command needs a non-empty list of strings, e\.g\. \['pg_isready', '-U', 'app'\]/,
  },
  {
    id: 'health-shell-blank',
    what: 'a shell health check with a blank script',
    build: (stack) => new Worker(stack, 'worker', { image: IMAGE, healthCheck: HealthCheck.shell('  ') }),
    message: /\[shop\/worker\] HealthCheck\.shell needs a non-empty script, e\.g\. 'redis-cli ping \| grep PONG'/,
  },
  {
    id: 'health-check-compose-style',
    what: 'a health check written as a Compose healthcheck object',
    build: (stack) => new Worker(stack, 'worker', { image: IMAGE, healthCheck: { test: ['CMD', 'true'] } as Any }),
    message: /\[shop\/worker\] healthCheck must be made with HealthCheck\.http\/tcp\/command\/shell, got a plain object/,
  },
  {
    id: 'health-check-as-string',
    what: "a Postgres health check given as a command string ('pg_isready')",
    build: (stack) => new PostgresService(stack, 'db', { password: PASSWORD, healthCheck: 'pg_isready' as Any }),
    message: /\[shop\/db\] healthCheck must be made with HealthCheck\.http\/tcp\/command\/shell, got "pg_isready"/,
  },
  {
    id: 'readiness-without-health',
    what: 'a readiness check without a health check',
    build: (stack) => new WebApp(stack, 'api', { image: IMAGE, port: 8080, readinessCheck: HealthCheck.http('/ready') }),
    message: /\[shop\/api\] has a readinessCheck but no healthCheck; add a healthCheck .*or pass this check as healthCheck/,
  },
  {
    id: 'readiness-on-job',
    what: 'a readiness check on a one-shot job',
    build: (stack) => new MigrationJob(stack, 'migrate', { image: IMAGE, readinessCheck: HealthCheck.shell('true') }),
    message: /\[shop\/migrate\] has a readinessCheck, but a one-shot job takes no traffic: it is done when it exits; remove readinessCheck/,
  },

  // ------------------------------------------------------------------ resources (units)
  {
    id: 'memory-as-number',
    what: 'a memory limit given as a number (512) instead of a Size',
    build: (stack) => new Worker(stack, 'worker', { image: IMAGE, resources: { limits: { memory: 512 as Any } } }),
    message: /\[shop\/worker\] resources\.limits\.memory must be a Size such as Size\.mebibytes\(512\), got 512/,
  },
  {
    id: 'memory-as-kubernetes-quantity',
    what: "a memory limit in Kubernetes' notation ('512Mi')",
    build: (stack) => new Worker(stack, 'worker', { image: IMAGE, resources: { limits: { memory: '512Mi' as Any } } }),
    message: /\[shop\/worker\] resources\.limits\.memory must be a Size such as Size\.mebibytes\(512\), got "512Mi"/,
  },
  {
    id: 'memory-zero',
    what: 'a memory request of 0 MiB',
    build: (stack) => new Worker(stack, 'worker', { image: IMAGE, resources: { requests: { memory: Size.mebibytes(0) } } }),
    message: /\[shop\/worker\] resources\.requests\.memory: a size must be a positive number, got 0 mebibytes/,
  },
  {
    id: 'cpu-as-millicores-string',
    what: "a CPU limit in Kubernetes' notation ('500m')",
    build: (stack) => new Worker(stack, 'worker', { image: IMAGE, resources: { limits: { cpu: '500m' as Any } } }),
    message: /\[shop\/worker\] resources\.limits\.cpu must be a number of cores above 0 in steps of 0\.001 \(0\.5 is half a core\), got "500m"/,
  },
  {
    id: 'cpu-negative',
    what: 'a negative CPU limit',
    build: (stack) => new Worker(stack, 'worker', { image: IMAGE, resources: { limits: { cpu: -0.5 } } }),
    message: /\[shop\/worker\] resources\.limits\.cpu must be a number of cores above 0 .*got -0\.5/,
  },
  {
    id: 'cpu-too-fine',
    what: 'a CPU request finer than a millicore (0.0005)',
    build: (stack) => new Worker(stack, 'worker', { image: IMAGE, resources: { requests: { cpu: 0.0005 } } }),
    message: /\[shop\/worker\] resources\.requests\.cpu must be a number of cores above 0 in steps of 0\.001 .*got 0\.0005/,
  },
  {
    id: 'opensearch-heap-as-number',
    what: 'an OpenSearch heap given as a number (512) instead of a Size',
    build: (stack) => new OpenSearchService(stack, 'search', { heap: 512 as Any }),
    message: /\[shop\/search\] heap must be a whole number of mebibytes, got 512; use e\.g\. Size\.mebibytes\(512\)/,
  },
  {
    id: 'opensearch-limit-below-heap',
    what: 'an OpenSearch memory limit equal to its heap',
    build: (stack) => new OpenSearchService(stack, 'search', { heap: Size.gibibytes(1), resources: { limits: { memory: Size.gibibytes(1) } } }),
    message: /\[shop\/search\] the memory limit \(1 gibibytes\) leaves no room beside the 1 gibibytes heap, .*allow about twice the heap, or lower the heap/,
  },

  // ------------------------------------------------------------------ environment
  {
    id: 'env-name-not-portable',
    what: "an environment variable name with a '-'",
    build: (stack) => new Worker(stack, 'worker', { image: IMAGE, env: { 'LOG-LEVEL': 'info' } }),
    message: /\[shop\/worker\] environment variable "LOG-LEVEL" is not a portable environment variable name: use letters, digits and '_'/,
  },
  {
    id: 'env-set-twice',
    what: 'an environment variable set both by env and by connect()',
    build: (stack) => {
      const db = new PostgresService(stack, 'db', { password: PASSWORD });
      new WebApp(stack, 'api', { image: IMAGE, port: 8080, env: { DATABASE_URL: 'sqlite:///tmp/db' } }).connect(db, { env: 'DATABASE_URL' });
    },
    message: /\[shop\/api\] environment variable DATABASE_URL is set by both env and connect\(db\); set it once/,
  },
  {
    id: 'env-value-object',
    what: 'an environment value that is an object',
    build: (stack) => new Worker(stack, 'worker', { image: IMAGE, env: { FEATURES: { beta: true } as Any } }),
    message: /\[shop\/worker\] environment variable FEATURES has a value of type Object; use a string, number, boolean, Secret or Env\.concat/,
  },
  {
    id: 'env-value-null',
    what: 'an environment value that is null',
    build: (stack) => new Worker(stack, 'worker', { image: IMAGE, env: { LOG_LEVEL: null as Any } }),
    message: /\[shop\/worker\] environment variable LOG_LEVEL has a value of type null; use a string, number, boolean, Secret or Env\.concat/,
  },
  {
    id: 'env-file-missing',
    what: 'an env file that does not exist',
    build: (stack) => new Worker(stack, 'worker', { image: IMAGE, envFiles: [EnvFile.fromFile('no-such-dir/app.env')] }),
    message: /\[shop\/worker\] env file no-such-dir\/app\.env does not exist \(looked for .*\); create it or fix the path/,
  },
  {
    id: 'env-file-as-path',
    what: 'envFiles given a path string instead of EnvFile.fromFile',
    build: (stack) => new Worker(stack, 'worker', { image: IMAGE, envFiles: ['app.env' as Any] }),
    message: /\[shop\/worker\] envFiles must hold EnvFile\.fromFile\(\.\.\.\) values, got "app\.env"/,
  },
  {
    id: 'env-file-variable-not-portable',
    what: 'an env file with a variable name that is not portable',
    build: (stack) => new Worker(stack, 'worker', { image: IMAGE, envFiles: [envFileWith('dashed.env', 'LOG-LEVEL=debug\n')] }),
    message: /\[shop\/worker\] env file .*dashed\.env: variable "LOG-LEVEL" is not a portable environment variable name: use letters, digits and '_'/,
  },
  {
    id: 'profile-name-invalid',
    what: "a profile name with a space ('dev tools')",
    build: (stack) => new Worker(stack, 'worker', { image: IMAGE, profiles: ['dev tools'] }),
    message: /\[shop\/worker\] profile "dev tools" is not a Compose profile name: use letters, digits, '_', '\.' and '-'/,
  },

  // ------------------------------------------------------------------ props of the wrong type or value
  {
    id: 'replicas-negative',
    what: 'replicas of -1',
    build: (stack) => new Worker(stack, 'worker', { image: IMAGE, replicas: -1 }),
    message: /\[shop\/worker\] replicas must be a whole number of at least 0, got -1/,
  },
  {
    id: 'replicas-as-string',
    what: "replicas given as a string ('3')",
    build: (stack) => new Worker(stack, 'worker', { image: IMAGE, replicas: '3' as Any }),
    message: /\[shop\/worker\] replicas must be a whole number of at least 0, got "3"/,
  },
  {
    id: 'replicas-on-agent',
    what: 'replicas on a one-per-node AgentService',
    build: (stack) => new AgentService(stack, 'agent', { image: IMAGE, replicas: 2 } as Any),
    message: /\[shop\/agent\] AgentService has no prop "replicas": it runs one copy per node; remove replicas/,
  },
  {
    id: 'command-as-string',
    what: "a command given as one shell line ('npm start')",
    build: (stack) => new Worker(stack, 'worker', { image: IMAGE, command: 'npm start' as Any }),
    message: /\[shop\/worker\] command must be a list of strings \(exec form\), got "npm start"; split a shell line into words or use \['sh', '-c', '\.\.\.'\]/,
  },
  {
    id: 'job-retries-negative',
    what: 'a migration job with -1 retries',
    build: (stack) => new MigrationJob(stack, 'migrate', { image: IMAGE, retries: -1 }),
    message: /\[shop\/migrate\] retries must be a whole number of at least 0, got -1/,
  },
  {
    id: 'user-as-name',
    what: "a security user given as a name ('node') instead of a numeric id",
    build: (stack) => new Worker(stack, 'worker', { image: IMAGE, security: { user: 'node' as Any } }),
    message: /\[shop\/worker\] security\.user must be a numeric id \(Kubernetes cannot check a user name is not root\), got "node"/,
  },
  {
    id: 'capability-with-prefix',
    what: "a capability written with the CAP_ prefix ('CAP_NET_RAW')",
    build: (stack) => new Worker(stack, 'worker', { image: IMAGE, security: { dropCapabilities: ['CAP_NET_RAW'] } }),
    message: /\[shop\/worker\] security\.dropCapabilities has "CAP_NET_RAW"; write capabilities without the CAP_ prefix/,
  },
  {
    id: 'no-new-privileges-as-string',
    what: "security.noNewPrivileges given as a string ('false')",
    build: (stack) => new Worker(stack, 'worker', { image: IMAGE, security: { noNewPrivileges: 'false' as Any } }),
    message: /\[shop\/worker\] security\.noNewPrivileges must be true or false, got "false"; write the boolean without quotes/,
  },
  {
    id: 'read-only-root-as-string',
    what: "security.readOnlyRootFilesystem given as a string ('no')",
    build: (stack) => new Worker(stack, 'worker', { image: IMAGE, security: { readOnlyRootFilesystem: 'no' as Any } }),
    message: /\[shop\/worker\] security\.readOnlyRootFilesystem must be true or false, got "no"; write the boolean without quotes/,
  },
  {
    id: 'container-name-with-replicas',
    what: 'a fixed container name on a workload with 2 replicas',
    build: (stack) => new Worker(stack, 'worker', { image: IMAGE, replicas: 2, containerName: 'shop-worker' }),
    message: /\[shop\/worker\] containerName "shop-worker" names one container, but replicas is 2; remove containerName to scale/,
  },
  {
    id: 'container-name-invalid',
    what: 'a container name with a space',
    build: (stack) => new Worker(stack, 'worker', { image: IMAGE, containerName: 'shop worker' }),
    message: /\[shop\/worker\] containerName "shop worker" is not a container name: use letters, digits, '_', '\.' and '-'/,
  },
  {
    id: 'working-dir-relative',
    what: "a working directory that is a relative path ('app')",
    build: (stack) => new Worker(stack, 'worker', { image: IMAGE, workingDir: 'app' }),
    message: /\[shop\/worker\] workingDir "app" is not an absolute path; use e\.g\. '\/app'/,
  },
  {
    id: 'label-value-object',
    what: 'a label value that is an object (JavaScript caller)',
    build: (stack) => new Worker(stack, 'worker', { image: IMAGE, labels: { team: { name: 'shop' } as Any } }),
    message: /\[shop\/worker\] label "team" has the value \{"name":"shop"\}, which is not a string; give the label's text as a string/,
  },
  {
    id: 'label-key-invalid',
    what: "a label key with a space and a '!' ('my label!')",
    build: (stack) => new Worker(stack, 'worker', { image: IMAGE, labels: { 'my label!': 'x' } }),
    message: /\[shop\/worker\] label "my label!" is not a Kubernetes annotation key: use an optional DNS subdomain prefix and '\/', then at most 63 letters/,
  },
  {
    id: 'added-label-key-invalid',
    what: "a label added with addLabel() under a key with two '/' ('com.example/team/name')",
    build: (stack) => new Worker(stack, 'worker', { image: IMAGE }).addLabel('com.example/team/name', 'shop'),
    message: /\[shop\/worker\] label "com\.example\/team\/name" is not a Kubernetes annotation key: .*; labels become annotations on Kubernetes/,
  },
  {
    id: 'endpoint-host-invalid',
    what: 'a public endpoint host that is not a DNS name',
    build: (stack) => new WebApp(stack, 'api', { image: IMAGE, port: 8080, publicEndpoint: { host: 'Shop_Example.com' } }),
    message: /\[shop\/api\] public endpoint host "Shop_Example\.com" is not a DNS host name: use lower-case letters, digits, '-' and '\.'/,
  },
  {
    id: 'endpoint-path-relative',
    what: "a public endpoint path without a leading '/'",
    build: (stack) => new WebApp(stack, 'api', { image: IMAGE, port: 8080, publicEndpoint: { host: 'shop.example.com', path: 'api' } }),
    message: /\[shop\/api\] public endpoint path "api" must start with '\/'/,
  },
  {
    id: 'endpoint-ingress-class-invalid',
    what: "a public endpoint ingress class with a space and capitals ('Nginx Public')",
    build: (stack) =>
      new WebApp(stack, 'api', { image: IMAGE, port: 8080, publicEndpoint: { host: 'shop.example.com', ingressClassName: 'Nginx Public' } }),
    message: /\[shop\/api\] public endpoint ingressClassName "Nginx Public" is not a DNS subdomain: .*; it names a Kubernetes IngressClass, e\.g\. 'nginx'/,
  },
  {
    id: 'endpoint-tls-secret-invalid',
    what: "a public endpoint TLS Secret name with capitals and '_' ('My_Cert')",
    build: (stack) => new WebApp(stack, 'api', { image: IMAGE, port: 8080, publicEndpoint: { host: 'shop.example.com', tlsSecretName: 'My_Cert' } }),
    message: /\[shop\/api\] public endpoint tlsSecretName "My_Cert" is not a DNS subdomain: .*; it names the Kubernetes Secret holding the certificate/,
  },
  {
    id: 'endpoint-without-port',
    what: 'a public endpoint on a service without ports',
    build: (stack) => new ContainerService(stack, 'api', { image: IMAGE, publicEndpoint: { host: 'shop.example.com' } }),
    message: /\[shop\/api\] has a public endpoint but no port to route it to; give it a port/,
  },
  {
    id: 'endpoint-twice',
    what: 'a public endpoint and a second one added later',
    build: (stack) =>
      new WebApp(stack, 'api', { image: IMAGE, port: 8080, publicEndpoint: { host: 'shop.example.com' } }).addPublicEndpoint({ host: 'www.example.com' }),
    message: /\[shop\/api\] has two public endpoints; give it one \(publicEndpoint or one proxy route\)/,
  },
  {
    id: 'lets-encrypt-email-invalid',
    what: "a Let's Encrypt e-mail without a domain ('ops')",
    build: (stack) => new TraefikProxy(stack, 'proxy', { letsEncrypt: { email: 'ops' } }),
    message: /\[shop\/proxy\] letsEncrypt\.email "ops" is not an e-mail address; Let's Encrypt needs one, e\.g\. 'ops@example\.com'/,
  },
  {
    id: 'mongo-replica-set-name-invalid',
    what: "a MongoDB replica set name with a space ('rs 0')",
    build: (stack) => new MongoService(stack, 'mongo', { replicaSet: 'rs 0' }),
    message: /\[shop\/mongo\] replicaSet "rs 0" is not a replica set name; use letters, digits, '_' and '-', e\.g\. 'rs0'/,
  },
  {
    id: 'redis-snapshot-interval-zero',
    what: 'Redis snapshots every 0 seconds',
    build: (stack) => new RedisService(stack, 'cache', { persistence: RedisPersistence.snapshots(Duration.seconds(0), 100) }),
    message: /\[shop\/cache\] persistence: RedisPersistence\.snapshots interval: 0 seconds is not a whole number of seconds of at least 1; snapshot e\.g\. every Duration\.minutes\(5\)/,
  },
  {
    id: 'redis-snapshot-changes-negative',
    what: 'Redis snapshots after -1 changed keys',
    build: (stack) => new RedisService(stack, 'cache', { persistence: RedisPersistence.snapshots(Duration.minutes(5), -1) }),
    message: /\[shop\/cache\] persistence: RedisPersistence\.snapshots changes must be a whole number of at least 1, got -1; give how many keys must change/,
  },
  {
    id: 'opensearch-setting-name-invalid',
    what: "an OpenSearch setting name with a space ('Cluster Name')",
    build: (stack) => new OpenSearchService(stack, 'search', { settings: { 'Cluster Name': 'shop' } }),
    message: /\[shop\/search\] setting name "Cluster Name" is not an OpenSearch setting name; use e\.g\. 'cluster\.name'/,
  },
  {
    id: 'rabbitmq-management-port-without-ui',
    what: 'a RabbitMQ management host port on an image without the management UI',
    build: (stack) => new RabbitMqService(stack, 'mq', { password: Secret.fromEnv('RABBITMQ_PASSWORD'), version: '3.13', managementHostPort: 15672 }),
    message: /\[shop\/mq\] managementHostPort is 15672, but rabbitmq:3\.13 has no management UI; use a '-management' tag .*or remove managementHostPort/,
  },

  // ------------------------------------------------------------------ props a construct does not take
  {
    id: 'prop-misspelt',
    what: 'a misspelt prop (healtCheck) on a PostgresService',
    build: (stack) => new PostgresService(stack, 'db', { password: PASSWORD, healtCheck: HealthCheck.tcp() } as Any),
    message: /\[shop\/db\] PostgresService has no prop "healtCheck": did you mean "healthCheck"\?/,
  },
  {
    id: 'prop-unknown',
    what: 'a prop that no construct takes (domain) on a WebApp',
    build: (stack) => new WebApp(stack, 'api', { image: IMAGE, port: 8080, domain: 'shop.example.com' } as Any),
    message: /\[shop\/api\] WebApp has no prop "domain": remove it, or use one of the props of WebAppProps/,
  },
  {
    id: 'replicas-on-database',
    what: 'replicas on a PostgresService, whose props leave them out',
    build: (stack) => new PostgresService(stack, 'db', { password: PASSWORD, replicas: 3 } as Any),
    message: /\[shop\/db\] PostgresService has no prop "replicas": it runs as a single instance, since copies would not share its data; remove replicas/,
  },
  {
    id: 'image-on-official-image',
    what: 'an image on a RedisService, which runs the official image',
    build: (stack) => new RedisService(stack, 'cache', { image: 'redis:7.2' } as Any),
    message: /\[shop\/cache\] RedisService has no prop "image": it runs the official redis image; choose its tag with version, or use a ContainerService for another image/,
  },
  {
    id: 'command-on-redis',
    what: 'a command on a RedisService, which runs redis-server itself',
    build: (stack) => new RedisService(stack, 'cache', { command: ['redis-server', '--maxmemory', '100mb'] } as Any),
    message: /\[shop\/cache\] RedisService has no prop "command": it runs redis-server with the persistence settings; pass more arguments with serverArgs/,
  },
  {
    id: 'nested-prop-misspelt',
    what: 'a security option written with a capital S (readOnlyRootFileSystem)',
    build: (stack) => new Worker(stack, 'worker', { image: IMAGE, security: { readOnlyRootFileSystem: true } as Any }),
    message: /\[shop\/worker\] Worker has no prop "security\.readOnlyRootFileSystem": did you mean "security\.readOnlyRootFilesystem"\?/,
  },
  {
    id: 'port-option-misspelt',
    what: 'a port written with hostport in lower case',
    build: (stack) => new ContainerService(stack, 'api', { image: IMAGE, ports: [{ port: 8080, hostport: 8080 } as Any] }),
    message: /\[shop\/api\] ContainerService has no prop "ports\[0\]\.hostport": did you mean "ports\[0\]\.hostPort"\?/,
  },
  {
    id: 'stack-prop-misspelt',
    what: 'a stack given target instead of targets',
    build: (stack) => new Worker(new Stack(stack.node.root, 'blog', { target: ['compose'] } as Any), 'worker', { image: IMAGE }),
    message: /\[blog\] Stack has no prop "target": did you mean "targets"\?/,
  },
  {
    id: 'volume-prop-misspelt',
    what: 'a volume given storageClassName (the Kubernetes field) instead of storageClass',
    build: (stack) => new Volume(stack, 'media', { storageClassName: 'fast-ssd' } as Any),
    message: /\[shop\/media\] Volume has no prop "storageClassName": did you mean "storageClass"\?/,
  },
  {
    id: 'connect-option-misspelt',
    what: 'connect() given envs instead of env',
    build: (stack) => {
      const db = new PostgresService(stack, 'db', { password: PASSWORD });
      new WebApp(stack, 'api', { image: IMAGE, port: 8080 }).connect(db, { envs: 'DATABASE_URL' } as Any);
    },
    message: /\[shop\/api\] connect\(db\) has no option "envs": did you mean "env"\?/,
  },
  {
    id: 'health-check-option-misspelt',
    what: 'a health check given intervall instead of interval',
    build: (stack) => new WebApp(stack, 'api', { image: IMAGE, port: 8080, healthCheck: HealthCheck.http('/health', { intervall: Duration.seconds(5) } as Any) }),
    message: /\[shop\/api\] HealthCheck\.http has no option "intervall": did you mean "interval"\?/,
  },
  {
    id: 'mount-option-misspelt',
    what: 'a bind mount given readonly in lower case',
    build: (stack) => new Worker(stack, 'worker', { image: IMAGE, mounts: [Mount.bind('./src', '/app', { readonly: true } as Any)] }),
    message: /\[shop\/worker\] Mount\.bind at \/app has no option "readonly": did you mean "readOnly"\?/,
  },

  // ------------------------------------------------------------------ hardening acknowledgements
  {
    id: 'acknowledge-unknown-rule',
    what: 'an acknowledgement of a hardening rule that does not exist',
    build: (stack) => Hardening.of(new Worker(stack, 'worker', { image: IMAGE })).acknowledge('CKC-ROOT', 'the image needs root for its setup'),
    message: /\[shop\/worker\] acknowledges unknown hardening rule "CKC-ROOT"; the rules are CKC-USER, /,
  },
  {
    id: 'acknowledge-without-reason',
    what: 'an acknowledgement on a stack with a reason that is not a sentence',
    build: (stack) => Hardening.of(stack).acknowledge('CKC-LIMITS', 'later'),
    message: /\[shop\] acknowledges CKC-LIMITS without a reason; write why the finding is acceptable \(at least a sentence\)/,
  },
];

/** Every file and folder under `dir`, relative to it. */
function entriesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true }).map(String).sort();
}

/** Builds `c` into a fresh app writing to `outdir` and synthesizes it; returns what was thrown. */
function runCase(c: CatalogueCase, outdir: string): unknown {
  try {
    const app = new App({ outdir, printSummary: false });
    c.build(new Stack(app, 'shop'));
    app.synth();
  } catch (error) {
    return error;
  }
  return undefined;
}

/** docs/errors.md's catalogue table: case id -> message excerpt. */
function documentedCases(): Map<string, string> {
  const text = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'errors.md'), 'utf8');
  const rows = new Map<string, string>();
  for (const line of text.split('\n')) {
    // | `id` | bad input | `message excerpt` | fix |
    const cells = line.split(/(?<!\\)\|/).slice(1, -1).map((cell) => cell.trim());
    const id = /^`([a-z0-9-]+)`$/.exec(cells[0] ?? '')?.[1];
    if (!id || cells.length !== 4) continue;
    if (rows.has(id)) throw new Error(`docs/errors.md lists ${id} twice`);
    const excerpt = /^(`+) ?(.*?) ?\1$/.exec(cells[2])?.[2];
    rows.set(id, (excerpt ?? cells[2]).replace(/\\\|/g, '|'));
  }
  return rows;
}

describe('the bad-input catalogue', () => {
  let outdir: string;

  beforeEach(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdkc-catalogue-'));
  });

  afterEach(() => fs.rmSync(outdir, { recursive: true, force: true }));

  afterAll(() => fs.rmSync(FIXTURES, { recursive: true, force: true }));

  it('has at least 40 distinct cases, each with its own id and description', () => {
    expect(CATALOGUE.length).toBeGreaterThanOrEqual(40);
    expect(new Set(CATALOGUE.map((c) => c.id)).size).toBe(CATALOGUE.length);
    expect(new Set(CATALOGUE.map((c) => c.what)).size).toBe(CATALOGUE.length);
    expect(new Set(CATALOGUE.map((c) => c.message.source)).size).toBe(CATALOGUE.length);
  });

  it('expects every message to name a construct path in brackets', () => {
    for (const c of CATALOGUE) {
      expect([c.id, c.message.source]).toEqual([c.id, expect.stringMatching(/^\\\[[a-zA-Z]/)]);
    }
  });

  describe.each(CATALOGUE.map((c) => [c.id, c] as const))('%s', (_, c) => {
    it(`fails on ${c.what}, naming the path, the value and the fix, and writes nothing`, () => {
      // WHEN
      const error = runCase(c, outdir);

      // THEN
      expect(error).toBeInstanceOf(SynthError);
      const synthError = error as SynthError;
      expect(synthError.message).toMatch(/^synth failed with \d+ errors?; nothing was written:\n {2}\[/);
      // The list is the whole story: no trace into the library.
      expect(synthError.stack).not.toMatch(/\n\s+at /);
      for (const e of synthError.errors) expect(e.level).toBe('error');
      expect((error as Error).message).toMatch(c.message);
      expect(entriesUnder(outdir)).toEqual([]);
    });
  });

  describe('docs/errors.md', () => {
    it('lists every case of the catalogue, and nothing else', () => {
      const documented = [...documentedCases().keys()].sort();
      expect(documented).toEqual(CATALOGUE.map((c) => c.id).sort());
    });

    it('quotes, for each case, a part of the message the user really sees', () => {
      const documented = documentedCases();
      const wrong: string[] = [];
      for (const c of CATALOGUE) {
        const excerpt = documented.get(c.id);
        const message = (runCase(c, outdir) as Error | undefined)?.message ?? '';
        if (excerpt === undefined || !message.includes(excerpt)) wrong.push(`${c.id}: "${excerpt}" is not in: ${message}`);
      }
      expect(wrong).toEqual([]);
    });
  });
});
