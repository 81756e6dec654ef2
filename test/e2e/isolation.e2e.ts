import { PostgresService, Secret, Stack, WebApp, Worker } from '../../lib';
import { waitFor } from './harness/compose-project';
import { bootForSuite, describeOnEngine } from './harness/session';

/**
 * Isolation from the connection graph, on a real engine: a workload reaches only what it
 * connects to. The API connects to the database; a worker in the same project does not, and
 * cannot reach it (its name does not even resolve there), as a NetworkPolicy keeps it out on
 * Kubernetes.
 */
describeOnEngine('a service reaches only what it connects to', (engine) => {
  const stack = bootForSuite(
    engine,
    (app) => {
      const isolated = new Stack(app, 'isolation');
      const db = new PostgresService(isolated, 'db', { version: '15-alpine', password: Secret.fromEnv('POSTGRES_PASSWORD') });
      new WebApp(isolated, 'api', { image: 'cdk-compose-e2e/web-app:latest', port: 8080 }).connect(db, { env: 'DATABASE_URL' });
      new Worker(isolated, 'outsider', { image: 'busybox:1.36', command: ['sleep', '3600'] });
      return isolated;
    },
    { POSTGRES_PASSWORD: 'e2e_isolation_pw' },
  );

  it('lets the connected API reach the database', async () => {
    const line = await waitFor('the API to connect', () => stack.project.logs('api').split('\n').find((l) => /connected to Postgres|cannot connect/.test(l)));
    expect(line).toMatch(/connected to Postgres at postgresql:\/\/app:\*\*\*@db:5432\/app as app on database app/);
  });

  it('keeps a worker of the same project that never connected from reaching it', () => {
    const probe = stack.project.compose('exec', '-T', 'outsider', 'nc', '-z', '-w', '2', 'db', '5432');
    expect(probe.status).not.toBe(0);
    const lookup = stack.project.compose('exec', '-T', 'outsider', 'nslookup', 'db');
    expect(lookup.status).not.toBe(0);
    expect(stack.project.networks('outsider')).toEqual(['isolation_default']);
    expect(stack.project.networks('db')).toEqual(['isolation_reach-db']);
  });
});
