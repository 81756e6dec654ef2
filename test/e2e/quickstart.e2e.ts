import { defineQuickstart } from '../../examples/quickstart/app';
import { ComposeProject, EngineEvent, firstEvent, synthesizeStack, waitFor, writeDotEnv } from './harness/compose-project';
import { describeOnEngine, stacksDir } from './harness/session';

// The README's app: an alembic migration, an API with resource limits, three workers.
describeOnEngine("the README's quickstart app on a real engine", (engine) => {
  let project: ComposeProject;
  let events: EngineEvent[];

  beforeAll(() => {
    const dir = synthesizeStack(stacksDir(engine, 'quickstart'), defineQuickstart);
    writeDotEnv(dir, { POSTGRES_PASSWORD: 'e2e_quickstart_pw', JWT_SECRET: 'e2e-quickstart-jwt' });
    project = new ComposeProject(engine, dir);
    project.assertImagesLoaded();
    const since = new Date();
    project.up();
    events = project.events(since, new Date());
  });

  afterAll(() => {
    project?.compose('down', '--volumes', '--remove-orphans');
  });

  it('runs `alembic upgrade head` once on the database before the API and the workers start', () => {
    const migration = project.inspect('db-migrate');
    expect(migration.State).toMatchObject({ Status: 'exited', ExitCode: 0 });
    expect(project.logs('db-migrate')).toBe('alembic stand-in: upgraded to head (standin0001)\n');
    const revision = project.exec('db', ['psql', '-U', 'appuser', '-d', 'myapp', '-tAc', 'SELECT version_num FROM alembic_version']);
    expect(revision.trim()).toBe('standin0001');
    const migrated = firstEvent(events, 'quickstart_db-migrate_1', 'die');
    const starts = events.filter((event) => event.Action === 'start' && ['backend', 'worker'].includes(event.Actor.Attributes['com.docker.compose.service']));
    expect(starts).toHaveLength(4);
    for (const start of starts) expect(start.timeNano).toBeGreaterThan(migrated);
  });

  it("applies the API's resource limits and requests as the engine's cgroup settings", () => {
    const { HostConfig } = project.inspect('backend');
    expect(HostConfig.NanoCpus).toBe(500_000_000);
    expect(HostConfig.Memory).toBe(512 * 1024 * 1024);
    expect(HostConfig.MemoryReservation).toBe(256 * 1024 * 1024);
  });

  it('runs three workers, each connected to Redis with its own heartbeat', async () => {
    const workers = project.containerIds('worker');
    expect(workers).toHaveLength(3);
    for (const id of workers) {
      await waitFor(`worker ${id} to connect`, () => (project.containerLogs(id).includes('connected to broker redis://redis:6379/0') ? true : undefined));
    }
    const heartbeats = await waitFor('three heartbeats', () => {
      const fields = project.exec('redis', ['redis-cli', 'hkeys', 'cdk-compose-e2e:workers']).trim().split('\n').filter(Boolean);
      return fields.length === 3 ? fields : undefined;
    });
    expect(new Set(heartbeats).size).toBe(3);
  });

  it('answers on port 8080 on loopback once the API is healthy', async () => {
    await waitFor('the API health check', () => (project.inspect('backend').State.Health?.Status === 'healthy' ? true : undefined));
    expect(await (await fetch('http://127.0.0.1:8080/docs')).text()).toBe('ok\n');
  });
});
