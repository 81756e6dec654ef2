// Project 88 (shared/seeds/003): a FastAPI web service and a Celery worker on one image, with
// Postgres, Redis, a single-node OpenSearch, Traefik in front, grafana-agent shipping logs,
// metrics and traces, and Mailhog and pgAdmin for development. In your own project, import
// from 'cdk-compose' instead of '../../lib'.
import * as path from 'path';
import {
  AgentHostPaths,
  AgentService,
  App,
  ConfigFile,
  DbAdmin,
  Duration,
  EnvFile,
  Hardening,
  HealthCheck,
  Logging,
  MailCatcher,
  Mount,
  OpenSearchService,
  Parameter,
  PostgresService,
  ProbeTool,
  RedisPersistence,
  RedisService,
  Secret,
  SecurityOptions,
  Size,
  Stack,
  TraefikProxy,
  Volume,
  WebApp,
  Worker,
} from '../../lib';

/** The environments this app describes: the seed's `$ENVIRONMENT`. */
export type Project88Environment = 'dev' | 'prod';

/** The release deployed: the seed's `${IMAGE_TAG}` (a placeholder for the tag you deploy). */
export const APP_IMAGE_TAG = '1.4.0';

/**
 * Image tags, and the digests production pins them to ("all images pinned by digest in
 * prod.env"). THE DIGESTS ARE PLACEHOLDERS: replace each with the registry's digest of the tag
 * (`docker buildx imagetools inspect <image>:<tag>`) before deploying.
 */
export const IMAGES = {
  app: { tag: APP_IMAGE_TAG, digest: 'sha256:d4e9ce6fc9f0258d4bb0f2e8d661ff29f6db8847fcb92c973f7a7423921e40fe' },
  postgres: { tag: '16-alpine', digest: 'sha256:59f41ad7943f7cf6733626781f94d2a6b1d8d4fa6f03c03d793290ef8df43e40' },
  redis: { tag: '7-alpine', digest: 'sha256:acffc902cd8302e525129bd37d42b489ca1e8bb75972e2164a12ccce59ada0aa' },
  opensearch: { tag: '2.17.1', digest: 'sha256:5af072d2f434680cb3db8e6037fe71610aa46397c3bcb510a7952c7d3de995d6' },
  traefik: { tag: 'v3.0', digest: 'sha256:830f570c718f36d818088b90074dbf98b27378afffcf1c694bcd701563082994' },
  grafanaAgent: { tag: 'v0.40.5', digest: 'sha256:4ed4e25cc9be72c8004a92afacdb5ee024666e823cc1d0da90a452656917f9b0' },
} as const;

/** Where Grafana Cloud receives the telemetry (the stack's tenant; not secret). */
const GRAFANA_CLOUD = {
  GRAFANA_CLOUD_PROMETHEUS_URL: 'https://prometheus-prod-24-prod-eu-west-2.grafana.net/api/prom/push',
  GRAFANA_CLOUD_PROMETHEUS_USER: '1402837',
  GRAFANA_CLOUD_LOKI_URL: 'https://logs-prod-012.grafana.net/loki/api/v1/push',
  GRAFANA_CLOUD_LOKI_USER: '842915',
  GRAFANA_CLOUD_TEMPO_ENDPOINT: 'tempo-prod-10-prod-eu-west-2.grafana.net:443',
  GRAFANA_CLOUD_TEMPO_USER: '838012',
};

export function defineProject88(app: App, environment: Project88Environment): Stack {
  const dev = environment === 'dev';
  // Dev-only tools are in the 'dev' profile, off unless asked for on both targets:
  // `docker compose --profile dev up`, `kubectl apply -k k8s-profiles/dev`.
  const stack = new Stack(app, `p88-${environment}`, { environment });

  // The seed's $ENVIRONMENT, which Ansible injects: this stack's environment unless the deploy
  // sets another (`ENVIRONMENT=prod docker compose up` reads the production env file).
  const chosenEnvironment = new Parameter(stack, 'ENVIRONMENT', {
    default: environment,
    description: 'The environment: which env/<environment>/web.env web and worker read, and the env label of the telemetry',
  });

  // Where the engine's socket is differs between hosts (rootless Docker keeps it under
  // $XDG_RUNTIME_DIR): the deploy chooses it for the agent and Traefik.
  const dockerSocket = new Parameter(stack, 'DOCKER_SOCKET', {
    default: '/var/run/docker.sock',
    description: "The Docker engine's socket on the host, which the agent reads container logs and Traefik container labels through",
  }).valueAsString;

  /** The tag, pinned to its digest in production. */
  const version = (image: { tag: string; digest: string }) => (dev ? image.tag : `${image.tag}@${image.digest}`);
  // "Docker daemon rotates at 100 MB, 3 files" for every container.
  const logging = Logging.jsonFile({ maxSize: Size.mebibytes(100), maxFiles: 3 });
  // Hardening of the custom image (web, worker): non-root, read-only root, no capabilities.
  const appSecurity: SecurityOptions = { user: 1000, group: 1000, readOnlyRootFilesystem: true, dropCapabilities: ['ALL'] };

  const db = new PostgresService(stack, 'db', {
    version: version(IMAGES.postgres),
    database: 'p88',
    user: 'p88',
    password: Secret.fromEnv('POSTGRES_PASSWORD', { description: 'Password of the Postgres user p88' }),
    // "PG data uses a tmpfs in dev to avoid accumulating test junk"; the volume elsewhere.
    ephemeral: dev,
    // The seed's volume name, so that the data of its Compose project is the data here.
    mounts: dev ? [] : [Mount.volume(new Volume(stack, 'db_data', { size: Size.gibibytes(20) }), '/var/lib/postgresql/data')],
    // "cap_drop: [ALL] except db/search": the image starts as root with its capabilities, as upstream.
    startAsRoot: true,
    logging,
  });

  // "No persistence; can lose cache." The image's entrypoint switches to its redis user with
  // su-exec, which needs SETUID and SETGID; started as that user (999, group 1000 in the
  // Alpine image) it needs no capability at all.
  const redis = new RedisService(stack, 'redis', {
    version: version(IMAGES.redis),
    persistence: RedisPersistence.none(),
    security: { user: 999, group: 1000, dropCapabilities: ['ALL'] },
    logging,
  });

  // "Single node; memory-lock disabled"; the security plugin is off: "inter-container
  // traffic is not TLS-encrypted (trusted network)". Upstream defaults: no capabilities dropped.
  const search = new OpenSearchService(stack, 'search', {
    version: version(IMAGES.opensearch),
    mounts: [Mount.volume(new Volume(stack, 'search_data', { size: Size.gibibytes(10) }), '/usr/share/opensearch/data')],
    security: { dropCapabilities: [] },
    logging,
  });
  Hardening.of(search).acknowledge('CKC-CAPABILITIES', 'the seed keeps the upstream default capabilities for search ("cap_drop: [ALL] except db/search")');

  const agent = new AgentService(stack, 'grafana-agent', {
    image: `grafana/agent:${version(IMAGES.grafanaAgent)}`,
    command: [
      '-config.file=/etc/agent/agent.yaml',
      '-config.expand-env',
      '-server.http.address=0.0.0.0:12345',
      '-metrics.wal-directory=/etc/agent/data',
    ],
    ports: [
      { port: 12345, name: 'http' },
      { port: 4317, name: 'otlp-grpc' },
      { port: 4318, name: 'otlp-http' },
    ],
    // The image has neither curl nor wget; bash (Ubuntu) can speak HTTP through /dev/tcp.
    healthCheck: HealthCheck.http('/-/ready', {
      port: 12345,
      probeTool: ProbeTool.command([
        'bash',
        '-c',
        "exec 3<>/dev/tcp/127.0.0.1/{port} && printf 'GET /-/ready HTTP/1.0\\r\\n\\r\\n' >&3 && grep -q '^HTTP/1.[01] 200' <&3",
      ]),
    }),
    env: {
      ENVIRONMENT: chosenEnvironment.valueAsString,
      COMPOSE_PROJECT: stack.stackName,
      ...GRAFANA_CLOUD,
      GRAFANA_CLOUD_API_KEY: Secret.fromEnv('GRAFANA_CLOUD_API_KEY', { description: 'Grafana Cloud access policy token (logs, metrics, traces write)' }),
    },
    mounts: [
      Mount.config(ConfigFile.fromFile(path.join(__dirname, 'agent.yaml')), '/etc/agent/agent.yaml'),
      // The Docker socket, Compose only as AgentHostPaths.dockerSocket(), from where the deploy says.
      Mount.bind(dockerSocket, '/var/run/docker.sock', { readOnly: true, onKubernetes: 'leave-out' }),
    ],
    hostPaths: [
      AgentHostPaths.podLogs(),
      { path: '/proc', target: '/host/proc' },
      { path: '/sys', target: '/host/sys' },
    ],
    // The image gives /bin/grafana-agent NET_BIND_SERVICE as a file capability, and the kernel
    // refuses to exec it when that capability is outside the bounding set: drop all but it.
    security: { dropCapabilities: ['ALL'], addCapabilities: ['NET_BIND_SERVICE'] },
    logging,
  });
  Hardening.of(agent).acknowledge('CKC-USER', 'the agent reads the Docker socket and the node\'s pod logs, which belong to root');
  Hardening.of(agent).acknowledge('CKC-HOST-PATH', "the agent collects the node's pod logs and /proc and /sys metrics: deploy it to a namespace labelled privileged");
  // Metrics of the database through the connection the app uses; the agent does not wait for it.
  agent.connect(db, { env: 'POSTGRES_DSN', waitFor: 'none' });

  /** What web and worker share: image, env files, secrets, wiring, hardening. */
  // The seed's `${IMAGE_REPO}:${IMAGE_TAG}`: the release is chosen at deploy time (`kustomize edit
  // set image` on Kubernetes); production's default tag carries the digest it is pinned to.
  const imageRepo = new Parameter(stack, 'IMAGE_REPO', { default: 'registry.gitlab.com/p88/app', description: 'Repository of the web and worker image' });
  const imageTag = new Parameter(stack, 'IMAGE_TAG', { default: version(IMAGES.app), description: 'Tag of the web and worker image (production: tag@digest)' });
  const appImage = `${imageRepo}:${imageTag}`;
  const appEnv = (service: string) => ({
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://${agent.workloadName}:4318`,
    OTEL_SERVICE_NAME: `p88-${service}`,
    APP_SECRET_KEY: Secret.fromEnv('APP_SECRET_KEY', { description: 'Key that signs sessions and tokens of the app' }),
    ...(dev ? {} : { SMTP_PASSWORD: Secret.fromEnv('SMTP_PASSWORD', { description: 'Password of the SMTP relay user' }) }),
  });
  // The seed's `env_file: env/${ENVIRONMENT}/web.env`, chosen at deploy time.
  const envFiles = [
    EnvFile.fromFile(path.join(__dirname, 'env', 'base.env')),
    EnvFile.chosenBy(chosenEnvironment, {
      dev: EnvFile.fromFile(path.join(__dirname, 'env', 'dev', 'web.env')),
      prod: EnvFile.fromFile(path.join(__dirname, 'env', 'prod', 'web.env')),
    }),
  ];
  const wire = (workload: WebApp | Worker) =>
    workload
      .connect(db, { env: 'DATABASE_URL' })
      // The seed's depends_on: "redis: {condition: service_started}".
      .connect(redis, { env: 'CELERY_BROKER_URL', database: 0, waitFor: 'started' })
      .connect(redis, { env: 'CACHE_URL', database: 1, waitFor: 'started' })
      // Not in the seed's depends_on: the index can be rebuilt, the app starts without it.
      .connect(search, { env: 'OPENSEARCH_URL', waitFor: 'none' });

  const web = wire(
    new WebApp(stack, 'web', {
      image: appImage,
      command: [
        'uvicorn', 'p88.main:app', '--host', '0.0.0.0', '--port', '8000',
        // Behind Traefik: trust its X-Forwarded-* headers.
        '--proxy-headers', '--forwarded-allow-ips', '*',
        ...(dev ? ['--reload'] : []),
      ],
      port: 8000,
      // The seed's ${WEB_REPLICAS:-1}, chosen at deploy time; production defaults to two.
      replicas: new Parameter(stack, 'WEB_REPLICAS', { default: dev ? '1' : '2', description: 'How many web containers run' }).valueAsNumber,
      healthCheck: HealthCheck.http('/health', { interval: Duration.seconds(10), timeout: Duration.seconds(3), retries: 5 }),
      resources: { limits: { cpu: 0.5, memory: Size.mebibytes(512) } },
      envFiles,
      env: appEnv('web'),
      security: appSecurity,
      // "read_only: true ... except /tmp"; in dev the code is mounted for live reload.
      mounts: [Mount.tmpfs('/tmp'), ...(dev ? [Mount.bind(path.join(__dirname, 'src'), '/app/src', { readOnly: true })] : [])],
      logging,
    }),
  );

  wire(
    new Worker(stack, 'worker', {
      image: appImage,
      command: ['celery', '-A', 'p88.worker', 'worker', '--loglevel=INFO'],
      // "celery ping (exec)": answered through the broker by the worker's own process.
      healthCheck: HealthCheck.command(['celery', '-A', 'p88.worker', 'inspect', 'ping', '--timeout', '5'], {
        interval: Duration.seconds(30),
        timeout: Duration.seconds(10),
        retries: 3,
        startPeriod: Duration.seconds(30),
      }),
      envFiles,
      env: appEnv('worker'),
      security: appSecurity,
      mounts: [Mount.tmpfs('/tmp')],
      logging,
    }),
  );

  // "traefik (optional)": in the 'proxy' profile (`docker compose --profile proxy up`). On
  // Kubernetes the cluster's ingress controller serves web's Ingress instead.
  new TraefikProxy(stack, 'traefik', {
    version: version(IMAGES.traefik),
    profiles: ['proxy'],
    dockerSocket,
    // Let's Encrypt cannot issue for p88.localhost: dev gets Traefik's self-signed certificate.
    letsEncrypt: dev ? undefined : { email: 'devops@p88.example.com' },
    security: { dropCapabilities: ['ALL'], addCapabilities: ['NET_BIND_SERVICE'] },
    logging,
  }).route(web, {
    host: dev ? 'p88.localhost' : 'p88.example.com',
    tls: true,
    // Kept by cert-manager on the cluster.
    tlsSecretName: dev ? 'p88-localhost-tls' : 'p88-example-com-tls',
  });

  if (dev) {
    // "Dev-only additions: Mailhog on port 8025, pgAdmin for DB UI" (both in the 'dev' profile).
    new MailCatcher(stack, 'mailhog', { uiHostPort: 8025, logging });
    new DbAdmin(stack, 'pgadmin', {
      password: Secret.fromEnv('PGADMIN_DEFAULT_PASSWORD', { description: 'Password of the pgAdmin login admin@p88.example.com' }),
      email: 'admin@p88.example.com',
      servers: [db],
      hostPort: 5050,
      logging,
    });
  }

  return stack;
}

if (require.main === module) {
  const app = new App();
  defineProject88(app, 'dev');
  defineProject88(app, 'prod');
  app.synth();
}
