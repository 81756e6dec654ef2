// The Device Remote Management platform (shared/seeds/002): FastAPI backend, Celery worker,
// Postgres with RLS, Redis as Celery broker and result backend, a one-shot migration and a
// React SPA behind nginx. In your own project, import from 'cdk-compose' instead of '../../lib'.
import * as path from 'path';
import {
  App,
  ConfigFile,
  Duration,
  Hardening,
  HealthCheck,
  MigrationJob,
  Mount,
  Parameter,
  PostgresService,
  ProbeTool,
  RedisService,
  Secret,
  Size,
  Stack,
  StaticSite,
  Volume,
  WebApp,
  Worker,
} from '../../lib';

/** The environments this app describes. */
export type DrmEnvironment = 'dev' | 'prod';

// Kubernetes pulls images, so each build is also tagged (and pushed) as a pinned reference.
export const BACKEND_IMAGE = 'registry.example.com/drm/backend:1.0.0';
export const FRONTEND_IMAGE = 'registry.example.com/drm/frontend:1.0.0';

// The seed gives its images no user: they run as root, but with no capability at all, which
// root needs none of to run Python and write the folders it owns. The stock nginx of the SPA
// keeps the four its master needs to bind port 80 and hand the workers to the nginx user.
const NO_CAPABILITIES = { dropCapabilities: ['ALL'] };
const ROOT_REASON = 'the seed builds its images with no user of their own; they run as root with every capability dropped';
const NGINX_SECURITY = { dropCapabilities: ['ALL'], addCapabilities: ['CHOWN', 'SETGID', 'SETUID', 'NET_BIND_SERVICE'], readOnlyRootFilesystem: true };
// nginx writes only its temporary folders and its pid file (/var/run is a link to /run); fresh
// tmpfs folders are root's, so the master needs no DAC_OVERRIDE to make them.
const NGINX_SCRATCH = [Mount.tmpfs('/var/cache/nginx', { size: Size.mebibytes(32) }), Mount.tmpfs('/run', { size: Size.mebibytes(1) })];

export function defineDrm(app: App, environment: DrmEnvironment): Stack {
  const dev = environment === 'dev';
  const stack = new Stack(app, `drm-${environment}`, { environment });
  // The seed's host ports are chosen at deploy time (dev only): `POSTGRES_EXTERNAL_PORT=5433 docker compose up`.
  const hostPort = (name: string, fallback: number, description: string) =>
    dev ? new Parameter(stack, name, { default: String(fallback), description }).valueAsNumber : undefined;

  const db = new PostgresService(stack, 'db', {
    version: '15-alpine',
    database: 'myapp',
    user: 'appuser',
    password: Secret.fromEnv('POSTGRES_PASSWORD', { description: 'Password of the Postgres user appuser' }),
    // The official image does not read POSTGRES_PORT; the seed sets it for tools in the container.
    env: { POSTGRES_PORT: '5432' },
    containerName: 'drm-database',
    // The seed's ${POSTGRES_EXTERNAL_PORT:-5000}; users never reach the database directly.
    hostPort: hostPort('POSTGRES_EXTERNAL_PORT', 5000, 'Host port of the database on a developer machine'),
    // Executable, so that the image's entrypoint runs it rather than sourcing it into its own shell.
    mounts: [
      // The seed's volume name, so that the data of its Compose project is the data here.
      Mount.volume(new Volume(stack, 'postgres_data', { size: Size.gibibytes(10) }), '/var/lib/postgresql/data'),
      Mount.config(ConfigFile.fromFile(path.join(__dirname, 'DatabaseContainer', 'migrate.sh')), '/docker-entrypoint-initdb.d/migrate.sh', { mode: 0o755 }),
    ],
  });

  const redis = new RedisService(stack, 'redis', {
    version: '7-alpine',
    containerName: 'drm-redis',
    mounts: [Mount.volume(new Volume(stack, 'redis_data'), '/data')],
    // The seed's ${REDIS_EXTERNAL_PORT:-6379}.
    hostPort: hostPort('REDIS_EXTERNAL_PORT', 6379, 'Host port of Redis on a developer machine'),
  });

  // The seed bind-mounts ./DatabaseContainer at /workspace and runs `chmod +x migrate.sh`; a
  // Kubernetes node has no such folder, so the script travels as a config file (a ConfigMap).
  // A mounted config is read-only and cannot be chmod-ed: `sh` runs it whatever its mode.
  const migrate = new MigrationJob(stack, 'db-migrate', {
    image: 'postgres:15-alpine',
    containerName: 'drm-db-migrate',
    workingDir: '/workspace',
    command: ['sh', '-c', 'echo "psql $DATABASE_URL" > db_connection.txt && exec sh ./migrate.sh up'],
    mounts: [Mount.config(ConfigFile.fromFile(path.join(__dirname, 'DatabaseContainer', 'migrate.sh')), '/workspace/migrate.sh', { mode: 0o755 })],
    security: NO_CAPABILITIES,
  }).connect(db, { env: 'DATABASE_URL' });
  Hardening.of(migrate).acknowledge('CKC-USER', 'the seed writes db_connection.txt into the working folder /workspace, which the runtime creates for root');

  const uploads = new Volume(stack, 'backend_uploads', {
    size: Size.gibibytes(5),
    // The backend stores MIB files that the workers parse, from pods on any node.
    accessMode: 'ReadWriteMany',
  });
  const backendMounts = [
    // Live reload of the source in development; on Kubernetes the image's own copy runs.
    ...(dev ? [Mount.bind(path.join(__dirname, 'BackendContainer', 'src'), '/app/src', { onKubernetes: 'leave-out' })] : []),
    Mount.volume(uploads, '/app/uploads'),
  ];
  const jwtSecret = Secret.fromEnv('JWT_SECRET', { description: 'Key that signs the API access tokens (JWT)' });
  const backendBuild = { context: path.join(__dirname, 'BackendContainer'), dockerfile: 'Dockerfile' };

  const backend = new WebApp(stack, 'backend', {
    image: BACKEND_IMAGE,
    build: backendBuild,
    containerName: 'drm-backend',
    port: 8080,
    hostPort: 8080,
    healthCheck: HealthCheck.http('/docs', { interval: Duration.seconds(30), timeout: Duration.seconds(10) }),
    env: {
      JWT_SECRET: jwtSecret,
      JWT_EXPIRES_IN: '3600',
      CORS_ORIGINS: dev ? 'http://localhost:3000,http://127.0.0.1:3000' : 'https://drm.example.com',
      ENABLE_SSE: 'true',
      PORT: '8080',
    },
    mounts: backendMounts,
    security: NO_CAPABILITIES,
    publicEndpoint: dev ? undefined : { host: 'api.drm.example.com', tlsSecretName: 'api-drm-example-com-tls' },
    after: [migrate],
  })
    .connect(db, { env: 'DATABASE_URL', scheme: 'postgresql+asyncpg' })
    .connect(redis, { env: 'CELERY_BROKER_URL', database: 0 })
    .connect(redis, { env: 'CELERY_RESULT_BACKEND', database: 1 });

  const worker = new Worker(stack, 'worker', {
    image: BACKEND_IMAGE,
    build: backendBuild,
    command: ['celery', '-A', 'src.celery_app.celery_app', 'worker', '-l', 'info', '-Q', 'celery'],
    env: { JWT_SECRET: jwtSecret },
    mounts: backendMounts,
    // A fixed container name rules out `--scale worker=3`, so production runs without one.
    containerName: dev ? 'drm-worker' : undefined,
    replicas: dev ? 1 : 3,
    security: NO_CAPABILITIES,
    after: [migrate],
  })
    .connect(db, { env: 'DATABASE_URL', scheme: 'postgresql+asyncpg' })
    .connect(redis, { env: 'CELERY_BROKER_URL', database: 0 })
    .connect(redis, { env: 'CELERY_RESULT_BACKEND', database: 1 });

  const frontend = new StaticSite(stack, 'frontend', {
    image: FRONTEND_IMAGE,
    build: {
      context: path.join(__dirname, 'FrontendContainer'),
      dockerfile: 'Dockerfile',
      // Baked into the bundle: the browser calls the API at this address.
      args: { VITE_API_BASE_URL: dev ? 'http://localhost:8080' : 'https://api.drm.example.com' },
    },
    containerName: 'drm-frontend',
    hostPort: 3000,
    healthCheck: HealthCheck.http('/', {
      probeTool: ProbeTool.command(['wget', '--quiet', '--tries=1', '--spider', '{url}']),
      interval: Duration.seconds(30),
    }),
    publicEndpoint: dev ? undefined : { host: 'drm.example.com', tlsSecretName: 'drm-example-com-tls' },
    security: NGINX_SECURITY,
    mounts: NGINX_SCRATCH,
    after: [backend],
  });
  for (const app of [backend, worker]) Hardening.of(app).acknowledge('CKC-USER', ROOT_REASON);
  Hardening.of(frontend).acknowledge('CKC-USER', 'the stock nginx image starts its master as root to bind port 80, then runs the workers as nginx');
  Hardening.of(frontend).acknowledge('CKC-CAPABILITIES', 'the nginx master needs CHOWN, SETGID and SETUID to hand its workers and temporary folders to the nginx user');

  return stack;
}

if (require.main === module) {
  const app = new App();
  defineDrm(app, 'dev');
  defineDrm(app, 'prod');
  app.synth();
}
