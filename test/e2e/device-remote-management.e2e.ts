import { defineDrm } from '../../examples/device-remote-management/app';
import { firstEvent, serviceOf, waitFor } from './harness/compose-project';
import { postgresSslAnswer, redisPing } from './harness/host-ports';
import { bootForSuite, describeOnEngine } from './harness/session';

// Spliced into DATABASE_URL unencoded (docs/reliability.md, limits synth cannot lift): no URL-special characters.
const DB_PASSWORD = 'e2e_Db_pw_7f3a';
const JWT_SECRET = 'e2e-jwt-secret';

for (const environment of ['dev', 'prod'] as const) {
  const dev = environment === 'dev';
  describeOnEngine(`the device-remote-management example (${environment}) on a real engine`, (engine) => {
    const stack = bootForSuite(engine, (app) => defineDrm(app, environment), { POSTGRES_PASSWORD: DB_PASSWORD, JWT_SECRET });

    it('starts the migration only once the database reports healthy', () => {
      const healthy = firstEvent(stack.events, 'db', 'health_status: healthy');
      expect(firstEvent(stack.events, 'db-migrate', 'start')).toBeGreaterThan(healthy);
      expect(stack.project.inspect('db').State.Health?.Status).toBe('healthy');
    });

    it('runs the migration once, to exit 0, before the backend and the worker start', () => {
      const migrationEnded = firstEvent(stack.events, 'db-migrate', 'die');
      const migrateStarts = stack.events.filter((event) => serviceOf(event) === 'db-migrate' && event.Action === 'start');
      expect(migrateStarts).toHaveLength(1);
      const migration = stack.project.inspect('db-migrate');
      expect(migration.State).toMatchObject({ Status: 'exited', ExitCode: 0 });
      expect(migration.RestartCount).toBe(0);
      expect(stack.project.logs('db-migrate').match(/schema, RLS policies, indexes and seed data are in place/g)).toHaveLength(1);
      expect(firstEvent(stack.events, 'backend', 'start')).toBeGreaterThan(migrationEnded);
      expect(firstEvent(stack.events, 'worker', 'start')).toBeGreaterThan(migrationEnded);
    });

    it('applies the migration to the database the backend uses', () => {
      const tables = stack.project.exec('db', ['psql', '-U', 'appuser', '-d', 'myapp', '-tAc', "SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'public'"]);
      expect(tables.trim()).toBe('devices,job_results,jobs,tenants');
    });

    it('passes the backend health check against the real database', async () => {
      const health = await waitFor('the backend health check', () => {
        const state = stack.project.inspect('backend').State.Health;
        return state?.Status === 'healthy' ? state : undefined;
      });
      expect(health.Log.at(-1)?.ExitCode).toBe(0);
      expect(stack.project.logs('backend')).toContain('web-app: connected to Postgres at postgresql://appuser:***@db:5432/myapp as appuser on database myapp');
      expect(stack.project.logs('backend')).toContain('web-app: GET /docs 200 OK');
    });

    it(`connects ${dev ? 'the worker' : 'each of the three workers'} to Redis, which holds ${dev ? 'its heartbeat' : 'their heartbeats'}`, async () => {
      const workers = stack.project.containerIds('worker');
      expect(workers).toHaveLength(dev ? 1 : 3);
      for (const worker of workers) {
        await waitFor('the worker to connect', () => (stack.project.containerLogs(worker).includes('connected to broker redis://redis:6379/0') ? true : undefined));
      }
      const heartbeats = await waitFor('a heartbeat of every worker', () => {
        const fields = stack.project.exec('redis', ['redis-cli', 'hkeys', 'cdk-compose-e2e:workers']).trim().split('\n');
        return fields.length === workers.length ? fields : undefined;
      }, 30_000);
      for (const field of heartbeats) expect(field).toMatch(/^celery@\w+$/);
    });

    it('answers on the published ports on loopback', async () => {
      const api = await fetch('http://127.0.0.1:8080/docs');
      expect(api.status).toBe(200);
      const site = await fetch('http://127.0.0.1:3000/');
      expect(await site.text()).toContain('cdk-compose stand-in site');
    });

    if (dev) {
      it('publishes Postgres on host port 5000 and Redis on 6379 for development tools', async () => {
        expect(await postgresSslAnswer(5000)).toBe('N');
        expect(await redisPing(6379)).toBe('+PONG');
      });
    } else {
      it('publishes neither Postgres nor Redis on the host', async () => {
        for (const port of [5000, 5432]) expect(await postgresSslAnswer(port)).toBe('refused');
        expect(await redisPing(6379)).toBe('refused');
      });
    }

    it('keeps data written before `down` after `up` again', async () => {
      const stored = await fetch('http://127.0.0.1:8080/notes', { method: 'POST', body: "device O'Brien-7 enrolled" });
      expect(stored.status).toBe(201);
      stack.project.exec('redis', ['redis-cli', 'set', 'e2e:session', 'still-here']);

      const down = stack.project.compose('down');
      expect(down.status).toBe(0);
      expect(stack.project.compose('ps', '-q').stdout.trim()).toBe('');
      stack.project.up();

      const notes = await waitFor('the backend after restart', async () => {
        const response = await fetch('http://127.0.0.1:8080/notes').catch(() => undefined);
        return response?.status === 200 ? response.text() : undefined;
      });
      expect(notes).toBe("device O'Brien-7 enrolled\n");
      expect(stack.project.exec('redis', ['redis-cli', 'get', 'e2e:session']).trim()).toBe('still-here');
      // The migration ran again on the kept data, and is idempotent.
      expect(stack.project.inspect('db-migrate').State).toMatchObject({ Status: 'exited', ExitCode: 0 });
    });
  });
}
