import { defineEscrowgrid } from '../../examples/escrowgrid/app';
import { firstEvent, waitFor } from './harness/compose-project';
import { postgresSslAnswer } from './harness/host-ports';
import { bootForSuite, describeOnEngine } from './harness/session';

const DB_PASSWORD = 'e2e_taas_pw_41c9';

for (const environment of ['dev', 'prod'] as const) {
  const dev = environment === 'dev';
  describeOnEngine(`the escrowgrid example (${environment}) on a real engine`, (engine) => {
    const stack = bootForSuite(engine, (app) => defineEscrowgrid(app, environment), { POSTGRES_PASSWORD: DB_PASSWORD, ROOT_API_KEY: 'e2e-root-api-key' });
    const apiUrl = (path: string) => `http://127.0.0.1:${stack.project.publishedPort('api', 4000)}${path}`;

    it('initializes the database as uid 70 with every capability dropped, and runs the schema from the init folder', () => {
      const db = stack.project.inspect('db');
      expect(db.Config.User).toBe('70:70');
      expect(db.HostConfig.CapDrop).toEqual(['ALL']);
      expect(db.State.Health?.Status).toBe('healthy');
      expect(stack.project.logs('db')).toContain('running /docker-entrypoint-initdb.d/10-schema.sql');
      const tables = stack.project.exec('db', ['psql', '-U', 'taas_user', '-d', 'taas_platform', '-tAc', "SELECT count(*) FROM pg_tables WHERE tablename = 'institutions'"]);
      expect(tables.trim()).toBe('1');
    });

    it('starts the API only once the database reports healthy, and the API connects to it', async () => {
      expect(firstEvent(stack.events, 'api', 'start')).toBeGreaterThan(firstEvent(stack.events, 'db', 'health_status: healthy'));
      expect(stack.project.logs('api')).toContain('connected to Postgres at postgresql://taas_user:***@db:5432/taas_platform as taas_user on database taas_platform');
      const api = stack.project.inspect('api');
      expect(api.HostConfig.ReadonlyRootfs).toBe(true);
      expect(api.Config.User).toBe('1000:1000');
    });

    it('starts the admin console only once the API health check passes', () => {
      expect(firstEvent(stack.events, 'admin', 'start')).toBeGreaterThan(firstEvent(stack.events, 'api', 'health_status: healthy'));
    });

    it('answers on loopback: the API on the free host port the engine chose, the console on 8080', async () => {
      expect(await (await fetch(apiUrl('/health'))).text()).toBe('ok\n');
      // The console's /health is its own nginx configuration's, mounted from the synthesized folder.
      const adminHealth = await waitFor('the admin console', () => fetch('http://127.0.0.1:8080/health').then((r) => r.text(), () => undefined));
      expect(adminHealth).toBe('ok\n');
      await waitFor('the admin console health check', () => (stack.project.inspect('admin').State.Health?.Status === 'healthy' ? true : undefined));
    });

    if (dev) {
      it('publishes the database on host port 15432', async () => {
        expect(await postgresSslAnswer(15432)).toBe('N');
      });
    } else {
      it('publishes the database on no host port, and applies the limits and the log rotation of production', async () => {
        for (const port of [15432, 5432]) expect(await postgresSslAnswer(port)).toBe('refused');
        const api = stack.project.inspect('api');
        expect(api.HostConfig).toMatchObject({ NanoCpus: 0.5e9, Memory: 512 * 1024 ** 2, MemoryReservation: 256 * 1024 ** 2 });
        expect(api.HostConfig.LogConfig).toEqual({ Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '3' } });
        expect(stack.project.inspect('db').HostConfig).toMatchObject({ NanoCpus: 1e9, Memory: 1024 ** 3 });
      });
    }

    it('keeps data written before `down` after `up` again', async () => {
      expect((await fetch(apiUrl('/notes'), { method: 'POST', body: 'institution acme-bank onboarded' })).status).toBe(201);
      expect(stack.project.compose('down').status).toBe(0);
      stack.project.up();
      const notes = await waitFor('the API after restart', async () => {
        const response = await fetch(apiUrl('/notes')).catch(() => undefined);
        return response?.status === 200 ? response.text() : undefined;
      });
      expect(notes).toBe('institution acme-bank onboarded\n');
      // The init folder ran once, on the empty data directory: not again on the kept one.
      expect(stack.project.logs('db')).not.toContain('10-schema.sql');
    });
  });
}
