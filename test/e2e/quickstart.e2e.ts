import { defineQuickstart } from '../../examples/quickstart/app';
import { firstEvent, serviceOf, waitFor } from './harness/compose-project';
import { bootForSuite, describeOnEngine } from './harness/session';

// The README's app: an alembic migration, an API with resource limits, three workers.
describeOnEngine("the README's quickstart app on a real engine", (engine) => {
  const stack = bootForSuite(engine, defineQuickstart, { POSTGRES_PASSWORD: 'e2e_quickstart_pw', JWT_SECRET: 'e2e-quickstart-jwt' });

  it('runs `alembic upgrade head` once on the database before the API and the workers start', () => {
    const migration = stack.project.inspect('db-migrate');
    expect(migration.State).toMatchObject({ Status: 'exited', ExitCode: 0 });
    expect(stack.project.logs('db-migrate')).toBe('alembic stand-in: upgraded to head (standin0001)\n');
    const revision = stack.project.exec('db', ['psql', '-U', 'appuser', '-d', 'myapp', '-tAc', 'SELECT version_num FROM alembic_version']);
    expect(revision.trim()).toBe('standin0001');
    const migrated = firstEvent(stack.events, 'db-migrate', 'die');
    const starts = stack.events.filter((event) => event.Action === 'start' && ['backend', 'worker'].includes(serviceOf(event) ?? ''));
    expect(starts).toHaveLength(4);
    for (const start of starts) expect(start.timeNano).toBeGreaterThan(migrated);
  });

  it("applies the API's resource limits and requests as the engine's cgroup settings", () => {
    const { HostConfig } = stack.project.inspect('backend');
    expect(HostConfig.NanoCpus).toBe(500_000_000);
    expect(HostConfig.Memory).toBe(512 * 1024 * 1024);
    expect(HostConfig.MemoryReservation).toBe(256 * 1024 * 1024);
  });

  it('runs three workers, each connected to Redis with its own heartbeat', async () => {
    const workers = stack.project.containerIds('worker');
    expect(workers).toHaveLength(3);
    for (const id of workers) {
      await waitFor(`worker ${id} to connect`, () => (stack.project.containerLogs(id).includes('connected to broker redis://redis:6379/0') ? true : undefined));
    }
    const heartbeats = await waitFor('three heartbeats', () => {
      const fields = stack.project.exec('redis', ['redis-cli', 'hkeys', 'cdk-compose-e2e:workers']).trim().split('\n').filter(Boolean);
      return fields.length === 3 ? fields : undefined;
    });
    expect(new Set(heartbeats).size).toBe(3);
  });

  it('answers on port 8080 on loopback once the API is healthy', async () => {
    await waitFor('the API health check', () => (stack.project.inspect('backend').State.Health?.Status === 'healthy' ? true : undefined));
    expect(await (await fetch('http://127.0.0.1:8080/docs')).text()).toBe('ok\n');
  });
});
