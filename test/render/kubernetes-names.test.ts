import { PostgresService, Secret, Stack, Testing, Worker } from '../../lib';

describe('Compose names with _ on Kubernetes', () => {
  it('are renamed where they read as a host, and kept where a user, a database or a command word only shares them', () => {
    const stack = new Stack(Testing.app(), 'shop');
    new PostgresService(stack, 'db_1', { password: Secret.fromEnv('POSTGRES_PASSWORD') });
    new Worker(stack, 'report', {
      image: 'ghcr.io/acme/report:1.0.0',
      command: ['report', '--host', 'db_1', '--database', 'db_1'],
      env: { DB_HOST: 'db_1', DB_ADDR: 'db_1:5432', DATABASE_URL: 'postgres://app@db_1/app', DB_USER: 'db_1' },
    });

    const worker = Testing.synth(stack).manifests.find((m) => m.kind === 'Deployment' && m.metadata.name === 'report') as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    const container = worker.spec.template.spec.containers[0];
    const env = Object.fromEntries(container.env.map((e: { name: string; value: string }) => [e.name, e.value]));

    expect(env).toMatchObject({ DB_HOST: 'db-1', DB_ADDR: 'db-1:5432', DATABASE_URL: 'postgres://app@db-1/app', DB_USER: 'db_1' });
    expect(container.args ?? container.command).toEqual(['report', '--host', 'db-1', '--database', 'db_1']);
  });
});
