// The app of the README: an API with a worker, Postgres, Redis and a migration that both wait for.
import { App, Duration, HealthCheck, MigrationJob, PostgresService, RedisService, Secret, Size, Stack, WebApp, Worker } from '../../lib';

export function defineQuickstart(app: App): Stack {
  const stack = new Stack(app, 'quickstart');

  const db = new PostgresService(stack, 'db', {
    version: '15-alpine',
    database: 'myapp',
    user: 'appuser',
    password: Secret.fromEnv('POSTGRES_PASSWORD', { description: 'Password of the Postgres user appuser' }),
    storage: Size.gibibytes(10),
  });
  const redis = new RedisService(stack, 'redis');
  // The app image's own user (uid 1000), with no capability: what a restricted namespace admits.
  const security = { user: 1000, group: 1000, dropCapabilities: ['ALL'] };

  const migrate = new MigrationJob(stack, 'db-migrate', {
    image: 'ghcr.io/acme/drm-backend:1.4.2',
    command: ['alembic', 'upgrade', 'head'],
    security,
  }).connect(db, { env: 'DATABASE_URL', scheme: 'postgresql+asyncpg' });

  const api = new WebApp(stack, 'backend', {
    image: 'ghcr.io/acme/drm-backend:1.4.2',
    port: 8080,
    hostPort: 8080,
    healthCheck: HealthCheck.http('/docs', { interval: Duration.seconds(30), timeout: Duration.seconds(10) }),
    env: { JWT_SECRET: Secret.fromEnv('JWT_SECRET', { description: 'Key that signs session tokens' }), JWT_EXPIRES_IN: '3600' },
    resources: { limits: { cpu: 0.5, memory: Size.mebibytes(512) }, requests: { cpu: 0.25, memory: Size.mebibytes(256) } },
    publicEndpoint: { host: 'api.example.com', tlsSecretName: 'api-example-com-tls' },
    security,
    after: [migrate],
  });
  api.connect(db, { env: 'DATABASE_URL', scheme: 'postgresql+asyncpg' });
  api.connect(redis, { env: 'CELERY_BROKER_URL', database: 0 });

  new Worker(stack, 'worker', {
    image: api.image,
    command: ['celery', '-A', 'app', 'worker', '-l', 'info'],
    replicas: 3,
    security,
    after: [migrate],
  })
    .connect(db, { env: 'DATABASE_URL', scheme: 'postgresql+asyncpg' })
    .connect(redis, { env: 'CELERY_BROKER_URL' });

  return stack;
}

if (require.main === module) {
  const app = new App();
  defineQuickstart(app);
  app.synth();
}
