import * as fs from 'fs';
import * as path from 'path';
import { defineSrvthreds, SrvthredsEnvironment } from '../../examples/srvthreds/app';
import { ComposeProject, EngineEvent, firstEvent, serviceOf, synthesizeStack, waitFor, writeDotEnv } from './harness/compose-project';
import { askTcp, redisPing } from './harness/host-ports';
import { describeOnEngine, stacksDir } from './harness/session';

const SECRETS = {
  RABBITMQ_PASSWORD: 'e2e_rabbit_pw_19c4',
  MONGO_ROOT_PASSWORD: 'e2e_mongo_pw_77ab',
  MONGO_REPLICA_SET_KEY: 'c3RhbmQtaW4ta2V5LWZpbGUtZm9yLWUyZQ',
  REDIS_PASSWORD: 'e2e_redis_pw_2f90',
};
const WAITERS = ['wait-for-mongo-repl-1', 'wait-for-redis', 'wait-for-rabbitmq'];
const INFRA = ['mongo-repl-1', 'redis', 'rabbitmq'];
const AGENTS = ['srvthreds-engine', 'srvthreds-session-agent', 'srvthreds-persistence-agent'];

/** The .env values each stack's .env.example names: the secrets of both environments. */
function secretsFor(stackDir: string, environment: SrvthredsEnvironment): Record<string, string> {
  const names = environment === 'dev' ? ['RABBITMQ_PASSWORD'] : Object.keys(SECRETS);
  const wanted = fs.readFileSync(path.join(stackDir, '.env.example'), 'utf8');
  return Object.fromEntries(names.filter((name) => wanted.includes(`\n${name}=`)).map((name) => [name, SECRETS[name as keyof typeof SECRETS]]));
}

for (const environment of ['dev', 'prod'] as SrvthredsEnvironment[]) {
  const dev = environment === 'dev';

  describeOnEngine(`the srvthreds example (${environment}): the infrastructure stack, then the app stack, on a real engine`, (engine) => {
    let infra: ComposeProject;
    let app: ComposeProject;
    let events: EngineEvent[];
    const mongoAuth = dev ? [] : ['-u', 'srvthreds', '-p', SECRETS.MONGO_ROOT_PASSWORD, '--authenticationDatabase', 'admin'];
    const mongosh = (script: string) => infra.exec('mongo-repl-1', ['mongosh', '--quiet', ...mongoAuth, '--eval', script]).trim();
    const managementApi = (method: string, apiPath: string, password = SECRETS.RABBITMQ_PASSWORD) =>
      infra.exec('rabbitmq', ['curl', '-s', '-o', '/dev/null', '-w', '%{http_code}', '-X', method, '-u', `srvthreds:${password}`, `http://localhost:15672${apiPath}`]).trim();
    const healthy = (project: ComposeProject, service: string) =>
      waitFor(`${service} to report healthy`, () => (project.inspect(service).State.Health?.Status === 'healthy' ? true : undefined), 150_000);

    beforeAll(async () => {
      const outdir = path.join(stacksDir(engine), `srvthreds-${environment}`);
      let appDir!: string;
      const infraDir = synthesizeStack(outdir, (cdkApp) => {
        const [infraStack, appStack] = defineSrvthreds(cdkApp, environment);
        appDir = path.join(outdir, appStack.stackName);
        return infraStack;
      });
      writeDotEnv(infraDir, secretsFor(infraDir, environment));
      writeDotEnv(appDir, secretsFor(appDir, environment));
      infra = new ComposeProject(engine, infraDir);
      app = new ComposeProject(engine, appDir);
      infra.assertImagesLoaded();
      app.assertImagesLoaded();
      const since = new Date();
      infra.up();
      app.up();
      events = infra.events(since, new Date());
      for (const service of INFRA) await healthy(infra, service);
    }, 300_000);

    afterAll(() => {
      app?.compose('down', '--volumes', '--remove-orphans');
      infra?.compose('down', '--volumes', '--remove-orphans');
    });

    it('initiates the replica set from the health check, and reports MongoDB, Redis and RabbitMQ healthy', () => {
      expect(infra.logs('mongo-repl-1')).toContain('replica set rs0 initiated with mongo-repl-1:27017');
      for (const service of INFRA) expect(infra.inspect(service).Config.User).toBe(service === 'redis' ? '999:1000' : '999:999');
    });

    it('starts each waiter after the service it waits for, and the bootstrap only after every waiter exited 0', () => {
      for (const [waiter, service] of WAITERS.map((waiter, i) => [waiter, INFRA[i]])) {
        expect(firstEvent(events, waiter, 'start')).toBeGreaterThan(firstEvent(events, service, 'start'));
        expect(app.inspect(waiter).State).toMatchObject({ Status: 'exited', ExitCode: 0 });
        expect(firstEvent(events, 'srvthreds-bootstrap', 'start')).toBeGreaterThan(firstEvent(events, waiter, 'die'));
      }
    });

    it('runs the bootstrap once, to exit 0, before the engine and the agents start', () => {
      const bootstrap = app.inspect('srvthreds-bootstrap');
      expect(bootstrap.State).toMatchObject({ Status: 'exited', ExitCode: 0 });
      expect(bootstrap.RestartCount).toBe(0);
      expect(events.filter((event) => serviceOf(event) === 'srvthreds-bootstrap' && event.Action === 'start')).toHaveLength(1);
      expect(app.logs('srvthreds-bootstrap')).toContain('npm stand-in: loaded pattern ef-detection');
      const bootstrapEnded = firstEvent(events, 'srvthreds-bootstrap', 'die');
      for (const agent of AGENTS) expect(firstEvent(events, agent, 'start')).toBeGreaterThan(bootstrapEnded);
    });

    it(`connects every ${dev ? 'process' : 'process (three engine replicas)'} to MongoDB, Redis and RabbitMQ with the injected URLs`, async () => {
      const containers = AGENTS.flatMap((agent) => app.containerIds(agent));
      expect(containers).toHaveLength(dev ? 3 : 5);
      const credentials = dev ? '' : 'srvthreds:***@';
      for (const container of containers) {
        const logs = await waitFor('the process to connect', () => {
          const text = app.containerLogs(container);
          return text.includes('running') ? text : undefined;
        });
        expect(logs).toContain(`connected to MongoDB at mongodb://${credentials}mongo-repl-1:27017/?replicaSet=rs0`);
        expect(logs).toContain(`connected to Redis at redis://${dev ? '' : ':***@'}redis:6379/0`);
        expect(logs).toContain('reached RabbitMQ at amqp://srvthreds:***@rabbitmq:5672');
      }
      const agents = JSON.parse(mongosh('db.getSiblingDB("srvthreds").agents.find().toArray()')) as Array<{ process: string }>;
      expect(agents).toHaveLength(containers.length);
    });

    it('reports the engine and the agents healthy', async () => {
      for (const container of AGENTS.flatMap((agent) => app.containerIds(agent))) {
        const health = await waitFor(`${container} to report healthy`, () => {
          const state = app.inspectContainer(container).State.Health;
          return state?.Status === 'healthy' ? state : undefined;
        }, 150_000);
        expect(health.Log.at(-1)?.Output).toBe('Health check\n');
      }
    });

    it('keeps the management API behind the RabbitMQ user the .env gives', () => {
      expect(managementApi('GET', '/api/overview')).toBe('200');
      expect(managementApi('GET', '/api/overview', 'not-the-password')).toBe('401');
    });

    if (dev) {
      it('publishes MongoDB, Redis, RabbitMQ and the processes on their host ports', async () => {
        const hello = await askTcp(27017, '{"op":"hello"}\n');
        expect(hello.refused ? 'refused' : JSON.parse(hello.reply.toString())).toMatchObject({ isWritablePrimary: true, setName: 'rs0' });
        expect(await redisPing(6379)).toBe('+PONG');
        expect((await askTcp(5672, 'AMQP\x00\x00\x09\x01')).refused).toBe(false);
        const overview = await fetch('http://127.0.0.1:15672/api/overview', { headers: { authorization: `Basic ${Buffer.from(`srvthreds:${SECRETS.RABBITMQ_PASSWORD}`).toString('base64')}` } });
        expect(overview.status).toBe(200);
        for (const port of [8082, 3000, 3001]) expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('ok\n');
      });
    } else {
      it('publishes nothing on the host, and requires the passwords the .env gives', async () => {
        for (const port of [27017, 6379, 5672, 15672, 8082, 3000, 3001]) expect(await askTcp(port, '\n')).toEqual({ refused: true });
        expect(infra.logs('mongo-repl-1')).toContain('authorization enabled');
        const anonymous = infra.compose('exec', '-T', 'mongo-repl-1', 'mongosh', '--quiet', '--eval', 'db.getSiblingDB("srvthreds").agents.find().toArray()');
        expect(anonymous.status).toBe(1);
        expect(anonymous.stderr).toContain('AuthenticationFailed');
        expect(infra.exec('redis', ['env', '-u', 'REDISCLI_AUTH', 'redis-cli', 'ping']).trim()).toMatch(/^NOAUTH/);
      });
    }

    it('keeps the documents, the keys and the durable queues written before `down` after `up` again', async () => {
      mongosh(`db.getSiblingDB("srvthreds").thredds.insertOne({ "id": "thred-7", "environment": "${environment}" })`);
      infra.exec('redis', ['redis-cli', 'set', 'srvthreds:session:7', 'still-here']);
      expect(managementApi('PUT', '/api/queues/%2F/srvthreds.events')).toBe('201');

      expect(app.compose('down').status).toBe(0);
      expect(infra.compose('down').status).toBe(0);
      expect(infra.compose('ps', '-q').stdout.trim()).toBe('');
      const since = new Date();
      infra.up();
      app.up();
      const again = infra.events(since, new Date());
      await healthy(infra, 'mongo-repl-1');

      expect(JSON.parse(mongosh('db.getSiblingDB("srvthreds").thredds.find().toArray()'))).toEqual([{ id: 'thred-7', environment }]);
      // Primary again from the kept configuration: the health check did not initiate it twice.
      expect(infra.logs('mongo-repl-1')).toContain('replica set rs0 (primary)');
      expect(infra.logs('mongo-repl-1')).not.toContain('initiated');
      expect(infra.exec('redis', ['redis-cli', 'get', 'srvthreds:session:7']).trim()).toBe('still-here');
      expect(infra.exec('rabbitmq', ['curl', '-s', '-u', `srvthreds:${SECRETS.RABBITMQ_PASSWORD}`, 'http://localhost:15672/api/queues'])).toContain('"name":"srvthreds.events"');
      // The bootstrap ran once more, to exit 0, and found its pattern already loaded.
      expect(again.filter((event) => serviceOf(event) === 'srvthreds-bootstrap' && event.Action === 'start')).toHaveLength(1);
      expect(app.inspect('srvthreds-bootstrap').State).toMatchObject({ Status: 'exited', ExitCode: 0 });
      expect(app.logs('srvthreds-bootstrap')).toContain('pattern ef-detection is already loaded');
      expect(JSON.parse(mongosh('db.getSiblingDB("srvthreds").patterns.find().toArray()'))).toEqual([{ pattern: 'ef-detection' }]);
    });
  });
}
