import { ChildProcess, spawn } from 'child_process';
import * as path from 'path';
import { App, Network, PostgresService, Secret, Stack, WebApp } from '../../lib';
import { composeV2 } from '../../lib/validate/compose-v2';
import { ComposeProject, synthesizeStack, waitFor, writeDotEnv } from './harness/compose-project';
import { dockerEnv } from './harness/engine';
import { describeOnEngine, stacksDir } from './harness/session';

const PASSWORD = 'e2e_cross_stack_pw';

/** The database stack, which creates the network the app stack joins. */
function defineData(app: App): { stack: Stack; db: PostgresService } {
  const stack = new Stack(app, 'xs-data');
  const db = new PostgresService(stack, 'db', {
    version: '15-alpine',
    password: Secret.fromEnv('POSTGRES_PASSWORD'),
    networks: [new Network(stack, 'xs-backend', { shared: true })],
  });
  return { stack, db };
}

/** The app stack: an API that connects to the other stack's database. */
function defineShop(app: App, db: PostgresService): Stack {
  const stack = new Stack(app, 'xs-shop');
  new WebApp(stack, 'api', { image: 'cdk-compose-e2e/web-app:latest', port: 8080, networks: [new Network(stack, 'xs-backend', { external: true })] }).connect(db, {
    env: 'DATABASE_URL',
  });
  return stack;
}

/**
 * A workload of one stack waits for a workload of another, on a real engine: brought up first,
 * the app stack's API does not start while the other stack's database is down; its one-shot
 * waiter says what it waits for; once the database stack is up, the waiter completes and the
 * API starts and connects.
 */
describeOnEngine('a workload waits for the workload of another stack it connects to', (engine) => {
  let data: ComposeProject;
  let shop: ComposeProject;
  let shopUp: ChildProcess | undefined;
  let shopUpExit: Promise<number | null>;

  beforeAll(() => {
    const outdir = stacksDir(engine);
    let db!: PostgresService;
    const dataDir = synthesizeStack(outdir, (app) => {
      const defined = defineData(app);
      db = defined.db;
      defineShop(app, db);
      return defined.stack;
    });
    const shopDir = path.join(outdir, 'xs-shop');
    writeDotEnv(dataDir, { POSTGRES_PASSWORD: PASSWORD });
    writeDotEnv(shopDir, { POSTGRES_PASSWORD: PASSWORD });
    data = new ComposeProject(engine, dataDir);
    shop = new ComposeProject(engine, shopDir);
    data.assertImagesLoaded();
    shop.assertImagesLoaded();
    // The data stack's network exists (its containers are created, not started), so that the
    // app stack can join it; the database itself is down.
    const created = data.compose('up', '--no-start');
    if (created.status !== 0) throw new Error(`docker compose up --no-start failed:\n${created.stderr}`);
    shopUp = spawn(composeV2().binary, ['up', '-d', '--no-build'], { cwd: shopDir, env: dockerEnv(engine), stdio: 'ignore' });
    shopUpExit = new Promise((resolve) => shopUp!.on('exit', resolve));
  }, 300_000);

  afterAll(() => {
    shopUp?.kill();
    shop?.compose('down', '--volumes', '--remove-orphans');
    data?.compose('down', '--volumes', '--remove-orphans');
  });

  it('does not start the API while the other stack is down, and its waiter says what it waits for', async () => {
    const line = await waitFor('the waiter to report', () => shop.hasContainer('wait-for-db') && shop.logs('wait-for-db').split('\n').find((l) => l.includes('waiting for db:5432')) || undefined, 60_000);
    expect(line).toContain('waiting for db:5432 of stack xs-data');
    // Several tries later the API is still not running.
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    expect(shop.hasContainer('api') ? shop.inspect('api').State.Status : 'not created').not.toBe('running');
  });

  it('starts the API once the other stack is up, and the API reaches its database', async () => {
    const started = data.compose('up', '-d', '--no-build');
    expect(started.status).toBe(0);

    expect(await shopUpExit).toBe(0);
    expect(shop.inspect('wait-for-db').State).toMatchObject({ Status: 'exited', ExitCode: 0 });
    const line = await waitFor('the API to connect', () => shop.logs('api').split('\n').find((l) => /connected to Postgres|cannot connect/.test(l)));
    expect(line).toMatch(/connected to Postgres at postgresql:\/\/app:\*\*\*@db:5432\/app as app on database app/);
  });
});
