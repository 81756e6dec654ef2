import { PostgresService, Secret, Size, Stack, Testing } from '../../lib';
import { manifest } from '../support/manifests';

describe('PostgresService with ephemeral data', () => {
  it('keeps the data on a tmpfs on Compose, with no named volume', () => {
    const stack = new Stack(Testing.app(), 'shop');
    new PostgresService(stack, 'db', { password: Secret.fromEnv('POSTGRES_PASSWORD'), ephemeral: true });

    const out = Testing.synth(stack);

    const db = out.compose!.services.db;
    expect(db.tmpfs).toEqual(['/var/lib/postgresql/data']);
    expect(db.volumes).toBeUndefined();
    expect(out.compose!.volumes).toBeUndefined();
    expect((db.environment as Record<string, string>).PGDATA).toBe('/var/lib/postgresql/data/pgdata');
  });

  it('runs as a Deployment with an in-memory emptyDir and no claim on Kubernetes', () => {
    const stack = new Stack(Testing.app(), 'shop');
    new PostgresService(stack, 'db', { password: Secret.fromEnv('POSTGRES_PASSWORD'), ephemeral: true });

    const out = Testing.synth(stack);

    const deployment = manifest(out, 'Deployment', 'db');
    expect(deployment.spec.template.spec.volumes).toEqual([{ name: 'tmp-var-lib-postgresql-data', emptyDir: { medium: 'Memory' } }]);
    expect(deployment.spec.template.spec.containers[0].volumeMounts).toEqual([
      { name: 'tmp-var-lib-postgresql-data', mountPath: '/var/lib/postgresql/data' },
    ]);
    expect(out.manifests.filter((m) => m.kind === 'StatefulSet' || m.kind === 'PersistentVolumeClaim')).toEqual([]);
    expect(manifest(out, 'Service', 'db').spec.type).toBe('ClusterIP');
  });

  it('puts the tmpfs where Postgres 18 keeps its data', () => {
    const stack = new Stack(Testing.app(), 'shop');
    new PostgresService(stack, 'db', { version: '18-alpine', password: Secret.fromEnv('POSTGRES_PASSWORD'), ephemeral: true });

    expect(Testing.synth(stack).compose!.services.db.tmpfs).toEqual(['/var/lib/postgresql']);
  });

  it('fails when a storage size is given for ephemeral data', () => {
    const stack = new Stack(Testing.app(), 'shop');
    new PostgresService(stack, 'db', { password: Secret.fromEnv('POSTGRES_PASSWORD'), ephemeral: true, storage: Size.gibibytes(5) });

    expect(() => Testing.synth(stack)).toThrow(/\[shop\/db\] storage and storageClass size a volume, but ephemeral keeps the data in memory/);
  });
});
