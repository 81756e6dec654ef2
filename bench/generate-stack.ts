// A synthetic but realistic stack of N workloads for the benchmark, built with the public API only.
//
// Services come in groups of ten that share a database, a cache and a migration:
//   1 PostgresService, 1 RedisService, 1 MigrationJob (after nothing, connected to the db),
//   4 WebApps (HTTP health check; connected to the db and the cache; after the migration;
//     one with a public endpoint, one calling another web app of the group),
//   3 Workers (connected to the db and the cache; after the migration).
// Every edge stays inside its group, so the number of edges grows linearly with the number of
// services. Each group has its own Postgres password; one JWT secret is shared by every web app
// of the stack, as real stacks share a signing key (a secret used by many workloads).
import { App, Duration, HealthCheck, MigrationJob, PostgresService, RedisService, Secret, Size, Stack, WebApp, Worker } from '../lib';

/** Workloads per group; a stack of N services has N / GROUP_SIZE groups. */
export const GROUP_SIZE = 10;

/** Adds a stack named `name` with `services` workloads (a multiple of ten) to `app`. */
export function generateStack(app: App, name: string, services: number): Stack {
  if (services % GROUP_SIZE !== 0 || services <= 0) {
    throw new Error(`services must be a positive multiple of ${GROUP_SIZE}, got ${services}`);
  }
  const stack = new Stack(app, name);
  const jwt = Secret.fromEnv('JWT_SECRET', { description: 'Key that signs session tokens' });
  const groups = services / GROUP_SIZE;
  for (let g = 0; g < groups; g++) {
    addGroup(stack, `g${String(g).padStart(4, '0')}`, jwt);
  }
  return stack;
}

function addGroup(stack: Stack, prefix: string, jwt: Secret): void {
  const image = `ghcr.io/acme/${prefix}-app:1.4.2`;
  const passwordVar = `${prefix.toUpperCase()}_POSTGRES_PASSWORD`;
  const db = new PostgresService(stack, `${prefix}-db`, {
    version: '16-alpine',
    database: prefix,
    password: Secret.fromEnv(passwordVar, { description: `Password of the ${prefix} database` }),
    storage: Size.gibibytes(5),
  });
  const redis = new RedisService(stack, `${prefix}-redis`);
  const migrate = new MigrationJob(stack, `${prefix}-migrate`, {
    image,
    command: ['./migrate.sh', 'up'],
  }).connect(db, { env: 'DATABASE_URL' });

  const webApps: WebApp[] = [];
  for (let i = 0; i < 4; i++) {
    const web = new WebApp(stack, `${prefix}-web${i}`, {
      image,
      command: ['node', 'server.js', `--role=web${i}`],
      port: 8080,
      healthCheck: HealthCheck.http('/healthz', { interval: Duration.seconds(15), timeout: Duration.seconds(5) }),
      env: { NODE_ENV: 'production', LOG_LEVEL: 'info', JWT_SECRET: jwt },
      resources: { limits: { cpu: 0.5, memory: Size.mebibytes(512) }, requests: { cpu: 0.1, memory: Size.mebibytes(128) } },
      replicas: 2,
      ...(i === 0 ? { publicEndpoint: { host: `${prefix}.example.com`, tlsSecretName: `${prefix}-tls` } } : {}),
      after: [migrate],
    });
    web.connect(db, { env: 'DATABASE_URL' }).connect(redis, { env: 'CACHE_URL', database: 1 });
    if (i > 0) web.connect(webApps[0], { env: 'FRONT_URL' });
    webApps.push(web);
  }
  for (let i = 0; i < 3; i++) {
    new Worker(stack, `${prefix}-worker${i}`, {
      image,
      command: ['node', 'worker.js', `--queue=q${i}`],
      env: { LOG_LEVEL: 'info' },
      resources: { limits: { cpu: 0.25, memory: Size.mebibytes(256) } },
      after: [migrate],
    })
      .connect(db, { env: 'DATABASE_URL' })
      .connect(redis, { env: 'QUEUE_URL' });
  }
}
