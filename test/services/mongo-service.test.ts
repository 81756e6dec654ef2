import { HealthCheck, MongoService, Secret, Size, Stack, Testing, Worker } from '../../lib';
import { manifest, container } from '../support/manifests';
import { synthChecked } from '../support/synth-checked';

function newStack() {
  return new Stack(Testing.app(), 'shop');
}

const REQUIRED = (name: string) => `\${${name}:?set ${name} in .env (see .env.example)}`;

const SECURED = {
  replicaSet: 'rs0',
  rootUsername: 'root',
  rootPassword: Secret.fromEnv('MONGO_ROOT_PASSWORD'),
  replicaSetKey: Secret.fromEnv('MONGO_REPLICA_SET_KEY'),
};

describe('MongoService', () => {
  it('renders a standalone server with a named data volume and a mongosh ping on Compose', () => {
    const stack = newStack();
    new MongoService(stack, 'mongo');

    const out = Testing.synth(stack);

    expect(out.compose!.services.mongo).toEqual({
      image: 'mongo:7.0',
      expose: ['27017'],
      volumes: ['mongo-data:/data/db'],
      healthcheck: {
        test: ['CMD', 'mongosh', '--quiet', '--eval', 'db.adminCommand("ping").ok'],
        interval: '10s',
        timeout: '10s',
        retries: 5,
        start_period: '30s',
      },
      restart: 'unless-stopped',
      user: '999:999',
      cap_drop: ['ALL'],
      security_opt: ['no-new-privileges:true'],
    });
    expect(out.compose!.volumes).toEqual({ 'mongo-data': {} });
  });

  it('runs as a StatefulSet with a headless Service and a claim of the given size, probing readiness with mongosh', () => {
    const stack = newStack();
    new MongoService(stack, 'mongo', { version: '8.0', storage: Size.gibibytes(20), storageClass: 'fast' });

    const out = Testing.synth(stack);

    const statefulSet = manifest(out, 'StatefulSet', 'mongo');
    expect(container(statefulSet).image).toBe('mongo:8.0');
    expect(container(statefulSet).args).toBeUndefined();
    expect(container(statefulSet).volumeMounts).toEqual([{ name: 'data', mountPath: '/data/db' }]);
    expect(statefulSet.spec.volumeClaimTemplates[0].spec).toEqual({
      accessModes: ['ReadWriteOnce'],
      storageClassName: 'fast',
      resources: { requests: { storage: '20Gi' } },
    });
    expect(container(statefulSet).readinessProbe).toEqual({
      exec: { command: ['mongosh', '--quiet', '--eval', 'db.adminCommand("ping").ok'] },
      periodSeconds: 10,
      timeoutSeconds: 10,
      failureThreshold: 5,
    });
    expect(container(statefulSet).startupProbe).toBeUndefined();
    const service = manifest(out, 'Service', 'mongo');
    expect(service.spec.clusterIP).toBe('None');
    expect(service.spec.ports).toEqual([{ name: 'mongodb', port: 27017, targetPort: 'mongodb', protocol: 'TCP' }]);
    expect(service.spec.publishNotReadyAddresses).toBeUndefined();
  });

  it('starts mongod with --replSet and --bind_ip_all and initiates the set from its health check, naming itself as the member', () => {
    const stack = newStack();
    new MongoService(stack, 'mongo-repl-1', { replicaSet: 'rs0' });

    const out = Testing.synth(stack);

    const script =
      'try { rs.status() } catch (e) { if (e.codeName !== "NotYetInitialized") throw e; ' +
      'rs.initiate({ _id: "rs0", members: [{ _id: 0, host: "mongo-repl-1:27017" }] }) }; quit(db.hello().isWritablePrimary ? 0 : 1)';
    const service = out.compose!.services['mongo-repl-1'];
    expect(service.command).toEqual(['mongod', '--replSet', 'rs0', '--bind_ip_all']);
    expect(service.healthcheck).toEqual({
      test: ['CMD', 'mongosh', '--quiet', '--eval', script],
      interval: '10s',
      timeout: '10s',
      retries: 5,
      start_period: '30s',
    });
    const statefulSet = manifest(out, 'StatefulSet', 'mongo-repl-1');
    expect(container(statefulSet).args).toEqual(['mongod', '--replSet', 'rs0', '--bind_ip_all']);
    expect(container(statefulSet).readinessProbe.exec.command).toEqual(['mongosh', '--quiet', '--eval', script]);
  });

  it('lets its name resolve before it is ready on Kubernetes, so that the member it initiates with is found', () => {
    const stack = newStack();
    new MongoService(stack, 'mongo-repl-1', { replicaSet: 'rs0' });

    const out = Testing.synth(stack);

    expect(manifest(out, 'Service', 'mongo-repl-1').spec).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true });
  });

  it('creates the root user from Secrets and writes the replica set key file before starting mongod through the image entrypoint', () => {
    const stack = newStack();
    new MongoService(stack, 'mongo', { ...SECURED, rootUsername: Secret.fromEnv('MONGO_ROOT_USER') });

    const out = Testing.synth(stack);

    const service: any = out.compose!.services.mongo;
    expect(service.environment).toEqual({
      MONGO_INITDB_ROOT_USERNAME: REQUIRED('MONGO_ROOT_USER'),
      MONGO_INITDB_ROOT_PASSWORD: REQUIRED('MONGO_ROOT_PASSWORD'),
      MONGO_REPLICA_SET_KEY: REQUIRED('MONGO_REPLICA_SET_KEY'),
    });
    expect(service.command).toEqual([
      'sh',
      '-c',
      `umask 077 && printf '%s\\n' "$$MONGO_REPLICA_SET_KEY" > /tmp/mongodb-keyfile && ` +
        'if [ "$$(id -u)" = 0 ]; then chown mongodb:mongodb /tmp/mongodb-keyfile; fi && ' +
        'exec docker-entrypoint.sh mongod --replSet rs0 --bind_ip_all --keyFile /tmp/mongodb-keyfile',
    ]);
    expect(service.healthcheck.test[0]).toBe('CMD-SHELL');
    expect(service.healthcheck.test[1]).toMatch(
      /^mongosh --quiet -u "\$\$MONGO_INITDB_ROOT_USERNAME" -p "\$\$MONGO_INITDB_ROOT_PASSWORD" --authenticationDatabase admin --eval 'try/,
    );
    const env = container(manifest(out, 'StatefulSet', 'mongo')).env;
    expect(env).toContainEqual({ name: 'MONGO_INITDB_ROOT_PASSWORD', valueFrom: { secretKeyRef: { name: 'shop-secrets', key: 'MONGO_ROOT_PASSWORD' } } });
    expect(env).toContainEqual({ name: 'MONGO_REPLICA_SET_KEY', valueFrom: { secretKeyRef: { name: 'shop-secrets', key: 'MONGO_REPLICA_SET_KEY' } } });
    expect(out.files['.env.example']).toMatch(/^MONGO_REPLICA_SET_KEY=$/m);
  });

  it('gives a consumer a mongodb:// URL with the replica set, and the credentials as Secret references', () => {
    const stack = newStack();
    const open = new MongoService(stack, 'mongo', { replicaSet: 'rs0' });
    const secured = new MongoService(stack, 'vault', { ...SECURED });
    new Worker(stack, 'worker', { image: 'acme/worker:1' }).connect(open).connect(secured, { env: 'VAULT_URI' });

    const out = Testing.synth(stack);

    expect(out.compose!.services.worker.environment).toEqual({
      MONGODB_URI: 'mongodb://mongo:27017/?replicaSet=rs0',
      VAULT_URI: `mongodb://root:${REQUIRED('MONGO_ROOT_PASSWORD')}@vault:27017/?replicaSet=rs0`,
    });
    expect(container(manifest(out, 'Deployment', 'worker')).env).toContainEqual({
      name: 'VAULT_URI',
      value: 'mongodb://root:$(MONGO_ROOT_PASSWORD)@vault:27017/?replicaSet=rs0',
    });
    expect(out.compose!.services.worker.depends_on).toEqual({
      mongo: { condition: 'service_healthy' },
      vault: { condition: 'service_healthy' },
    });
  });

  it('gives a standalone server a URL without a replica set, with the scheme asked for', () => {
    const stack = newStack();
    const mongo = new MongoService(stack, 'mongo');

    expect(mongo.connectionEnv({})).toEqual({ MONGODB_URI: 'mongodb://mongo:27017' });
    expect(mongo.connectionEnv({ env: 'DB', scheme: 'mongodb+srv' })).toEqual({ DB: 'mongodb+srv://mongo:27017' });
  });

  it('publishes the port on Compose only, with a note for Kubernetes', () => {
    const stack = newStack();
    new MongoService(stack, 'mongo', { hostPort: 27017 });

    const out = Testing.synth(stack);

    expect(out.compose!.services.mongo.ports).toEqual(['27017:27017']);
    expect(out.messages).toContainEqual(expect.objectContaining({ level: 'info', path: 'shop/mongo', message: expect.stringMatching(/host port 27017 is published on Compose only/) }));
  });

  it('uses a health check given instead of the built-in one', () => {
    const stack = newStack();
    new MongoService(stack, 'mongo', { replicaSet: 'rs0', healthCheck: HealthCheck.tcp() });

    const out = Testing.synth(stack);

    expect((out.compose!.services.mongo as any).healthcheck.test).toEqual(['CMD', 'nc', '-z', '127.0.0.1', '27017']);
  });

  it('checks health with the legacy mongo shell before 5.0, which has no mongosh, and mongosh from 5.0', () => {
    const stack = newStack();
    new MongoService(stack, 'old', { version: '4.4' });
    new MongoService(stack, 'current', { version: '5.0' });

    const out = Testing.synth(stack);

    expect((out.compose!.services.old as any).healthcheck.test).toEqual(['CMD', 'mongo', '--quiet', '--eval', 'db.adminCommand("ping").ok']);
    expect((out.compose!.services.current as any).healthcheck.test).toEqual(['CMD', 'mongosh', '--quiet', '--eval', 'db.adminCommand("ping").ok']);
    expect(out.messages.filter((m) => /mongosh/.test(m.message))).toEqual([]);
  });

  it('percent-encodes a root user given as text in the URL, on both targets, and passes the real tools', () => {
    const out = synthChecked((stack) => {
      const mongo = new MongoService(stack, 'mongo', { rootUsername: 'ops@corp/1', rootPassword: Secret.fromEnv('MONGO_ROOT_PASSWORD') });
      new Worker(stack, 'worker', { image: 'acme/worker:1' }).connect(mongo);
    });

    expect(out.compose!.services.worker.environment).toEqual({
      MONGODB_URI: `mongodb://ops%40corp%2F1:${REQUIRED('MONGO_ROOT_PASSWORD')}@mongo:27017`,
    });
    expect(container(manifest(out, 'Deployment', 'worker')).env).toContainEqual({
      name: 'MONGODB_URI',
      value: 'mongodb://ops%40corp%2F1:$(MONGO_ROOT_PASSWORD)@mongo:27017',
    });
    expect((out.compose!.services.mongo.environment as Record<string, string>).MONGO_INITDB_ROOT_USERNAME).toBe('ops@corp/1');
  });

  it('passes the Compose schema, docker-compose config, the Kubernetes schemas and kubectl kustomize', () => {
    synthChecked((stack) => {
      const mongo = new MongoService(stack, 'mongo', { ...SECURED, hostPort: 27017 });
      new MongoService(stack, 'plain');
      new Worker(stack, 'worker', { image: 'acme/worker:1' }).connect(mongo);
    }, 'mongo-check');
  });

  describe('fails on bad input', () => {
    const synthOf = (props: object) => {
      const stack = newStack();
      new MongoService(stack, 'mongo', props as never);
      return () => Testing.synth(stack);
    };

    it('fails when the replica set name is not one', () => {
      expect(synthOf({ replicaSet: 'rs 0' })).toThrow(/\[shop\/mongo\] replicaSet "rs 0" is not a replica set name; use letters, digits/);
    });

    it('fails when only one of the root credentials is given', () => {
      expect(synthOf({ rootPassword: Secret.fromEnv('P') })).toThrow(/\[shop\/mongo\] has rootPassword without rootUsername; the image refuses one without the other/);
      expect(synthOf({ rootUsername: 'root' })).toThrow(/\[shop\/mongo\] has rootUsername without rootPassword/);
    });

    it('fails when the root password is a plain string', () => {
      expect(synthOf({ rootUsername: 'root', rootPassword: 'hunter2' })).toThrow(
        /\[shop\/mongo\] rootPassword must be a Secret, got a literal string; use Secret\.fromEnv\('MONGO_ROOT_PASSWORD'\)/,
      );
    });

    it('fails when the root user name is empty', () => {
      expect(synthOf({ rootUsername: '', rootPassword: Secret.fromEnv('P') })).toThrow(/rootUsername must be a non-empty string or a Secret, got ""/);
    });

    it('fails when a replica set with access control has no key', () => {
      expect(synthOf({ replicaSet: 'rs0', rootUsername: 'root', rootPassword: Secret.fromEnv('P') })).toThrow(
        /\[shop\/mongo\] runs a replica set with access control, which mongod refuses without a key file; add replicaSetKey/,
      );
    });

    it('fails when a key is given that nothing uses', () => {
      expect(synthOf({ replicaSet: 'rs0', replicaSetKey: Secret.fromEnv('K') })).toThrow(/\[shop\/mongo\] has a replicaSetKey, which only a replica set with root credentials uses/);
    });

    it('fails when the key is a plain string', () => {
      expect(synthOf({ ...SECURED, replicaSetKey: 'abc' })).toThrow(/replicaSetKey must be a Secret, got a literal string/);
    });

    it('fails when a consumer asks for a database number', () => {
      const stack = newStack();
      const mongo = new MongoService(stack, 'mongo');
      new Worker(stack, 'worker', { image: 'acme/worker:1' }).connect(mongo, { database: 2 });
      expect(() => Testing.synth(stack)).toThrow(/\[shop\/worker\] connect\(mongo\): MongoDB has no numbered databases \(database: 2\)/);
    });

    it('fails when the storage size is not positive', () => {
      expect(synthOf({ storage: Size.gibibytes(0) })).toThrow(/\[shop\/mongo\] storage: a size must be a positive number/);
    });
  });
});
