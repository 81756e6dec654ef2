// Parmana (shared/seeds/000): a Fastify governance server that signs decisions, with Redis as
// its replay-protection store, Postgres as its audit database and an nginx-served audit
// dashboard. In your own project, import from 'cdk-compose' instead of '../../lib'.
import { App, Hardening, Mount, Parameter, PostgresService, RedisService, Secret, Size, Stack, StaticSite, Volume, WebApp } from '../../lib';

/** The environments this app describes. */
export type ParmanaEnvironment = 'dev' | 'prod';

/**
 * The release production deploys unless the deploy sets another: the default of the seed's
 * `${RELEASE_TAG}`, a parameter of the production stack. A placeholder for your release; the
 * dashboard is assumed to be released with the same tag.
 */
export const RELEASE_TAG = '1.0.0';
export const SERVER_IMAGE = `ghcr.io/pavancharak/parmanasystems/server:${RELEASE_TAG}`;
/** The seed's dashboard image: `latest` moves under you, so only dev uses it. */
export const DASHBOARD_IMAGE_DEV = 'ghcr.io/pavancharak/parmanasystems/dashboard:latest';
/** The production dashboard at the default release. */
export const DASHBOARD_IMAGE_PROD = `ghcr.io/pavancharak/parmanasystems/dashboard:${RELEASE_TAG}`;

export function defineParmana(app: App, environment: ParmanaEnvironment): Stack {
  const dev = environment === 'dev';
  const stack = new Stack(app, `parmana-${environment}`, { environment });
  // "In production, pin the server image to a specific release tag: server:${RELEASE_TAG}".
  const release = dev ? undefined : new Parameter(stack, 'RELEASE_TAG', { default: RELEASE_TAG, description: 'The release of the server and dashboard images to deploy' });

  // "In production ... Postgres and Redis must not be exposed": host ports in dev only.
  const postgres = new PostgresService(stack, 'postgres', {
    version: '16-alpine',
    database: 'parmana',
    user: 'parmana',
    password: Secret.fromEnv('POSTGRES_PASSWORD', { description: 'Password of the Postgres user parmana (audit database)' }),
    // Every audit record lives here: the seed's backup priority "Critical". The seed's volume
    // name, so that the data of its Compose project is the data here.
    mounts: [Mount.volume(new Volume(stack, 'postgres_data', { size: Size.gibibytes(20) }), '/var/lib/postgresql/data')],
    hostPort: dev ? 5433 : undefined,
  });

  // Replay state must outlive a Redis restart while its TTLs run, or a replayed executionId
  // would be accepted again; the append-only file goes on a (small) volume.
  const redis = new RedisService(stack, 'redis', {
    version: '7',
    hostPort: dev ? 6380 : undefined,
  });

  // The seed's images have no user of their own: the server runs as root with no capability,
  // the dashboard's stock nginx with the four its master needs to bind port 80 and step down.
  const server = new WebApp(stack, 'server', {
    image: release ? `ghcr.io/pavancharak/parmanasystems/server:${release}` : SERVER_IMAGE,
    // Production pulls the released image; dev builds it from the monorepo's root.
    build: dev ? { context: __dirname, dockerfile: 'packages/server/Dockerfile' } : undefined,
    port: 3000,
    hostPort: 3000,
    env: {
      // Read at start-up; the key may also come from disk, which needs it baked into the image.
      PARMANA_SIGNING_KEY: Secret.fromEnv('PARMANA_SIGNING_KEY', { description: 'Ed25519 key that signs governance tokens' }),
      // The dashboard calls the server from the browser, from this origin.
      CORS_ORIGIN: 'http://localhost:8081',
    },
    publicEndpoint: dev ? undefined : { host: 'parmana.example.com', tlsSecretName: 'parmana-example-com-tls' },
    security: { dropCapabilities: ['ALL'] },
  })
    // Redis is required: the server does not start without it.
    .connect(redis, { env: 'REDIS_URL' })
    // Postgres is optional for the server, but it connects (and migrates the audit schema) at
    // start-up, so it starts after Postgres is healthy to keep audit records from the first call.
    .connect(postgres, { env: 'AUDIT_DATABASE_URL' });

  Hardening.of(server).acknowledge('CKC-USER', 'the seed builds the server image with no user of its own; it runs as root with every capability dropped');

  const dashboard = new StaticSite(stack, 'dashboard', {
    image: release ? `ghcr.io/pavancharak/parmanasystems/dashboard:${release}` : DASHBOARD_IMAGE_DEV,
    hostPort: 8081,
    // "Only the server port should be externally reachable": in production the dashboard is
    // published on the host's loopback only, for an operator's SSH tunnel (or port-forward).
    hostIp: dev ? undefined : '127.0.0.1',
    // nginx writes only its temporary folders and its pid file, on fresh tmpfs folders of root's.
    security: { dropCapabilities: ['ALL'], addCapabilities: ['CHOWN', 'SETGID', 'SETUID', 'NET_BIND_SERVICE'], readOnlyRootFilesystem: true },
    mounts: [Mount.tmpfs('/var/cache/nginx', { size: Size.mebibytes(32) }), Mount.tmpfs('/run', { size: Size.mebibytes(1) })],
  });
  Hardening.of(dashboard).acknowledge('CKC-USER', 'the stock nginx image starts its master as root to bind port 80, then runs the workers as nginx');
  Hardening.of(dashboard).acknowledge('CKC-CAPABILITIES', 'the nginx master needs CHOWN, SETGID and SETUID to hand its workers and temporary folders to the nginx user');

  return stack;
}

if (require.main === module) {
  const app = new App();
  defineParmana(app, 'dev');
  defineParmana(app, 'prod');
  app.synth();
}
