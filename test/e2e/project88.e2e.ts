import * as fs from 'fs';
import * as path from 'path';
import { defineProject88, IMAGES, Project88Environment } from '../../examples/project88/app';
import { attempt, run } from './harness/commands';
import { EngineEvent, firstEvent, serviceOf, waitFor } from './harness/compose-project';
import { askTcp } from './harness/host-ports';
import { bootForSuite, describeOnEngine } from './harness/session';

const REPO = path.resolve(__dirname, '..', '..');
// Spliced into DATABASE_URL and POSTGRES_DSN unencoded: no URL-special characters.
const POSTGRES_PASSWORD = 'e2e_p88_pw_4c1d';
const SERVICES = ['db', 'redis', 'search', 'grafana-agent', 'web', 'worker'];

/** `docker exec` in one container (one replica of a service); throws if the command fails. */
const execIn = (containerId: string, command: readonly string[]) => run('docker', ['exec', containerId, ...command]);
/** The same, with whatever exit status the command has. */
const tryIn = (containerId: string, command: readonly string[]) => attempt('docker', ['exec', containerId, ...command]);
/** What `docker inspect` says of a container's mounts. */
const mountsOf = (containerId: string) =>
  JSON.parse(run('docker', ['inspect', '--format', '{{json .Mounts}}', containerId])) as Array<{ Type: string; Source: string; Destination: string; Name?: string }>;

for (const environment of ['dev', 'prod'] as Project88Environment[]) {
  const dev = environment === 'dev';
  const projectName = `p88-${environment}`;

  describeOnEngine(`the Project 88 example (${environment}) on a real engine`, (engine) => {
    const dockerSocket = engine.host.replace(/^unix:\/\//, '');
    const stack = bootForSuite(
      engine,
      (app) => defineProject88(app, environment),
      {
        POSTGRES_PASSWORD,
        APP_SECRET_KEY: 'e2e-app-secret-key',
        GRAFANA_CLOUD_API_KEY: 'e2e-grafana-cloud-key',
        ...(dev ? { PGADMIN_DEFAULT_PASSWORD: 'e2e_pgadmin_pw' } : { SMTP_PASSWORD: 'e2e_smtp_pw' }),
        // The agent reads the private engine's socket, never the host's /var/run/docker.sock.
        DOCKER_SOCKET: dockerSocket,
      },
      // The files `npm run synth` writes into cdk.out/p88-*, relative paths included (below).
      { pathsFrom: path.join(REPO, 'cdk.out') },
    );
    const web = () => stack.project.containerIds('web');
    const starts = (events: readonly EngineEvent[], service: string) =>
      events.filter((event) => serviceOf(event) === service && event.Action === 'start').map((event) => event.timeNano);
    const healthy = (containerId: string) =>
      waitFor(`${containerId} to report healthy`, () => {
        const health = stack.project.inspectContainer(containerId).State.Health;
        return health?.Status === 'healthy' ? health : undefined;
      }, 150_000);

    it('runs the Compose file with every image under the name it gives, digest-pinned in prod', () => {
      const images = stack.project.images();
      if (dev) {
        expect(images).toContain('postgres:16-alpine');
        for (const image of images) expect(image).not.toContain('@sha256:');
      } else {
        expect(images).toContain(`postgres:${IMAGES.postgres.tag}@${IMAGES.postgres.digest}`);
        for (const image of images) expect(image).toMatch(/:[\w.-]+@sha256:[0-9a-f]{64}$/);
      }
      for (const service of SERVICES) {
        for (const container of stack.project.containerIds(service)) expect(images).toContain(run('docker', ['inspect', '--format', '{{.Config.Image}}', container]).trim());
      }
    });

    it('starts web and worker only after db reports healthy and redis has started (not waiting for redis to be healthy), and the agent without waiting for db', () => {
      const dbHealthy = firstEvent(stack.events, 'db', 'health_status: healthy');
      const redisStarted = firstEvent(stack.events, 'redis', 'start');
      for (const service of ['web', 'worker']) {
        const serviceStarts = starts(stack.events, service);
        expect(serviceStarts).toHaveLength(service === 'web' && !dev ? 2 : 1);
        for (const start of serviceStarts) {
          expect(start).toBeGreaterThan(dbHealthy);
          expect(start).toBeGreaterThan(redisStarted);
        }
        // What Compose was told, as it records it on each container: db healthy, redis started.
        for (const container of stack.project.containerIds(service)) {
          const dependsOn = stack.project.inspectContainer(container).Config.Labels['com.docker.compose.depends_on'];
          expect(dependsOn.split(',').map((entry) => entry.split(':').slice(0, 2).join(':')).sort()).toEqual(['db:service_healthy', 'redis:service_started']);
        }
      }
      // The agent connects to db with waitFor 'none': it started before db was healthy.
      expect(firstEvent(stack.events, 'grafana-agent', 'start')).toBeLessThan(dbHealthy);
      expect(stack.project.inspect('grafana-agent').Config.Labels['com.docker.compose.depends_on'] ?? '').toBe('');
    });

    it('reports db, redis, search, grafana-agent, web and worker healthy; web connects to Postgres as p88 on database p88 and to Redis, the worker to the broker', async () => {
      for (const service of SERVICES) {
        for (const container of stack.project.containerIds(service)) {
          const health = await healthy(container);
          expect(health.Log.at(-1)?.ExitCode).toBe(0);
        }
      }
      for (const replica of web()) {
        const logs = stack.project.containerLogs(replica);
        expect(logs).toContain('uvicorn stand-in: serving p88.main:app on http://0.0.0.0:8000');
        expect(logs).toContain('web-app: connected to Postgres at postgresql://p88:***@db:5432/p88 as p88 on database p88');
        expect(logs).toContain('web-app: connected to Redis at redis://redis:6379/1');
        expect(logs).toContain('web-app: GET /health 200 OK');
      }
      expect(stack.project.logs('worker')).toMatch(/celery stand-in: celery@\w+ connected to broker redis:\/\/redis:6379\/0/);
      // The worker's health check is answered by its own worker: run where no worker runs, it fails.
      expect(stack.project.inspect('worker').State.Health?.Log.at(-1)?.Output).toContain('pong');
      const elsewhere = tryIn(web()[0], ['celery', '-A', 'p88.worker', 'inspect', 'ping', '--timeout', '5']);
      expect(elsewhere.status).not.toBe(0);
      expect(elsewhere.stderr).toContain('No nodes replied');
      expect(stack.project.logs('search')).toContain('opensearch stand-in: node');
      expect(stack.project.logs('grafana-agent')).toContain('grafana-agent stand-in: read config file /etc/agent/agent.yaml');
    });

    it(`runs ${dev ? 'one web container' : 'two web containers'} (the WEB_REPLICAS default) and one of every other service`, () => {
      expect(web()).toHaveLength(dev ? 1 : 2);
      for (const service of SERVICES.filter((name) => name !== 'web')) expect(stack.project.containerIds(service)).toHaveLength(1);
    });

    it('runs web and worker as 1000:1000 read-only without capabilities, redis as 999:1000, search as 1000:1000, the agent with only NET_BIND_SERVICE', () => {
      for (const container of [...web(), stack.project.containerId('worker')]) {
        const state = stack.project.inspectContainer(container);
        expect(state.Config.User).toBe('1000:1000');
        expect(state.HostConfig.ReadonlyRootfs).toBe(true);
        expect(state.HostConfig.CapDrop).toEqual(['ALL']);
        expect(tryIn(container, ['touch', '/app/written']).stderr).toContain('Read-only file system');
        expect(execIn(container, ['sh', '-c', 'touch /tmp/written && echo ok']).trim()).toBe('ok');
      }
      const redis = stack.project.inspect('redis');
      expect(redis.Config.User).toBe('999:1000');
      expect(redis.HostConfig.CapDrop).toEqual(['ALL']);
      expect(stack.project.inspect('search').Config.User).toBe('1000:1000');
      expect(execIn(stack.project.containerId('search'), ['id', '-u']).trim()).toBe('1000');
      const agent = stack.project.inspect('grafana-agent');
      expect(agent.HostConfig.CapDrop).toEqual(['ALL']);
      // The engine records added capabilities with their CAP_ prefix (Docker 20.10).
      expect(agent.HostConfig.CapAdd?.map((capability) => capability.replace(/^CAP_/, ''))).toEqual(['NET_BIND_SERVICE']);
    });

    it('publishes nothing on the host and starts no proxy, mail catcher or pgAdmin without their profile; web answers inside its networks', async () => {
      for (const service of SERVICES) {
        for (const container of stack.project.containerIds(service)) expect(run('docker', ['port', container]).trim()).toBe('');
      }
      for (const port of [80, 443, 8000, 8025, 5050, 5432, 6379, 9200, 12345]) expect(await askTcp(port, '\n')).toEqual({ refused: true });
      const services = run('docker', ['ps', '--all', '--filter', `label=com.docker.compose.project=${projectName}`, '--format', '{{.Label "com.docker.compose.service"}}'])
        .split('\n')
        .filter(Boolean);
      expect([...new Set(services)].sort()).toEqual([...SERVICES].sort());
      for (const optional of ['traefik', 'mailhog', 'pgadmin']) expect(services).not.toContain(optional);
      for (const replica of web()) expect(execIn(replica, ['curl', '-fsS', 'http://localhost:8000/health'])).toBe('ok\n');
      // The agent scrapes web:8000 (agent.yaml): they share the agent's network.
      expect(execIn(stack.project.containerId('grafana-agent'), ['curl', '-fsS', 'http://web:8000/health'])).toBe('ok\n');
      // The agent does not connect to search or redis, and shares no network with them: their
      // names do not resolve there (the engine's DNS finds no such container on the agent's
      // networks and asks the host's resolvers, which fail or time out).
      for (const url of ['http://search:9200/', 'telnet://redis:6379']) {
        const reached = tryIn(stack.project.containerId('grafana-agent'), ['curl', '-sS', '--max-time', '5', url]);
        expect([6, 28]).toContain(reached.status);
        expect(`${url}: ${reached.stderr}`).toMatch(/Could not resolve host|Resolving timed out/);
      }
    });

    it("lets the agent reach the engine through DOCKER_SOCKET: it lists the project's containers", async () => {
      const socketMount = mountsOf(stack.project.containerId('grafana-agent')).find((mount) => mount.Destination === '/var/run/docker.sock');
      expect(socketMount).toMatchObject({ Type: 'bind', Source: dockerSocket });
      const expected = [...SERVICES.filter((name) => name !== 'web').map((name) => `${projectName}-${name}-1`), ...web().map((_, i) => `${projectName}-web-${i + 1}`)].sort();
      const listing = await waitFor('the agent to list every container of the project', () => {
        const lines = stack.project.logs('grafana-agent').split('\n').filter((line) => line.includes('docker_sd:'));
        const last = lines.at(-1);
        return last && expected.every((name) => last.includes(name)) ? last : undefined;
      }, 60_000);
      expect(listing).toBe(
        `grafana-agent stand-in: docker_sd: ${expected.length} containers with label com.docker.compose.project=${projectName}: ${expected.join(' ')}`,
      );
    });

    it(`gives web its env files' values (APP_ENV=${dev ? 'development' : 'production'}, APP_NAME=project88 from base.env) beside its own`, () => {
      for (const replica of web()) {
        const env = stack.project.inspectContainer(replica).Config.Env;
        expect(env).toEqual(expect.arrayContaining(['APP_NAME=project88', `APP_ENV=${dev ? 'development' : 'production'}`, `LOG_LEVEL=${dev ? 'debug' : 'info'}`, 'OTEL_SERVICE_NAME=p88-web']));
        expect(env.some((entry) => entry.startsWith('SMTP_PASSWORD='))).toBe(!dev);
      }
      expect(stack.project.inspect('worker').Config.Env).toEqual(expect.arrayContaining(['APP_NAME=project88', `APP_ENV=${dev ? 'development' : 'production'}`, 'OTEL_SERVICE_NAME=p88-worker']));
    });

    if (dev) {
      it('mounts the live-reload folder ../../examples/project88/src, which resolves below the engine folder, not into the repository', () => {
        const source = mountsOf(web()[0]).find((mount) => mount.Destination === '/app/src');
        // Written as in cdk.out/p88-dev, the path resolves from the stack folder <engine>/stacks/p88-dev.
        expect(source).toMatchObject({ Type: 'bind', Source: path.join(engine.root, 'examples', 'project88', 'src') });
        // Nothing is there: Docker made an empty folder where it resolves, and the checkout's is untouched.
        expect(fs.readdirSync(source!.Source)).toEqual([]);
        expect(fs.readdirSync(path.join(REPO, 'examples', 'project88', 'src'))).toEqual(['README.md']);
        expect(stack.project.logs('web')).toContain('uvicorn stand-in: --reload: /app/src is empty or missing');
      });
    }

    it(
      dev
        ? 'keeps the search document across `down` and `up`, and loses the Postgres row, whose data is a tmpfs in dev'
        : 'keeps the Postgres row written through web and the search document across `down` and `up`',
      async () => {
        const note = `invoice 88-7 rendered (${environment})`;
        expect(execIn(web()[0], ['curl', '-fsS', '-X', 'POST', '--data-binary', note, 'http://localhost:8000/notes'])).toBe('stored\n');
        expect(execIn(web()[0], ['curl', '-fsS', 'http://localhost:8000/notes'])).toBe(`${note}\n`);
        const document = JSON.stringify({ title: note, environment });
        const put = execIn(stack.project.containerId('search'), ['curl', '-fsS', '-X', 'PUT', '-H', 'Content-Type: application/json', '--data-binary', document, 'http://localhost:9200/p88-documents/_doc/88-7']);
        expect(JSON.parse(put)).toMatchObject({ result: 'created' });

        expect(stack.project.compose('down').status).toBe(0);
        expect(stack.project.compose('ps', '--all', '-q').stdout.trim()).toBe('');
        stack.project.up();

        for (const replica of web()) await healthy(replica);
        const notes = await waitFor('web to answer /notes after restart', () => {
          const result = tryIn(web()[0], ['curl', '-fsS', 'http://localhost:8000/notes']);
          return result.status === 0 ? result.stdout : undefined;
        });
        expect(notes).toBe(dev ? '' : `${note}\n`);
        const found = await waitFor('search to answer after restart', () => {
          const result = tryIn(stack.project.containerId('search'), ['curl', '-fsS', 'http://localhost:9200/p88-documents/_doc/88-7']);
          return result.status === 0 ? result.stdout : undefined;
        });
        expect(JSON.parse(found)).toMatchObject({ found: true, _source: { title: note, environment } });
        const volumes = run('docker', ['volume', 'ls', '--filter', `label=com.docker.compose.project=${projectName}`, '--format', '{{.Name}}']).split('\n').filter(Boolean).sort();
        expect(volumes).toEqual(dev ? [`${projectName}_search_data`] : [`${projectName}_db_data`, `${projectName}_search_data`]);
        const db = stack.project.containerId('db');
        expect(mountsOf(db).some((mount) => mount.Destination === '/var/lib/postgresql/data' && mount.Name === `${projectName}_db_data`)).toBe(!dev);
        expect(Object.keys(JSON.parse(run('docker', ['inspect', '--format', '{{json .HostConfig.Tmpfs}}', db])) ?? {})).toEqual(dev ? ['/var/lib/postgresql/data'] : []);
      },
    );

    if (dev) {
      it('reads the production env file once the deploy sets ENVIRONMENT=prod in .env (the seed\'s env/${ENVIRONMENT}/web.env), the agent labelling its telemetry prod', async () => {
        const dotEnv = path.join(stack.project.dir, '.env');
        const before = fs.readFileSync(dotEnv, 'utf8');
        fs.writeFileSync(dotEnv, `${before}${before.endsWith('\n') ? '' : '\n'}ENVIRONMENT=prod\n`);
        try {
          const result = stack.project.compose('up', '-d', '--no-build', 'web', 'worker', 'grafana-agent');
          expect(result.status).toBe(0);
          for (const container of [...web(), stack.project.containerId('worker')]) {
            const env = stack.project.inspectContainer(container).Config.Env;
            expect(env).toEqual(expect.arrayContaining(['APP_NAME=project88', 'APP_ENV=production', 'SMTP_HOST=smtp.eu.mailgun.org', 'LOG_LEVEL=info']));
            expect(env).not.toContain('APP_ENV=development');
          }
          expect(stack.project.inspect('grafana-agent').Config.Env).toContain('ENVIRONMENT=prod');
          for (const replica of web()) await healthy(replica);
        } finally {
          fs.writeFileSync(dotEnv, before);
        }
      });
    }
  });
}
