import { Mount, PostgresService, RedisService, Secret, Size, Stack, Testing, Volume } from '../../lib';
import { manifest } from '../support/manifests';
import { synthChecked } from '../support/synth-checked';

describe('a volume given at the data directory of a database', () => {
  it("keeps Postgres's data on that volume in the image's layout, and mounts the claim's pgdata folder on Kubernetes", () => {
    const out = synthChecked((stack) => {
      const data = new Volume(stack, 'db_data');
      new PostgresService(stack, 'db', {
        version: '15-alpine',
        password: Secret.fromEnv('POSTGRES_PASSWORD'),
        mounts: [Mount.volume(data, '/var/lib/postgresql/data')],
      });
    });
    const db = out.compose!.services.db as any;
    expect(db.volumes).toEqual(['db_data:/var/lib/postgresql/data']);
    expect(db.environment.PGDATA).toBeUndefined();
    expect(Object.keys(out.compose!.volumes!)).toEqual(['db_data']);
    const statefulSet = manifest(out, 'StatefulSet', 'db');
    expect(statefulSet.spec.volumeClaimTemplates).toBeUndefined();
    expect(statefulSet.spec.template.spec.containers[0].volumeMounts).toEqual([{ name: 'db-data', mountPath: '/var/lib/postgresql/data', subPath: 'pgdata' }]);
    expect(statefulSet.spec.template.spec.volumes).toEqual([{ name: 'db-data', persistentVolumeClaim: { claimName: 'db-data' } }]);
  });

  it('keeps a data directory given for a version whose default differs', () => {
    const out = synthChecked((stack) => {
      const data = new Volume(stack, 'pg');
      new PostgresService(stack, 'db', {
        version: 'latest',
        dataDirectory: '/var/lib/postgresql/data',
        password: Secret.fromEnv('POSTGRES_PASSWORD'),
        mounts: [Mount.volume(data, '/var/lib/postgresql/data')],
      });
    });
    expect((out.compose!.services.db as any).volumes).toEqual(['pg:/var/lib/postgresql/data']);
  });

  it('refuses a storage size or class that the given volume would silently replace, and says where the size goes', () => {
    const stack = new Stack(Testing.app(), 'shop');
    new PostgresService(stack, 'db', {
      version: '15-alpine',
      password: Secret.fromEnv('POSTGRES_PASSWORD'),
      storage: Size.gibibytes(50),
      mounts: [Mount.volume(new Volume(stack, 'db_data'), '/var/lib/postgresql/data')],
    });
    new RedisService(stack, 'cache', { storageClass: 'fast', mounts: [Mount.volume(new Volume(stack, 'redis_data'), '/data')] });

    expect(() => Testing.synth(stack)).toThrow(
      /\[shop\/db\] storage and storageClass size the built-in data volume, but the volume mounted at \/var\/lib\/postgresql\/data holds the data in its place; give the size and class to that Volume/,
    );
    expect(() => Testing.synth(stack)).toThrow(/\[shop\/cache\] storage and storageClass size the built-in data volume, but the volume mounted at \/data/);
  });

  it('sizes the claim from the Volume given at the data directory', () => {
    const out = synthChecked((stack) => {
      new PostgresService(stack, 'db', {
        version: '15-alpine',
        password: Secret.fromEnv('POSTGRES_PASSWORD'),
        mounts: [Mount.volume(new Volume(stack, 'db_data', { size: Size.gibibytes(50), storageClass: 'fast' }), '/var/lib/postgresql/data')],
      });
    });
    const claim = manifest(out, 'PersistentVolumeClaim', 'db-data');
    expect(claim.spec.resources.requests.storage).toBe('50Gi');
    expect(claim.spec.storageClassName).toBe('fast');
  });
});
