import { defineParmana, ParmanaEnvironment } from '../../examples/parmana/app';
import { firstEvent, serviceOf, waitFor } from './harness/compose-project';
import { postgresSslAnswer, redisPing } from './harness/host-ports';
import { bootForSuite, describeOnEngine } from './harness/session';

const DB_PASSWORD = 'e2e_parmana_pw_5d2e';

for (const environment of ['dev', 'prod'] as ParmanaEnvironment[]) {
  const dev = environment === 'dev';

  describeOnEngine(`the parmana example (${environment}) on a real engine`, (engine) => {
    const stack = bootForSuite(engine, (app) => defineParmana(app, environment), { POSTGRES_PASSWORD: DB_PASSWORD, PARMANA_SIGNING_KEY: 'e2e-ed25519-key' });
    const server = (path: string) => `http://127.0.0.1:3000${path}`;

    it('starts the server only once Redis and Postgres report healthy, and the server connects to both', async () => {
      const serverStart = firstEvent(stack.events, 'server', 'start');
      expect(serverStart).toBeGreaterThan(firstEvent(stack.events, 'redis', 'health_status: healthy'));
      expect(serverStart).toBeGreaterThan(firstEvent(stack.events, 'postgres', 'health_status: healthy'));
      const logs = await waitFor('the server to connect', () => {
        const text = stack.project.logs('server');
        return text.includes('listening on port 3000') ? text : undefined;
      });
      expect(logs).toContain('web-app: connected to Postgres at postgresql://parmana:***@postgres:5432/parmana as parmana on database parmana');
      expect(logs).toContain('web-app: connected to Redis at redis://redis:6379/0');
      expect(stack.events.filter((event) => serviceOf(event) === 'server' && event.Action === 'start')).toHaveLength(1);
    });

    it('runs Postgres as uid 70 and Redis as 999 with every capability dropped, and the dashboard read-only', async () => {
      expect(stack.project.inspect('postgres').Config.User).toBe('70:70');
      expect(stack.project.inspect('redis').Config.User).toBe('999:999');
      for (const service of ['postgres', 'redis', 'server', 'dashboard']) expect(stack.project.inspect(service).HostConfig.CapDrop).toEqual(['ALL']);
      expect(stack.project.inspect('dashboard').HostConfig.ReadonlyRootfs).toBe(true);
      await waitFor('the dashboard health check', () => (stack.project.inspect('dashboard').State.Health?.Status === 'healthy' ? true : undefined));
    });

    it('answers on the server port 3000 and the dashboard port 8081 from the host', async () => {
      const health = await waitFor('the server on port 3000', () => fetch(server('/health')).then((r) => r.status, () => undefined));
      expect(health).toBe(200);
      expect(await (await fetch('http://127.0.0.1:8081/')).text()).toContain('cdk-compose stand-in site');
    });

    if (dev) {
      it('publishes Postgres on host port 5433 and Redis on 6380', async () => {
        expect(await postgresSslAnswer(5433)).toBe('N');
        expect(await redisPing(6380)).toBe('+PONG');
      });
    } else {
      it('publishes neither Postgres nor Redis on the host, and the dashboard on loopback only', async () => {
        for (const port of [5432, 5433]) expect(await postgresSslAnswer(port)).toBe('refused');
        for (const port of [6379, 6380]) expect(await redisPing(port)).toBe('refused');
        expect(stack.project.portBindings('postgres')).toEqual([]);
        expect(stack.project.portBindings('redis')).toEqual([]);
        expect(stack.project.portBindings('dashboard')).toEqual(['80/tcp -> 127.0.0.1:8081']);
      });
    }

    it('keeps the audit records and the replay state written before `down` after `up` again', async () => {
      expect((await fetch(server('/notes'), { method: 'POST', body: `decision exec-42 signed (${environment})` })).status).toBe(201);
      stack.project.exec('redis', ['redis-cli', 'set', 'parmana:replay:exec-42', 'seen']);

      expect(stack.project.compose('down').status).toBe(0);
      expect(stack.project.compose('ps', '-q').stdout.trim()).toBe('');
      stack.project.up();

      const notes = await waitFor('the server after restart', async () => {
        const response = await fetch(server('/notes')).catch(() => undefined);
        return response?.status === 200 ? response.text() : undefined;
      });
      expect(notes).toBe(`decision exec-42 signed (${environment})\n`);
      expect(stack.project.exec('redis', ['redis-cli', 'get', 'parmana:replay:exec-42']).trim()).toBe('seen');
    });
  });
}
