import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import {
  AgentHostPaths,
  AgentService,
  App,
  DbAdmin,
  HealthCheck,
  MailCatcher,
  PostgresService,
  ProbeTool,
  RedisService,
  Secret,
  Stack,
  SynthesizedStack,
  Testing,
  WebApp,
} from '../../lib';
import { checkStackOutput } from '../support/real-tools';
import { manifest } from '../support/manifests';

function podSpec(out: SynthesizedStack, name: string): any {
  return manifest(out, 'Deployment', name).spec.template.spec;
}

/** A stack that renders the dev profile on Kubernetes too. */
function devStack() {
  return new Stack(Testing.app(), 'p88', { environment: 'dev', profiles: ['dev'] });
}

const PASSWORD = Secret.fromEnv('PGADMIN_DEFAULT_PASSWORD');

describe('MailCatcher', () => {
  it('renders Mailhog in the dev profile, hardened, with a TCP check of its SMTP port on Compose', () => {
    const stack = devStack();
    new MailCatcher(stack, 'mailhog', { uiHostPort: 8025 });

    const out = Testing.synth(stack);

    expect(out.compose!.services.mailhog).toEqual({
      image: 'mailhog/mailhog:v1.0.1',
      profiles: ['dev'],
      expose: ['1025', '8025'],
      ports: ['8025:8025'],
      healthcheck: { test: ['CMD', 'nc', '-z', '127.0.0.1', '1025'], interval: '10s', timeout: '3s', retries: 5 },
      restart: 'unless-stopped',
      user: '1000:1000',
      read_only: true,
      cap_drop: ['ALL'],
      security_opt: ['no-new-privileges:true'],
    });
  });

  it('renders a Deployment and a Service with the smtp and http ports when the stack enables its profile', () => {
    const stack = devStack();
    new MailCatcher(stack, 'mailhog');

    const out = Testing.synth(stack);

    const container = podSpec(out, 'mailhog').containers[0];
    expect(container.ports).toEqual([
      { name: 'smtp', containerPort: 1025, protocol: 'TCP' },
      { name: 'http', containerPort: 8025, protocol: 'TCP' },
    ]);
    expect(container.readinessProbe).toEqual({ tcpSocket: { port: 1025 }, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 5 });
    expect(container.securityContext).toEqual({
      runAsUser: 1000,
      runAsGroup: 1000,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(podSpec(out, 'mailhog').securityContext).toEqual({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(manifest(out, 'Service', 'mailhog').spec.ports).toEqual([
      { name: 'smtp', port: 1025, targetPort: 'smtp', protocol: 'TCP' },
      { name: 'http', port: 8025, targetPort: 'http', protocol: 'TCP' },
    ]);
  });

  it('is left out on Kubernetes by a stack that does not enable the dev profile', () => {
    const stack = new Stack(Testing.app(), 'p88', { environment: 'prod' });
    new MailCatcher(stack, 'mailhog');

    const out = Testing.synth(stack);

    expect(out.compose!.services.mailhog.profiles).toEqual(['dev']);
    expect(out.manifests).toEqual([]);
    expect(out.messages).toContainEqual({
      level: 'info',
      path: 'p88/mailhog',
      message: 'left out on Kubernetes: its profiles (dev) are not enabled in this stack; kubectl apply -k k8s-profiles/dev deploys the stack with it',
    });
  });

  it('starts always with an empty profile list', () => {
    const stack = devStack();
    new MailCatcher(stack, 'mailhog', { profiles: [] });

    const out = Testing.synth(stack);

    expect(out.compose!.services.mailhog.profiles).toBeUndefined();
  });

  it('gives a consumer SMTP_HOST and SMTP_PORT, or an smtp:// URL in the named variable', () => {
    const stack = devStack();
    const mail = new MailCatcher(stack, 'mailhog', { profiles: [] });
    new WebApp(stack, 'web', { image: 'registry.gitlab.com/p88/app:1.0.0', port: 8000 }).connect(mail);
    new WebApp(stack, 'worker', { image: 'registry.gitlab.com/p88/app:1.0.0', port: 8001 }).connect(mail, { env: 'MAIL_URL' });

    const out = Testing.synth(stack);

    expect(out.compose!.services.web.environment).toEqual({ SMTP_HOST: 'mailhog', SMTP_PORT: '1025' });
    expect(out.compose!.services.worker.environment).toEqual({ MAIL_URL: 'smtp://mailhog:1025' });
    expect(out.compose!.services.web.depends_on).toEqual({ mailhog: { condition: 'service_healthy' } });
    expect(podSpec(out, 'web').initContainers[0].command[2]).toMatch(/^until nc -z -w 2 mailhog 1025;/);
  });

  it('runs another catcher image with the health check and hardening given for it', () => {
    const stack = devStack();
    new MailCatcher(stack, 'mailpit', {
      image: 'axllent/mailpit:v1.20',
      healthCheck: HealthCheck.http('/livez', { port: 8025, probeTool: ProbeTool.WGET }),
      security: { readOnlyRootFilesystem: true },
    });

    const out = Testing.synth(stack);

    expect(out.compose!.services.mailpit).toMatchObject({
      image: 'axllent/mailpit:v1.20',
      healthcheck: { test: ['CMD', 'wget', '-q', '--spider', 'http://localhost:8025/livez'] },
      read_only: true,
    });
    expect(out.compose!.services.mailpit.user).toBeUndefined();
  });

  it('fails when a host port is not a port number', () => {
    const stack = devStack();
    new MailCatcher(stack, 'mailhog', { uiHostPort: 80250 });

    expect(() => Testing.synth(stack)).toThrow(/\[p88\/mailhog\] host port 80250 for container port 8025 is not a port number/);
  });

  it('fails when a profile is not a Compose profile name', () => {
    const stack = devStack();
    new MailCatcher(stack, 'mailhog', { profiles: ['dev tools'] });

    expect(() => Testing.synth(stack)).toThrow(/\[p88\/mailhog\] profile "dev tools" is not a Compose profile name/);
  });
});

describe('DbAdmin', () => {
  function withDatabase(stack: Stack) {
    return new PostgresService(stack, 'db', { version: '16-alpine', database: 'p88', user: 'p88', password: Secret.fromEnv('POSTGRES_PASSWORD') });
  }

  it('renders pgAdmin in the dev profile with its login from the environment and the database registered', () => {
    const stack = devStack();
    const db = withDatabase(stack);
    new DbAdmin(stack, 'pgadmin', { password: PASSWORD, servers: [db], hostPort: 5050 });

    const out = Testing.synth(stack);

    expect(out.compose!.services.pgadmin).toEqual({
      image: 'dpage/pgadmin4:9.5',
      profiles: ['dev'],
      environment: {
        PGADMIN_DEFAULT_EMAIL: 'admin@example.com',
        PGADMIN_DEFAULT_PASSWORD: '${PGADMIN_DEFAULT_PASSWORD:?set PGADMIN_DEFAULT_PASSWORD in .env (see .env.example)}',
        PGADMIN_LISTEN_PORT: '80',
        PGADMIN_DISABLE_POSTFIX: 'true',
      },
      expose: ['80'],
      ports: ['5050:80'],
      volumes: ['./config/pgadmin-servers-json/servers.json:/pgadmin4/servers.json:ro'],
      healthcheck: {
        test: ['CMD', 'wget', '-q', '--spider', 'http://localhost:80/misc/ping'],
        interval: '10s',
        timeout: '5s',
        retries: 5,
        start_period: '1m',
      },
      depends_on: { db: { condition: 'service_healthy' } },
      restart: 'unless-stopped',
      user: '5050:0',
      cap_drop: ['ALL'],
      cap_add: ['NET_BIND_SERVICE'],
      security_opt: ['no-new-privileges:true'],
    });
    expect(out.files['.env.example']).toMatch(/^PGADMIN_DEFAULT_PASSWORD=$/m);
    // The bind mount's source is the file synth writes next to the Compose file, not a Compose config.
    expect(out.files['config/pgadmin-servers-json/servers.json']).toBeDefined();
    expect(out.compose).not.toHaveProperty('configs');
  });

  it('writes servers.json with the host, port, user and database a connected app gets', () => {
    const stack = devStack();
    const db = withDatabase(stack);
    const analytics = new PostgresService(stack, 'analytics-db', { password: Secret.fromEnv('ANALYTICS_PASSWORD') });
    new DbAdmin(stack, 'pgadmin', { password: PASSWORD, servers: [db, analytics] });

    const out = Testing.synth(stack);

    expect(JSON.parse(out.files['config/pgadmin-servers-json/servers.json'])).toEqual({
      Servers: {
        1: { Name: 'db', Group: 'Servers', Host: 'db', Port: 5432, MaintenanceDB: 'p88', Username: 'p88' },
        2: { Name: 'analytics-db', Group: 'Servers', Host: 'analytics-db', Port: 5432, MaintenanceDB: 'app', Username: 'app' },
      },
    });
    expect(out.files['config/pgadmin-servers-json/servers.json']).not.toMatch(/Password|POSTGRES_PASSWORD/);
    expect(out.compose!.services.pgadmin.depends_on).toEqual({
      db: { condition: 'service_healthy' },
      'analytics-db': { condition: 'service_healthy' },
    });
  });

  it('mounts servers.json from a ConfigMap and waits for each database on Kubernetes', () => {
    const stack = devStack();
    const db = withDatabase(stack);
    new DbAdmin(stack, 'pgadmin', { password: PASSWORD, servers: [db] });

    const out = Testing.synth(stack);

    const spec = podSpec(out, 'pgadmin');
    const configMap = out.manifests.find((m) => m.kind === 'ConfigMap') as any;
    expect(configMap.metadata.name).toMatch(/^pgadmin-servers-json-[0-9a-f]{10}$/);
    expect(JSON.parse(configMap.data['servers.json']).Servers['1'].Host).toBe('db');
    expect(spec.volumes).toEqual([
      { name: 'pgadmin-servers-json', configMap: { name: configMap.metadata.name, items: [{ key: 'servers.json', path: 'servers.json' }] } },
    ]);
    expect(spec.containers[0].volumeMounts).toEqual([
      { name: 'pgadmin-servers-json', mountPath: '/pgadmin4/servers.json', subPath: 'servers.json', readOnly: true },
    ]);
    expect(spec.initContainers.map((c: any) => c.name)).toEqual(['wait-for-db']);
    expect(spec.containers[0].env).toContainEqual({
      name: 'PGADMIN_DEFAULT_PASSWORD',
      valueFrom: { secretKeyRef: { name: 'p88-secrets', key: 'PGADMIN_DEFAULT_PASSWORD' } },
    });
    // Ready once pgAdmin answers; nothing restarts it when it does not, as on Compose.
    expect(spec.containers[0].readinessProbe.httpGet).toEqual({ path: '/misc/ping', port: 80 });
    expect(spec.containers[0].startupProbe).toBeUndefined();
    expect(spec.containers[0].securityContext).toEqual({
      runAsUser: 5050,
      runAsGroup: 0,
      allowPrivilegeEscalation: false,
      capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] },
    });
    expect(spec.securityContext.runAsNonRoot).toBe(true);
  });

  it('mounts no servers.json without servers', () => {
    const stack = devStack();
    new DbAdmin(stack, 'pgadmin', { password: PASSWORD });

    const out = Testing.synth(stack);

    expect(out.compose!.services.pgadmin.volumes).toBeUndefined();
    expect(Object.keys(out.files).filter((f) => f.startsWith('config/'))).toEqual([]);
    expect(out.compose!.services.pgadmin.depends_on).toBeUndefined();
    expect(out.manifests.filter((m) => m.kind === 'ConfigMap')).toEqual([]);
  });

  it('listens on another port, probes it, and takes its login email from a secret', () => {
    const stack = devStack();
    new DbAdmin(stack, 'pgadmin', { password: PASSWORD, email: Secret.fromEnv('PGADMIN_DEFAULT_EMAIL'), port: 5050, version: '9.4' });

    const out = Testing.synth(stack);

    expect(out.compose!.services.pgadmin).toMatchObject({
      image: 'dpage/pgadmin4:9.4',
      environment: {
        PGADMIN_DEFAULT_EMAIL: '${PGADMIN_DEFAULT_EMAIL:?set PGADMIN_DEFAULT_EMAIL in .env (see .env.example)}',
        PGADMIN_LISTEN_PORT: '5050',
      },
      expose: ['5050'],
      healthcheck: { test: ['CMD', 'wget', '-q', '--spider', 'http://localhost:5050/misc/ping'] },
    });
  });

  it('gives a consumer its URL', () => {
    const stack = devStack();
    const admin = new DbAdmin(stack, 'pgadmin', { password: PASSWORD, profiles: [] });
    new WebApp(stack, 'web', { image: 'registry.gitlab.com/p88/app:1.0.0', port: 8000 }).connect(admin, { env: 'PGADMIN_URL' });

    const out = Testing.synth(stack);

    expect(out.compose!.services.web.environment).toEqual({ PGADMIN_URL: 'http://pgadmin:80' });
  });

  it('fails when the password is a literal string', () => {
    const stack = devStack();
    new DbAdmin(stack, 'pgadmin', { password: 'admin' as never });

    expect(() => Testing.synth(stack)).toThrow(/\[p88\/pgadmin\] password must be a Secret, got a literal string; use Secret\.fromEnv\('PGADMIN_DEFAULT_PASSWORD'\)/);
  });

  it('fails without a password', () => {
    const stack = devStack();
    new DbAdmin(stack, 'pgadmin', {} as never);

    expect(() => Testing.synth(stack)).toThrow(/\[p88\/pgadmin\] password must be a Secret, got undefined/);
  });

  it('fails when the email is not an email address', () => {
    const stack = devStack();
    new DbAdmin(stack, 'pgadmin', { password: PASSWORD, email: 'admin' });

    expect(() => Testing.synth(stack)).toThrow(/\[p88\/pgadmin\] email "admin" is not an email address; pgAdmin's login needs one, e\.g\. 'admin@example\.com'/);
  });

  it('fails when the email has a special-use domain pgAdmin refuses', () => {
    const stack = devStack();
    new DbAdmin(stack, 'pgadmin', { password: PASSWORD, email: 'admin@p88.local' });

    expect(() => Testing.synth(stack)).toThrow(/\[p88\/pgadmin\] email "admin@p88\.local" has a special-use domain, which pgAdmin refuses at start/);
  });

  it('fails when a server is not a Postgres service', () => {
    const stack = devStack();
    const redis = new RedisService(stack, 'redis');
    new DbAdmin(stack, 'pgadmin', { password: PASSWORD, servers: [redis as never] });

    expect(() => Testing.synth(stack)).toThrow(/\[p88\/pgadmin\] servers must hold PostgresService constructs, got RedisService p88\/redis/);
  });

  it('fails when a server belongs to another stack', () => {
    const app = Testing.app();
    const shared = new Stack(app, 'shared');
    const db = new PostgresService(shared, 'db', { password: Secret.fromEnv('POSTGRES_PASSWORD') });
    const stack = new Stack(app, 'p88', { profiles: ['dev'] });
    new DbAdmin(stack, 'pgadmin', { password: PASSWORD, servers: [db] });

    expect(() => Testing.synth(stack)).toThrow(/\[p88\/pgadmin\] registers server "db", which is shared\/db of stack shared, not of stack p88/);
  });

  it('fails when a Kubernetes-rendered service waits for it while the stack leaves its profile out', () => {
    const stack = new Stack(Testing.app(), 'p88');
    const admin = new DbAdmin(stack, 'pgadmin', { password: PASSWORD });
    new WebApp(stack, 'web', { image: 'registry.gitlab.com/p88/app:1.0.0', port: 8000, after: [admin] });

    expect(() => Testing.synth(stack)).toThrow(/\[p88\/web\] waits for pgadmin, which is in profile dev and left out on Kubernetes by this stack/);
  });
});

describe('AgentService, MailCatcher and DbAdmin together', () => {
  function define(app: App, environment: 'dev' | 'prod') {
    const stack = new Stack(app, `p88-${environment}`, { environment, profiles: environment === 'dev' ? ['dev'] : [] });
    const db = new PostgresService(stack, 'db', { password: Secret.fromEnv('POSTGRES_PASSWORD') });
    new AgentService(stack, 'grafana-agent', {
      image: 'grafana/agent:v0.40.5',
      command: ['-config.file=/etc/agent/agent.yaml'],
      ports: [{ port: 12345, name: 'http' }],
      healthCheck: HealthCheck.http('/-/ready', { probeTool: ProbeTool.WGET }),
      env: { GRAFANA_CLOUD_API_KEY: Secret.fromEnv('GRAFANA_CLOUD_API_KEY') },
      hostPaths: [AgentHostPaths.dockerSocket(), AgentHostPaths.dockerContainerLogs(), AgentHostPaths.podLogs()],
    });
    new MailCatcher(stack, 'mailhog', { uiHostPort: 8025 });
    new DbAdmin(stack, 'pgadmin', { password: Secret.fromEnv('PGADMIN_DEFAULT_PASSWORD'), servers: [db], hostPort: 5050 });
  }

  let outdir: string;

  beforeAll(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdkc-agent-dev-tools-'));
    const app = new App({ outdir, printSummary: false });
    define(app, 'dev');
    define(app, 'prod');
    app.synth();
  });

  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  it('passes the real tools for the dev stack, which renders the dev tools on Kubernetes too', () => {
    const stackDir = path.join(outdir, 'p88-dev');
    expect(() => checkStackOutput(stackDir)).not.toThrow();
    expect(fs.readdirSync(path.join(stackDir, 'k8s')).sort()).toEqual([
      'configmap-pgadmin-servers-json.yaml',
      'daemonset-grafana-agent.yaml',
      'deployment-mailhog.yaml',
      'deployment-pgadmin.yaml',
      'kustomization.yaml',
      'networkpolicy-db-ingress.yaml',
      'networkpolicy-p88-dev-default-deny-ingress.yaml',
      'service-db.yaml',
      'service-grafana-agent.yaml',
      'service-mailhog.yaml',
      'service-pgadmin.yaml',
      'statefulset-db.yaml',
    ]);
    expect(fs.readFileSync(path.join(stackDir, 'config', 'pgadmin-servers-json', 'servers.json'), 'utf8')).toContain('"Host": "db"');
  });

  it('passes the real tools for the prod stack, which leaves the dev tools to Compose profiles', () => {
    const stackDir = path.join(outdir, 'p88-prod');
    expect(() => checkStackOutput(stackDir)).not.toThrow();
    const k8s = fs.readdirSync(path.join(stackDir, 'k8s'));
    expect(k8s.filter((f) => /mailhog|pgadmin/.test(f))).toEqual([]);
    const compose = parse(fs.readFileSync(path.join(stackDir, 'compose.yaml'), 'utf8'));
    expect(compose.services.mailhog.profiles).toEqual(['dev']);
    expect(compose.services.pgadmin.profiles).toEqual(['dev']);
    expect(compose.services['grafana-agent'].volumes).toEqual([
      '/var/run/docker.sock:/var/run/docker.sock:ro',
      '/var/lib/docker/containers:/var/lib/docker/containers:ro',
    ]);
  });
});
