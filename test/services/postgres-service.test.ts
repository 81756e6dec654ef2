import { HealthCheck, PostgresService, Secret, Size, Stack, SynthesizedStack, Testing, WebApp } from '../../lib';
import { container } from '../support/manifests';
import { synthChecked } from '../support/synth-checked';

type Manifest = SynthesizedStack['manifests'][number];

/** The object of `kind` named `name`; fails the test when there is none. */
function manifest(out: SynthesizedStack, kind: string, name: string): any {
  const found = out.manifests.find((m: Manifest) => m.kind === kind && m.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} among ${out.manifests.map((m) => `${m.kind}/${m.metadata.name}`).join(', ')}`);
  return found;
}

function newStack() {
  const app = Testing.app();
  return new Stack(app, 'shop');
}

describe('PostgresService', () => {
  it('renders a Compose service with a named data volume and pg_isready', () => {
    const stack = newStack();
    new PostgresService(stack, 'db', { password: Secret.fromEnv('POSTGRES_PASSWORD'), database: 'orders', user: 'shop' });

    const out = Testing.synth(stack);

    expect(out.compose!.services.db).toEqual({
      image: 'postgres:16-alpine',
      environment: {
        POSTGRES_DB: 'orders',
        POSTGRES_USER: 'shop',
        POSTGRES_PASSWORD: '${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env (see .env.example)}',
        PGDATA: '/var/lib/postgresql/data/pgdata',
      },
      expose: ['5432'],
      volumes: ['db-data:/var/lib/postgresql/data'],
      healthcheck: {
        test: ['CMD', 'pg_isready', '-U', 'shop', '-d', 'orders'],
        interval: '10s',
        timeout: '5s',
        retries: 5,
      },
      restart: 'unless-stopped',
      user: '70:70',
      cap_drop: ['ALL'],
      security_opt: ['no-new-privileges:true'],
    });
    expect(out.compose!.volumes).toEqual({ 'db-data': {} });
  });

  it('renders a StatefulSet with a headless Service and a claim of the given size and storage class', () => {
    const stack = newStack();
    new PostgresService(stack, 'db', {
      password: Secret.fromEnv('POSTGRES_PASSWORD'),
      storage: Size.gibibytes(10),
      storageClass: 'fast-ssd',
    });

    const out = Testing.synth(stack);

    const statefulSet = manifest(out, 'StatefulSet', 'db');
    expect(statefulSet.spec.serviceName).toBe('db');
    expect(statefulSet.spec.replicas).toBe(1);
    expect(statefulSet.spec.volumeClaimTemplates).toEqual([
      {
        metadata: { name: 'data' },
        spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'fast-ssd', resources: { requests: { storage: '10Gi' } } },
      },
    ]);
    expect(container(statefulSet).volumeMounts).toEqual([{ name: 'data', mountPath: '/var/lib/postgresql/data' }]);

    const service = manifest(out, 'Service', 'db');
    expect(service.spec.clusterIP).toBe('None');
    expect(service.spec.ports).toEqual([{ name: 'postgres', port: 5432, targetPort: 'postgres', protocol: 'TCP' }]);
    expect(out.manifests.some((m) => m.kind === 'Deployment')).toBe(false);
    expect(out.manifests.some((m) => m.kind === 'PersistentVolumeClaim')).toBe(false);
  });

  it('claims 1Gi from the default storage class when no storage is given', () => {
    const stack = newStack();
    new PostgresService(stack, 'db', { password: Secret.fromEnv('POSTGRES_PASSWORD') });

    const claim = manifest(Testing.synth(stack), 'StatefulSet', 'db').spec.volumeClaimTemplates[0];

    expect(claim.spec).toEqual({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } });
  });

  it('probes readiness with pg_isready on Kubernetes, and restarts nothing on a failed check', () => {
    const stack = newStack();
    new PostgresService(stack, 'db', { password: Secret.fromEnv('POSTGRES_PASSWORD'), database: 'orders', user: 'shop' });

    const db = container(manifest(Testing.synth(stack), 'StatefulSet', 'db'));

    const probe = {
      exec: { command: ['pg_isready', '-U', 'shop', '-d', 'orders'] },
      periodSeconds: 10,
      timeoutSeconds: 5,
      failureThreshold: 5,
    };
    expect(db.readinessProbe).toEqual(probe);
    expect(db.livenessProbe).toBeUndefined();
    expect(db.startupProbe).toBeUndefined();
  });

  it('reads the password from the generated Secret on Kubernetes', () => {
    const stack = newStack();
    new PostgresService(stack, 'db', { password: Secret.fromEnv('DB_PASSWORD') });

    const out = Testing.synth(stack);

    expect(container(manifest(out, 'StatefulSet', 'db')).env).toContainEqual({
      name: 'POSTGRES_PASSWORD',
      valueFrom: { secretKeyRef: { name: 'shop-secrets', key: 'DB_PASSWORD' } },
    });
    expect(out.kustomization!.secretGenerator).toEqual([{ name: 'shop-secrets', envs: ['.env'] }]);
    expect(out.files['.env.example']).toMatch(/^DB_PASSWORD=$/m);
  });

  it('never writes the password into any output file', () => {
    // GIVEN a password that is present in the environment of the process that synthesizes
    const value = 'Very-Secret-Value-4711';
    const previous = process.env.DB_PASSWORD;
    process.env.DB_PASSWORD = value;
    try {
      const stack = newStack();
      const db = new PostgresService(stack, 'db', { password: Secret.fromEnv('DB_PASSWORD') });
      new WebApp(stack, 'web', { image: 'ghcr.io/acme/web:1.0.0', port: 8080 }).connect(db, { env: 'DATABASE_URL' }).connect(db);

      // WHEN
      const out = Testing.synth(stack);

      // THEN no file contains it, in any of them
      expect(Object.keys(out.files).length).toBeGreaterThan(3);
      for (const [file, text] of Object.entries(out.files)) {
        expect({ file, leaks: text.includes(value) }).toEqual({ file, leaks: false });
      }
    } finally {
      if (previous === undefined) delete process.env.DB_PASSWORD;
      else process.env.DB_PASSWORD = previous;
    }
  });

  it('keeps the data one level below the mount point before Postgres 18', () => {
    const stack = newStack();
    new PostgresService(stack, 'db', { version: '17.2-bookworm', password: Secret.fromEnv('POSTGRES_PASSWORD') });

    const out = Testing.synth(stack);

    expect(out.compose!.services.db.image).toBe('postgres:17.2-bookworm');
    expect(out.compose!.services.db.volumes).toEqual(['db-data:/var/lib/postgresql/data']);
    expect((out.compose!.services.db.environment as Record<string, string>).PGDATA).toBe('/var/lib/postgresql/data/pgdata');
    const db = container(manifest(out, 'StatefulSet', 'db'));
    expect(db.volumeMounts).toEqual([{ name: 'data', mountPath: '/var/lib/postgresql/data' }]);
    expect(db.env).toContainEqual({ name: 'PGDATA', value: '/var/lib/postgresql/data/pgdata' });
  });

  it('mounts /var/lib/postgresql and leaves PGDATA to the image from Postgres 18 on', () => {
    const stack = newStack();
    new PostgresService(stack, 'db', { version: '18-alpine', password: Secret.fromEnv('POSTGRES_PASSWORD') });

    const out = Testing.synth(stack);

    expect(out.compose!.services.db.volumes).toEqual(['db-data:/var/lib/postgresql']);
    expect(out.compose!.services.db.environment).not.toHaveProperty('PGDATA');
    const db = container(manifest(out, 'StatefulSet', 'db'));
    expect(db.volumeMounts).toEqual([{ name: 'data', mountPath: '/var/lib/postgresql' }]);
    expect(db.env.map((e: { name: string }) => e.name)).not.toContain('PGDATA');
  });

  it('publishes the port on Compose only, with a note for Kubernetes', () => {
    const stack = newStack();
    new PostgresService(stack, 'db', { password: Secret.fromEnv('POSTGRES_PASSWORD'), hostPort: 15432 });

    const out = Testing.synth(stack);

    expect(out.compose!.services.db.ports).toEqual(['15432:5432']);
    expect(JSON.stringify(manifest(out, 'StatefulSet', 'db'))).not.toMatch(/hostPort/);
    expect(out.messages).toContainEqual({
      level: 'info',
      path: 'shop/db',
      message: expect.stringMatching(/host port 15432 is published on Compose only/),
    });
  });

  it('uses a health check given instead of pg_isready', () => {
    const stack = newStack();
    new PostgresService(stack, 'db', {
      password: Secret.fromEnv('POSTGRES_PASSWORD'),
      healthCheck: HealthCheck.shell('pg_isready -h 127.0.0.1'),
    });

    const out = Testing.synth(stack);

    expect((out.compose!.services.db.healthcheck as Record<string, unknown>).test).toEqual(['CMD-SHELL', 'pg_isready -h 127.0.0.1']);
    expect(container(manifest(out, 'StatefulSet', 'db')).readinessProbe.exec).toEqual({
      command: ['sh', '-c', 'pg_isready -h 127.0.0.1'],
    });
  });

  it('gives a consumer libpq variables on both targets', () => {
    const stack = newStack();
    const db = new PostgresService(stack, 'db', { password: Secret.fromEnv('POSTGRES_PASSWORD'), database: 'orders', user: 'shop' });
    new WebApp(stack, 'web', { image: 'ghcr.io/acme/web:1.0.0', port: 8080 }).connect(db);

    const out = Testing.synth(stack);

    expect(out.compose!.services.web.environment).toEqual({
      PGHOST: 'db',
      PGPORT: '5432',
      PGUSER: 'shop',
      PGPASSWORD: '${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env (see .env.example)}',
      PGDATABASE: 'orders',
    });
    expect(out.compose!.services.web.depends_on).toEqual({ db: { condition: 'service_healthy' } });
    const env = container(manifest(out, 'Deployment', 'web')).env;
    expect(env).toEqual(
      expect.arrayContaining([
        { name: 'PGPASSWORD', valueFrom: { secretKeyRef: { name: 'shop-secrets', key: 'POSTGRES_PASSWORD' } } },
        { name: 'PGHOST', value: 'db' },
        { name: 'PGPORT', value: '5432' },
        { name: 'PGUSER', value: 'shop' },
        { name: 'PGDATABASE', value: 'orders' },
      ]),
    );
    expect(env).toHaveLength(5);
  });

  it('gives a consumer a URL in the variable it names, with the scheme it asks for', () => {
    const stack = newStack();
    const db = new PostgresService(stack, 'db', { password: Secret.fromEnv('POSTGRES_PASSWORD'), database: 'orders', user: 'shop' });
    new WebApp(stack, 'web', { image: 'ghcr.io/acme/web:1.0.0', port: 8080 }).connect(db, {
      env: 'DATABASE_URL',
      scheme: 'postgresql+asyncpg',
    });

    const out = Testing.synth(stack);

    expect(out.compose!.services.web.environment).toEqual({
      DATABASE_URL: 'postgresql+asyncpg://shop:${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env (see .env.example)}@db:5432/orders',
    });
    expect(container(manifest(out, 'Deployment', 'web')).env).toEqual([
      { name: 'POSTGRES_PASSWORD', valueFrom: { secretKeyRef: { name: 'shop-secrets', key: 'POSTGRES_PASSWORD' } } },
      { name: 'DATABASE_URL', value: 'postgresql+asyncpg://shop:$(POSTGRES_PASSWORD)@db:5432/orders' },
    ]);
  });

  it('percent-encodes the user and the database in the URL, on both targets, and passes the real tools', () => {
    const out = synthChecked((stack) => {
      const db = new PostgresService(stack, 'db', { password: Secret.fromEnv('POSTGRES_PASSWORD'), user: 'me@corp', database: 'a/b $x' });
      new WebApp(stack, 'web', { image: 'ghcr.io/acme/web:1.0.0', port: 8080 }).connect(db, { env: 'DATABASE_URL' });
    });

    const composeUrl = (out.compose!.services.web.environment as Record<string, string>).DATABASE_URL;
    expect(composeUrl).toBe('postgresql://me%40corp:${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env (see .env.example)}@db:5432/a%2Fb%20%24x');
    expect(container(manifest(out, 'Deployment', 'web')).env).toContainEqual({
      name: 'DATABASE_URL',
      value: 'postgresql://me%40corp:$(POSTGRES_PASSWORD)@db:5432/a%2Fb%20%24x',
    });
    // With a password that needs no encoding, the URL reads back as the user and database given.
    const url = new URL(composeUrl.replace(/\$\{POSTGRES_PASSWORD[^}]*\}/, 'pw'));
    expect([decodeURIComponent(url.username), url.hostname, decodeURIComponent(url.pathname.slice(1))]).toEqual(['me@corp', 'db', 'a/b $x']);
    // The server itself gets them as they are.
    expect(out.compose!.services.db.environment).toMatchObject({ POSTGRES_USER: 'me@corp', POSTGRES_DB: 'a/b $$x' });
  });

  it('waits for the database port in an init container of each consumer on Kubernetes', () => {
    const stack = newStack();
    const db = new PostgresService(stack, 'db', { password: Secret.fromEnv('POSTGRES_PASSWORD') });
    new WebApp(stack, 'web', { image: 'ghcr.io/acme/web:1.0.0', port: 8080 }).connect(db);

    const init = manifest(Testing.synth(stack), 'Deployment', 'web').spec.template.spec.initContainers;

    expect(init).toHaveLength(1);
    expect(init[0].name).toBe('wait-for-db');
    expect(init[0].image).toBe('busybox:1.36');
    expect(init[0].command).toEqual(['sh', '-c', expect.stringContaining('nc -z -w 2 db 5432')]);
  });

  it('writes the password in plain text only with Secret.unsafePlainText, and warns', () => {
    const stack = newStack();
    new PostgresService(stack, 'db', { password: Secret.unsafePlainText('local-only-pw') });

    const out = Testing.synth(stack);

    expect((out.compose!.services.db.environment as Record<string, string>).POSTGRES_PASSWORD).toBe('local-only-pw');
    expect(container(manifest(out, 'StatefulSet', 'db')).env).toContainEqual({ name: 'POSTGRES_PASSWORD', value: 'local-only-pw' });
    expect(out.messages).toContainEqual({
      level: 'warning',
      path: 'shop/db',
      message: expect.stringMatching(/POSTGRES_PASSWORD holds a secret written in plain text/),
    });
  });

  it('fails when the password is a plain string', () => {
    const stack = newStack();
    new PostgresService(stack, 'db', { password: 'hunter2' as unknown as Secret });

    expect(() => Testing.synth(stack)).toThrow(/\[shop\/db\] password must be a Secret, got a literal string; use Secret\.fromEnv\('POSTGRES_PASSWORD'\)/);
  });

  it('fails when the storage size is not positive', () => {
    const stack = newStack();
    new PostgresService(stack, 'db', { password: Secret.fromEnv('POSTGRES_PASSWORD'), storage: Size.gibibytes(-1) });

    expect(() => Testing.synth(stack)).toThrow(/\[shop\/db\] storage: a size must be a positive number, got -1 gibibytes/);
  });
});
