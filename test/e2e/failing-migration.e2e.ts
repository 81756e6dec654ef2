import { App, HealthCheck, MigrationJob, PostgresService, RedisService, Secret, Stack, WebApp, Worker } from '../../lib';
import { ComposeProject, firstEvent, serviceOf, synthesizeStack, writeDotEnv } from './harness/compose-project';
import { describeOnEngine, stacksDir } from './harness/session';

const APP_IMAGE = 'cdk-compose-e2e/web-app:latest';

/**
 * A chain of one-shot jobs: a seed step that succeeds, then a migration that fails as a real one
 * does (it reaches the database, then a statement fails), then the app and worker behind it.
 */
function defineFailingMigration(app: App): Stack {
  const stack = new Stack(app, 'e2e-failing-migration');
  const db = new PostgresService(stack, 'db', { version: '16-alpine', password: Secret.fromEnv('POSTGRES_PASSWORD') });
  const redis = new RedisService(stack, 'redis', { version: '7-alpine' });
  const seed = new MigrationJob(stack, 'seed', { image: 'busybox:1.36', command: ['sh', '-c', 'echo "seed files in place"'] });
  const migrate = new MigrationJob(stack, 'migrate', {
    image: 'postgres:16-alpine',
    command: ['sh', '-c', 'psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -c "ALTER TABLE missing_table ADD COLUMN c int" || exit 1'],
    after: [seed],
  }).connect(db, { env: 'DATABASE_URL' });
  new WebApp(stack, 'api', { image: APP_IMAGE, port: 8080, healthCheck: HealthCheck.http('/health'), after: [migrate] }).connect(db, {
    env: 'DATABASE_URL',
  });
  new Worker(stack, 'worker', { image: APP_IMAGE, command: ['celery', '-A', 'app', 'worker'], after: [migrate] })
    .connect(db, { env: 'DATABASE_URL' })
    .connect(redis, { env: 'CELERY_BROKER_URL' });
  return stack;
}

describeOnEngine('a failing migration on a real engine', (engine) => {
  let project: ComposeProject;
  let up: { status: number; output: string };
  let since: Date;

  beforeAll(() => {
    const dir = synthesizeStack(stacksDir(engine), defineFailingMigration);
    writeDotEnv(dir, { POSTGRES_PASSWORD: 'e2e_pw_failing' });
    project = new ComposeProject(engine, dir);
    project.assertImagesLoaded();
    since = new Date();
    const result = project.compose('up', '-d', '--no-build');
    up = { status: result.status, output: result.stderr + result.stdout };
  });

  afterAll(() => {
    project?.compose('down', '--volumes', '--remove-orphans');
  });

  it("makes `docker compose up` fail, naming the migration and its exit code", () => {
    expect(up.status).not.toBe(0);
    expect(up.output).toContain('service "migrate" didn\'t complete successfully: exit 1');
  });

  it('ran the migration once, after the database was healthy and the seed job exited 0, and it exited 1', () => {
    const events = project.events(since, new Date());
    const migrationStarted = firstEvent(events, 'migrate', 'start');
    expect(migrationStarted).toBeGreaterThan(firstEvent(events, 'db', 'health_status: healthy'));
    expect(migrationStarted).toBeGreaterThan(firstEvent(events, 'seed', 'die'));
    expect(project.inspect('seed').State).toMatchObject({ Status: 'exited', ExitCode: 0 });
    expect(project.logs('seed')).toBe('seed files in place\n');
    const migration = project.inspect('migrate');
    expect(migration.State).toMatchObject({ Status: 'exited', ExitCode: 1 });
    expect(migration.RestartCount).toBe(0);
    expect(project.logs('migrate')).toContain('relation "missing_table" does not exist');
  });

  it('never starts the web app or the worker that wait for it', () => {
    const events = project.events(since, new Date());
    for (const service of ['api', 'worker']) {
      const started = events.filter((event) => event.Action === 'start' && serviceOf(event) === service);
      expect(started).toEqual([]);
      if (project.hasContainer(service)) expect(project.inspect(service).State.Status).toBe('created');
    }
  });
});
