// SrvThreds: an event-processing engine and two agents on MongoDB, Redis and RabbitMQ, from the
// seed's "Container Architecture" document. Users write `from 'cdk-compose'`.
import {
  App,
  BuildOptions,
  BuilderImage,
  ContainerService,
  Duration,
  Hardening,
  HealthCheck,
  IConnectable,
  MigrationJob,
  MongoService,
  Network,
  RabbitMqService,
  RedisPersistence,
  RedisService,
  SecurityOptions,
  Secret,
  Size,
  Stack,
  Worker,
  Workload,
} from '../../lib';

export type SrvthredsEnvironment = 'dev' | 'prod';

/** The bridge network the infrastructure creates and the application joins. */
export const NETWORK = 'srvthreds-net';

/** The tag CI pushes the production images as (the seed builds `latest` locally). */
export const RELEASE = '1.0.0';

/**
 * The build context: the workspace folder that holds the srvthreds and thredlib checkouts
 * next to the seed's Dockerfiles in docker/.
 */
const WORKSPACE = __dirname;

/**
 * The production image's user and group (`adduser -S srvthreds -u 1001 -G nodejs`, gid 1001).
 * A non-root node process on ports above 1024 needs no Linux capability, so all are dropped.
 */
const NON_ROOT: SecurityOptions = { user: 1001, group: 1001, dropCapabilities: ['ALL'] };

/** The production image's HEALTHCHECK, stated here so that Kubernetes probes the same way. */
const APP_HEALTH_CHECK = HealthCheck.command(['node', '-e', "console.log('Health check')"], {
  interval: Duration.seconds(30),
  timeout: Duration.seconds(10),
  retries: 3,
  startPeriod: Duration.seconds(60),
});

/** The infrastructure stack, and the services the application connects to. */
export interface SrvthredsInfrastructure {
  readonly stack: Stack;
  readonly services: readonly IConnectable[];
}

/** Options of the application stack. */
export interface SrvthredsAppOptions {
  /**
   * The run-profile the bootstrap loads.
   *
   * @default 'ef-detection'
   */
  readonly bootstrapProfile?: string;
}

/**
 * docker-compose-db.yml: MongoDB, Redis and RabbitMQ, and the network they create.
 */
export function defineSrvthredsInfrastructure(app: App, environment: SrvthredsEnvironment): SrvthredsInfrastructure {
  const dev = environment === 'dev';
  const stack = new Stack(app, `srvthreds-infra-${environment}`, { environment, namespace: namespaceOf(environment) });
  Hardening.of(stack).acknowledge('CKC-LIMITS', 'the seed sets no limits on the databases, in development or in its production recommendations');
  const network = new Network(stack, NETWORK, { shared: true });
  // The seed names its containers, and its commands use the names (`docker exec redis ...`);
  // on a developer's machine the names are kept.
  const containerName = (name: string) => (dev ? name : undefined);

  const mongo = new MongoService(stack, 'mongo-repl-1', {
    version: '7.0',
    replicaSet: 'rs0',
    hostPort: dev ? 27017 : undefined,
    containerName: containerName('mongo-repl-1'),
    networks: [network],
    // Development runs with the seed's open databases; production turns on access control.
    ...(dev
      ? {}
      : {
          rootUsername: 'srvthreds',
          rootPassword: Secret.fromEnv('MONGO_ROOT_PASSWORD', { description: 'Password of the MongoDB root user srvthreds' }),
          replicaSetKey: Secret.fromEnv('MONGO_REPLICA_SET_KEY', { description: 'Replica set key file content: openssl rand -base64 756' }),
        }),
  });

  const redis = new RedisService(stack, 'redis', {
    persistence: RedisPersistence.snapshots(Duration.seconds(20), 1),
    serverArgs: ['--notify-keyspace-events', 'KA', '--loglevel', 'warning'],
    hostPort: dev ? 6379 : undefined,
    password: dev ? undefined : Secret.fromEnv('REDIS_PASSWORD', { description: 'Password clients give Redis' }),
    containerName: containerName('redis'),
    networks: [network],
  });

  const rabbitmq = new RabbitMqService(stack, 'rabbitmq', {
    version: '3.13-management',
    user: 'srvthreds',
    password: Secret.fromEnv('RABBITMQ_PASSWORD', { description: 'Password of the RabbitMQ user srvthreds' }),
    hostPort: dev ? 5672 : undefined,
    managementHostPort: dev ? 15672 : undefined,
    containerName: containerName('rabbitmq'),
    networks: [network],
  });

  return { stack, services: [mongo, redis, rabbitmq] };
}

/**
 * docker-compose-services.yml: the builder image, the bootstrap and the three application
 * services, on the network the infrastructure created.
 */
export function defineSrvthredsApp(
  app: App,
  environment: SrvthredsEnvironment,
  infrastructure: SrvthredsInfrastructure,
  options: SrvthredsAppOptions = {},
): Stack {
  const dev = environment === 'dev';
  const stack = new Stack(app, `srvthreds-app-${environment}`, { environment, namespace: namespaceOf(environment) });
  if (dev) {
    Hardening.of(stack)
      .acknowledge('CKC-LIMITS', 'the seed runs development without resource limits ("uses available host resources")')
      .acknowledge('CKC-PINNED', 'development runs the images it has just built from source, tagged latest; production pulls a release tag');
  }
  const network = new Network(stack, NETWORK, { external: true });
  // Connecting across stacks gives the variables that reach each service and waits until it
  // answers on its port: the infrastructure stack is deployed first (decision 16).
  const connectToInfrastructure = (workload: Workload) => {
    for (const service of infrastructure.services) workload.connect(service);
  };
  const containerName = (name: string) => (dev ? name : undefined);

  // On a developer's machine every image is built from source on top of the builder; in
  // production CI builds and pushes them, and the stack pulls the release.
  let build: (dockerfile: string) => BuildOptions | undefined = () => undefined;
  if (dev) {
    const builder = new BuilderImage(stack, 'srvthreds-builder', {
      image: 'srvthreds/builder:latest',
      build: { context: WORKSPACE, dockerfile: 'docker/Dockerfile.builder' },
      profile: 'manual',
    });
    build = (dockerfile) => ({ context: WORKSPACE, dockerfile, args: { BUILDER_IMAGE: builder.image } });
  }
  const image = (name: string) => `srvthreds/${name}:${dev ? 'latest' : RELEASE}`;

  const bootstrap = new MigrationJob(stack, 'srvthreds-bootstrap', {
    image: image('bootstrap'),
    build: build('docker/Dockerfile.cmdRunner'),
    command: ['npm', 'run', 'bootstrap', '--', '-p', options.bootstrapProfile ?? 'ef-detection'],
    containerName: containerName('srvthreds-bootstrap'),
    networks: [network],
    // Root, but with no capability: npm writes only under root's own home and the app folder.
    security: { dropCapabilities: ['ALL'] },
  });
  Hardening.of(bootstrap).acknowledge(
    'CKC-USER',
    "the command runner extends the builder image, which the seed builds as root and gives no other user; npm writes its cache under the user's home",
  );

  connectToInfrastructure(bootstrap);

  const common = {
    build: build('docker/Dockerfile'),
    security: NON_ROOT,
    healthCheck: APP_HEALTH_CHECK,
    networks: [network],
    after: [bootstrap],
  };

  const engine = new ContainerService(stack, 'srvthreds-engine', {
    ...common,
    image: image('engine'),
    command: ['node', 'dist-server/src/ts/index.js', '-d'],
    ports: [{ port: 8082, name: 'http', hostPort: dev ? 8082 : undefined }],
    // Stateless: per-thredId locking keeps three engines consistent, RabbitMQ spreads the events.
    replicas: dev ? 1 : 3,
    containerName: containerName('srvthreds-engine'),
    resources: dev
      ? undefined
      : { limits: { cpu: 2, memory: Size.gibibytes(2) }, requests: { cpu: 1, memory: Size.gibibytes(1) } },
  });

  const sessionAgent = new ContainerService(stack, 'srvthreds-session-agent', {
    ...common,
    image: image('session-agent'),
    command: ['node', 'dist-server/src/ts/agent/agent.js', '-c', 'session_agent', '-i', 'org.wt.session1'],
    ports: [
      { port: 3000, name: 'websocket', hostPort: dev ? 3000 : undefined },
      { port: 3001, name: 'http', hostPort: dev ? 3001 : undefined },
    ],
    containerName: containerName('srvthreds-session-agent'),
  });

  const persistenceAgent = new Worker(stack, 'srvthreds-persistence-agent', {
    ...common,
    image: image('persistence-agent'),
    command: ['node', 'dist-server/src/ts/agent/agent.js', '-c', 'persistence_agent', '-i', 'org.wt.persistence1'],
    containerName: containerName('srvthreds-persistence-agent'),
  });
  for (const workload of [engine, sessionAgent, persistenceAgent]) connectToInfrastructure(workload);

  return stack;
}

/** Both stacks of one environment: the infrastructure first, then the application. */
export function defineSrvthreds(app: App, environment: SrvthredsEnvironment, options: SrvthredsAppOptions = {}): Stack[] {
  const infrastructure = defineSrvthredsInfrastructure(app, environment);
  return [infrastructure.stack, defineSrvthredsApp(app, environment, infrastructure, options)];
}

/** The two stacks of an environment share a namespace, where their Service names resolve. */
function namespaceOf(environment: SrvthredsEnvironment): string {
  return environment === 'dev' ? 'srvthreds-dev' : 'srvthreds';
}

if (require.main === module) {
  const app = new App();
  defineSrvthreds(app, 'dev');
  defineSrvthreds(app, 'prod');
  app.synth();
}
