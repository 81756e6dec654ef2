// escrowgrid's Tokenization-as-a-Service platform: the TAAS API, its Postgres and the admin
// console, as the seed document "Docker Deployment" describes them. Users write `from 'cdk-compose'`.
import * as path from 'path';
import {
  App,
  ConfigFile,
  Duration,
  EnvValue,
  Hardening,
  HealthCheck,
  Logging,
  Mount,
  PostgresService,
  ProbeTool,
  Secret,
  Size,
  Stack,
  StaticSite,
  Volume,
  WebApp,
} from '../../lib';

/** The tags CI pushes the two builds as: Kubernetes pulls them, Compose builds and tags them. */
const API_IMAGE = 'ghcr.io/escrowgrid/taas-api:0.1.0';
const ADMIN_IMAGE = 'ghcr.io/escrowgrid/taas-admin:0.1.0';

// In escrowgrid's own repository app.ts sits next to the Dockerfile and the contexts are '.' and
// './admin-console'; here they are found from this file, wherever synth runs.
const HERE = __dirname;

/**
 * Options of the escrowgrid stacks.
 */
export interface EscrowgridOptions {
  /**
   * Record positions on an Ethereum-compatible chain: ONCHAIN_LEDGER_ENABLED=true, the
   * contract's address, and ONCHAIN_RPC_URL and ONCHAIN_PRIVATE_KEY as secrets.
   *
   * @default - the on-chain ledger is off (ONCHAIN_LEDGER_ENABLED=false) and needs no secrets
   */
  readonly onchainLedger?: { readonly contractAddress: string };
}

/**
 * The escrowgrid platform for one environment. Both environments run the same images, users,
 * health checks and wiring; they differ where the seed document says so: only dev publishes
 * Postgres on the host (15432), and only prod adds the "Production Best Practices" that are
 * deployment policy (resource limits and reservations, log rotation, the API's liveness check
 * every 30 seconds).
 */
export function defineEscrowgrid(app: App, environment: 'dev' | 'prod', options: EscrowgridOptions = {}): Stack {
  const prod = environment === 'prod';
  const stack = new Stack(app, `escrowgrid-${environment}`, { environment });
  if (!prod) {
    Hardening.of(stack).acknowledge(
      'CKC-LIMITS',
      'a laptop stack: the seed document files resource limits under production best practices, which escrowgrid-prod applies',
    );
  }
  // Docker's json-file driver keeps every line forever unless told to rotate.
  const logging = prod ? Logging.jsonFile({ maxSize: Size.mebibytes(10), maxFiles: 3 }) : undefined;

  const db = new PostgresService(stack, 'db', {
    version: '16-alpine',
    containerName: 'taas-db',
    database: 'taas_platform',
    user: 'taas_user',
    password: Secret.fromEnv('POSTGRES_PASSWORD', { description: 'Password of the Postgres user taas_user (in DATABASE_URL too)' }),
    // psql from the host in development only; in production the database stays on the internal network.
    hostPort: prod ? undefined : 15432,
    healthCheck: HealthCheck.command(['pg_isready', '-U', 'taas_user'], {
      interval: Duration.seconds(5),
      timeout: Duration.seconds(5),
      retries: 5,
    }),
    // The image runs *.sql files in this folder, in name order, only when the data directory is empty.
    mounts: [
      // The document's volume name, so that an existing deployment's data is the data here.
      Mount.volume(new Volume(stack, 'postgres_data'), '/var/lib/postgresql/data'),
      Mount.config(ConfigFile.fromFile(path.join(__dirname, 'db/schema.sql')), '/docker-entrypoint-initdb.d/10-schema.sql'),
    ],
    // uid/gid 70 is `postgres` in the Alpine image, whose data and socket folders accept an
    // arbitrary --user; fsGroup makes a fresh Kubernetes volume writable for it.
    security: { user: 70, group: 70, fsGroup: 70, dropCapabilities: ['ALL'] },
    resources: prod
      ? { limits: { cpu: 1, memory: Size.gibibytes(1) }, requests: { cpu: 0.25, memory: Size.mebibytes(256) } }
      : undefined,
    logging,
  });

  const api = new WebApp(stack, 'api', {
    image: API_IMAGE,
    build: { context: HERE, target: 'runner' },
    containerName: 'taas-api',
    port: 4000,
    // A free host port, so that several checkouts never clash (`docker compose port api 4000`).
    hostPort: 0,
    env: {
      NODE_ENV: 'production',
      PORT: '4000',
      STORE_BACKEND: 'postgres',
      ROOT_API_KEY: Secret.fromEnv('ROOT_API_KEY', { description: 'Root API key of the TAAS API (also the bearer token of /metrics)' }),
      RATE_LIMIT_ENABLED: 'true',
      RATE_LIMIT_WINDOW_MS: '60000',
      RATE_LIMIT_MAX_REQUESTS: '1000',
      ...onchainEnv(options),
    },
    // node:20-alpine has BusyBox wget and no curl. /health answers while the process runs;
    // /ready also needs the database, so it gates traffic without restarting the API when
    // Postgres is down. /ready is the readinessProbe and Compose's one healthcheck (what
    // dependents wait for on both targets); /health is the livenessProbe, on Kubernetes only.
    healthCheck: HealthCheck.http('/health', { probeTool: ProbeTool.WGET, ...(prod ? { interval: Duration.seconds(30) } : {}) }),
    readinessCheck: HealthCheck.http('/ready', { probeTool: ProbeTool.WGET }),
    // The image's `node` user; the process writes nothing outside /tmp.
    security: { user: 1000, group: 1000, dropCapabilities: ['ALL'], readOnlyRootFilesystem: true },
    mounts: [Mount.tmpfs('/tmp', { size: Size.mebibytes(64) })],
    resources: prod
      ? { limits: { cpu: 0.5, memory: Size.mebibytes(512) }, requests: { cpu: 0.25, memory: Size.mebibytes(256) } }
      : undefined,
    logging,
  });
  api.connect(db, { env: 'DATABASE_URL' });

  new StaticSite(stack, 'admin', {
    image: ADMIN_IMAGE,
    build: { context: path.join(HERE, 'admin-console') },
    containerName: 'taas-admin',
    hostPort: 8080,
    nginxConfig: ConfigFile.fromFile(path.join(__dirname, 'admin-console/nginx.conf')),
    healthCheck: HealthCheck.http('/health', { probeTool: ProbeTool.WGET }),
    after: [api],
    // The stock nginx image starts its master as root to bind port 80 and switch the workers
    // to `nginx`: these four capabilities are all it needs. It writes only its temporary
    // folders and its pid file (/var/run is a link to /run).
    security: {
      dropCapabilities: ['ALL'],
      addCapabilities: ['CHOWN', 'SETGID', 'SETUID', 'NET_BIND_SERVICE'],
      readOnlyRootFilesystem: true,
    },
    mounts: [Mount.tmpfs('/var/cache/nginx', { size: Size.mebibytes(32) }), Mount.tmpfs('/run', { size: Size.mebibytes(1) })],
    resources: prod
      ? { limits: { cpu: 0.25, memory: Size.mebibytes(128) }, requests: { cpu: 0.05, memory: Size.mebibytes(32) } }
      : undefined,
    logging,
  });

  return stack;
}

function onchainEnv(options: EscrowgridOptions): Record<string, EnvValue> {
  if (!options.onchainLedger) return { ONCHAIN_LEDGER_ENABLED: 'false' };
  return {
    ONCHAIN_LEDGER_ENABLED: 'true',
    // Provider URLs (Infura, Alchemy) carry an API key in their path.
    ONCHAIN_RPC_URL: Secret.fromEnv('ONCHAIN_RPC_URL', { description: 'RPC endpoint of the Ethereum-compatible network' }),
    ONCHAIN_PRIVATE_KEY: Secret.fromEnv('ONCHAIN_PRIVATE_KEY', { description: 'Private key of the wallet that signs ledger transactions' }),
    ONCHAIN_CONTRACT_ADDRESS: options.onchainLedger.contractAddress,
  };
}

if (require.main === module) {
  const app = new App();
  defineEscrowgrid(app, 'dev');
  defineEscrowgrid(app, 'prod');
  app.synth();
}
