import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, SynthesizedStack, Testing } from '../../lib';
import { NETWORK, RELEASE, SrvthredsEnvironment, defineSrvthreds } from '../../examples/srvthreds/app';
import { checkStackOutput } from '../support/real-tools';

type AnyRecord = Record<string, any>;
const ENVIRONMENTS: SrvthredsEnvironment[] = ['dev', 'prod'];
const APP_SERVICES = ['srvthreds-engine', 'srvthreds-session-agent', 'srvthreds-persistence-agent'];
const REQUIRED = (name: string) => `\${${name}:?set ${name} in .env (see .env.example)}`;

function find(out: SynthesizedStack, kind: string, name: string): AnyRecord {
  // A Job's name carries a digest of its spec; its workload name is in its labels.
  const found = out.manifests.find((o) => o.kind === kind && (o.metadata.name === name || o.metadata.labels?.['app.kubernetes.io/name'] === name));
  if (!found) throw new Error(`no ${kind} ${name} in ${out.manifests.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`);
  return found as AnyRecord;
}

function podSpec(object: AnyRecord): AnyRecord {
  return object.spec.template.spec;
}

function mainContainer(object: AnyRecord): AnyRecord {
  return podSpec(object).containers[0];
}

describe('the srvthreds example', () => {
  let outdir: string;
  const infra = {} as Record<SrvthredsEnvironment, SynthesizedStack>;
  const apps = {} as Record<SrvthredsEnvironment, SynthesizedStack>;

  beforeAll(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdkc-srvthreds-'));
    const app = new App({ outdir, printSummary: false });
    const stacks = { dev: defineSrvthreds(app, 'dev'), prod: defineSrvthreds(app, 'prod') };
    app.synth();
    for (const environment of ENVIRONMENTS) {
      infra[environment] = Testing.synth(stacks[environment][0]);
      apps[environment] = Testing.synth(stacks[environment][1]);
    }
  });

  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  const STACKS = ENVIRONMENTS.flatMap((environment) => [`srvthreds-infra-${environment}`, `srvthreds-app-${environment}`]);

  it.each(STACKS)('passes the Compose schema, docker-compose config, the Kubernetes schemas and kubectl kustomize (%s)', (stack) => {
    expect(() => checkStackOutput(path.join(outdir, stack))).not.toThrow();
  });

  it.each(ENVIRONMENTS)('matches the snapshot (srvthreds-infra-%s)', (environment) => {
    expect(infra[environment].files).toMatchSnapshot();
  });

  it.each(ENVIRONMENTS)('matches the snapshot (srvthreds-app-%s)', (environment) => {
    expect(apps[environment].files).toMatchSnapshot();
  });

  describe.each(ENVIRONMENTS)('srvthreds-%s', (environment) => {
    const infraServices = () => infra[environment].compose!.services as AnyRecord;
    const appServices = () => apps[environment].compose!.services as AnyRecord;
    const dev = environment === 'dev';

    it('runs MongoDB as the single-node replica set rs0, bound to all interfaces, on both targets', () => {
      const command = infraServices()['mongo-repl-1'].command.join(' ');
      const args = mainContainer(find(infra[environment], 'StatefulSet', 'mongo-repl-1')).args.join(' ');
      for (const rendered of [command, args]) {
        expect(rendered).toContain('mongod --replSet rs0 --bind_ip_all');
      }
      expect(mainContainer(find(infra[environment], 'StatefulSet', 'mongo-repl-1')).volumeMounts).toEqual([{ name: 'data', mountPath: '/data/db' }]);
      expect(find(infra[environment], 'Service', 'mongo-repl-1').spec).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true });
    });

    it('checks MongoDB with mongosh every 10s with a 30s grace, initiating the set with its own name', () => {
      const check = infraServices()['mongo-repl-1'].healthcheck;
      expect(check).toMatchObject({ interval: '10s', timeout: '10s', retries: 5, start_period: '30s' });
      expect(check.test.join(' ')).toContain('rs.initiate({ _id: "rs0", members: [{ _id: 0, host: "mongo-repl-1:27017" }] })');
      const container = mainContainer(find(infra[environment], 'StatefulSet', 'mongo-repl-1'));
      expect(container.readinessProbe).toMatchObject({ periodSeconds: 10, timeoutSeconds: 10, failureThreshold: 5 });
      expect(container.startupProbe).toBeUndefined();
    });

    it('saves Redis snapshots every 20s after one change, with keyspace notifications KA and warning logs, on both targets', () => {
      const flags = '--save 20 1 --appendonly no --notify-keyspace-events KA --loglevel warning';
      const unquote = (words: string[]) => words.join(' ').replace(/'/g, '');
      expect(unquote(infraServices().redis.command)).toContain(flags);
      expect(unquote(mainContainer(find(infra[environment], 'StatefulSet', 'redis')).args)).toContain(flags);
      expect(infraServices().redis.volumes).toEqual(['redis-data:/data']);
    });

    it('runs RabbitMQ with its management UI and a real user, never guest', () => {
      expect(infraServices().rabbitmq.image).toBe('rabbitmq:3.13-management');
      expect(infraServices().rabbitmq.environment).toEqual({
        RABBITMQ_DEFAULT_USER: 'srvthreds',
        RABBITMQ_DEFAULT_PASS: REQUIRED('RABBITMQ_PASSWORD'),
        RABBITMQ_NODENAME: 'rabbit@localhost',
      });
      expect(find(infra[environment], 'Service', 'rabbitmq').spec.ports.map((p: AnyRecord) => `${p.name}:${p.port}`)).toEqual(['amqp:5672', 'management:15672']);
      expect(infraServices().rabbitmq.volumes).toEqual(['rabbitmq-data:/var/lib/rabbitmq']);
    });

    it(dev ? 'publishes every seed port on the developer machine' : 'publishes no database or application port', () => {
      const published = (services: AnyRecord) =>
        Object.fromEntries(Object.entries(services).flatMap(([name, s]) => (s.ports ? [[name, s.ports]] : [])));
      expect({ ...published(infraServices()), ...published(appServices()) }).toEqual(
        dev
          ? {
              'mongo-repl-1': ['27017:27017'],
              redis: ['6379:6379'],
              rabbitmq: ['5672:5672', '15672:15672'],
              'srvthreds-engine': ['8082:8082'],
              'srvthreds-session-agent': ['3000:3000', '3001:3001'],
            }
          : {},
      );
    });

    it('creates the bridge network srvthreds-net in the infrastructure project and joins it as external in the application project', () => {
      expect(infra[environment].compose!.networks).toEqual({ [NETWORK]: { name: NETWORK } });
      expect(apps[environment].compose!.networks).toEqual({ [NETWORK]: { external: true } });
      for (const service of [...Object.values(infraServices()), ...Object.values(appServices())]) {
        if (service.profiles) continue; // the builder is only built
        expect(service.networks).toEqual([NETWORK]);
      }
      // Synth checked that both stacks share the namespace, so leaving the network out loses nothing.
      expect(apps[environment].messages).toContainEqual({
        level: 'info',
        path: `srvthreds-app-${environment}/${NETWORK}`,
        message: `external network srvthreds-net is left out on Kubernetes, where what this stack reaches through it are Services of stack srvthreds-infra-${environment} in the same namespace`,
      });
    });

    it('is deployed after the infrastructure stack, and waits until MongoDB, Redis and RabbitMQ answer, on both targets', () => {
      const infrastructure = { 'mongo-repl-1': 27017, redis: 6379, rabbitmq: 5672 };
      expect(apps[environment].files['compose.yaml'].split('\n')[1]).toBe(
        `# Deploy stack srvthreds-infra-${environment} first: this stack's workloads wait for workloads of it.`,
      );
      for (const [host, port] of Object.entries(infrastructure)) {
        const waiter = appServices()[`wait-for-${host}`];
        expect(waiter).toMatchObject({ image: 'busybox:1.36', networks: [NETWORK], restart: 'no', user: '65534:65534', read_only: true, cap_drop: ['ALL'] });
        expect(waiter.command.join(' ')).toContain(`until nc -z -w 2 ${host} ${port}; do`);
        expect(waiter.command.join(' ')).toContain(`deploy stack srvthreds-infra-${environment} first`);
      }
      for (const name of ['srvthreds-bootstrap', ...APP_SERVICES]) {
        for (const host of Object.keys(infrastructure)) {
          expect(appServices()[name].depends_on[`wait-for-${host}`]).toEqual({ condition: 'service_completed_successfully' });
        }
        const pod = podSpec(find(apps[environment], name === 'srvthreds-bootstrap' ? 'Job' : 'Deployment', name));
        const probes = pod.initContainers.map((c: AnyRecord) => c.command.join(' ')).filter((c: string) => c.includes('nc -z'));
        expect(probes.map((c: string) => /nc -z -w 2 (\S+ \d+)/.exec(c)![1])).toEqual(Object.entries(infrastructure).map(([h, p]) => `${h} ${p}`));
      }
    });

    it('lets every pod of the namespace reach the engine and the session agent, as every container on srvthreds-net reaches them on Compose', () => {
      for (const name of ['srvthreds-engine', 'srvthreds-session-agent']) {
        const policy = find(apps[environment], 'NetworkPolicy', `${name}-ingress`);
        expect(policy.spec.podSelector.matchLabels['app.kubernetes.io/name']).toBe(name);
        const ports = find(apps[environment], 'Service', name).spec.ports.map((p: AnyRecord) => ({ protocol: 'TCP', port: p.port }));
        expect(policy.spec.ingress).toEqual([{ from: [{ podSelector: {} }], ports }]);
      }
    });

    it('puts both stacks of the environment in one namespace, where the Service names resolve', () => {
      const namespace = dev ? 'srvthreds-dev' : 'srvthreds';
      expect(infra[environment].kustomization!.namespace).toBe(namespace);
      expect(apps[environment].kustomization!.namespace).toBe(namespace);
    });

    it('runs the bootstrap once, with the ef-detection profile, and starts the three services only after it succeeded', () => {
      expect(appServices()['srvthreds-bootstrap']).toMatchObject({
        command: ['npm', 'run', 'bootstrap', '--', '-p', 'ef-detection'],
        restart: 'no',
      });
      const job = find(apps[environment], 'Job', 'srvthreds-bootstrap');
      expect(job.spec.backoffLimit).toBe(0);
      expect(podSpec(job).restartPolicy).toBe('Never');
      for (const name of APP_SERVICES) {
        expect(appServices()[name].depends_on['srvthreds-bootstrap']).toEqual({ condition: 'service_completed_successfully' });
        const waits = podSpec(find(apps[environment], 'Deployment', name)).initContainers.map((c: AnyRecord) => c.command.join(' '));
        expect(waits[0]).toBe(`kubectl --cache-dir=/tmp/kubectl wait --for=condition=complete --timeout=600s job/${job.metadata.name}`);
      }
    });

    it('runs the engine, the session agent and the persistence agent as the non-root user 1001 of the production image', () => {
      for (const name of APP_SERVICES) {
        expect(appServices()[name]).toMatchObject({ user: '1001:1001', cap_drop: ['ALL'] });
        const deployment = find(apps[environment], 'Deployment', name);
        expect(podSpec(deployment).securityContext.runAsNonRoot).toBe(true);
        expect(mainContainer(deployment).securityContext).toMatchObject({ runAsUser: 1001, runAsGroup: 1001, allowPrivilegeEscalation: false });
      }
    });

    it('starts each service with the seed entry point and its ports', () => {
      expect(appServices()['srvthreds-engine'].command).toEqual(['node', 'dist-server/src/ts/index.js', '-d']);
      expect(appServices()['srvthreds-session-agent'].command).toEqual(['node', 'dist-server/src/ts/agent/agent.js', '-c', 'session_agent', '-i', 'org.wt.session1']);
      expect(appServices()['srvthreds-persistence-agent'].command).toEqual(['node', 'dist-server/src/ts/agent/agent.js', '-c', 'persistence_agent', '-i', 'org.wt.persistence1']);
      expect(find(apps[environment], 'Service', 'srvthreds-engine').spec.ports.map((p: AnyRecord) => p.port)).toEqual([8082]);
      expect(find(apps[environment], 'Service', 'srvthreds-session-agent').spec.ports.map((p: AnyRecord) => p.port)).toEqual([3000, 3001]);
      expect(apps[environment].manifests.filter((m) => m.kind === 'Service' && m.metadata.name === 'srvthreds-persistence-agent')).toEqual([]);
    });

    it('gives every application container the URLs of the three databases, with the secrets as references', () => {
      const env = appServices()['srvthreds-engine'].environment;
      expect(env.RABBITMQ_URL).toBe(`amqp://srvthreds:${REQUIRED('RABBITMQ_PASSWORD')}@rabbitmq:5672`);
      expect(env.MONGODB_URI).toBe(
        dev ? 'mongodb://mongo-repl-1:27017/?replicaSet=rs0' : `mongodb://srvthreds:${REQUIRED('MONGO_ROOT_PASSWORD')}@mongo-repl-1:27017/?replicaSet=rs0`,
      );
      expect(env.REDIS_URL).toBe(dev ? 'redis://redis:6379/0' : `redis://:${REQUIRED('REDIS_PASSWORD')}@redis:6379/0`);
      const k8sEnv = mainContainer(find(apps[environment], 'Deployment', 'srvthreds-engine')).env;
      expect(k8sEnv).toContainEqual({ name: 'RABBITMQ_URL', value: 'amqp://srvthreds:$(RABBITMQ_PASSWORD)@rabbitmq:5672' });
      for (const out of [infra[environment], apps[environment]]) {
        expect(out.files['.env.example']).toMatch(/^RABBITMQ_PASSWORD=$/m);
      }
    });

    it('checks the application containers the way the production image does, every 30s with a 60s grace', () => {
      expect(appServices()['srvthreds-engine'].healthcheck).toEqual({
        test: ['CMD', 'node', '-e', "console.log('Health check')"],
        interval: '30s',
        timeout: '10s',
        retries: 3,
        start_period: '1m',
      });
      expect(mainContainer(find(apps[environment], 'Deployment', 'srvthreds-engine')).readinessProbe).toMatchObject({ periodSeconds: 30, failureThreshold: 3 });
    });
  });

  describe('development', () => {
    it('builds the builder image only on request, in the manual profile, and leaves it out on Kubernetes', () => {
      const builder = (apps.dev.compose!.services as AnyRecord)['srvthreds-builder'];
      expect(builder).toEqual({
        image: 'srvthreds/builder:latest',
        build: { context: '../../examples/srvthreds', dockerfile: 'docker/Dockerfile.builder' },
        profiles: ['manual'],
        restart: 'no',
        security_opt: ['no-new-privileges:true'],
      });
      expect(apps.dev.manifests.filter((m) => m.metadata.labels?.['app.kubernetes.io/name'] === 'srvthreds-builder')).toEqual([]);
      expect(apps.dev.messages).toContainEqual(expect.objectContaining({ level: 'info', path: 'srvthreds-app-dev/srvthreds-builder' }));
    });

    it('builds every application image on top of the builder', () => {
      const services = apps.dev.compose!.services as AnyRecord;
      expect(services['srvthreds-bootstrap'].build).toEqual({
        context: '../../examples/srvthreds',
        dockerfile: 'docker/Dockerfile.cmdRunner',
        args: { BUILDER_IMAGE: 'srvthreds/builder:latest' },
      });
      for (const name of APP_SERVICES) {
        expect(services[name].build).toEqual({ context: '../../examples/srvthreds', dockerfile: 'docker/Dockerfile', args: { BUILDER_IMAGE: 'srvthreds/builder:latest' } });
      }
    });

    it('keeps the container names the seed commands use (docker logs srvthreds-engine)', () => {
      expect((apps.dev.compose!.services as AnyRecord)['srvthreds-engine'].container_name).toBe('srvthreds-engine');
      expect((infra.dev.compose!.services as AnyRecord).redis.container_name).toBe('redis');
    });

    it('runs one engine without resource limits and MongoDB without access control', () => {
      const services = apps.dev.compose!.services as AnyRecord;
      expect(services['srvthreds-engine'].deploy).toBeUndefined();
      expect((infra.dev.compose!.services as AnyRecord)['mongo-repl-1'].environment).toBeUndefined();
    });
  });

  describe('production', () => {
    it('pulls the release images and builds nothing', () => {
      const services = apps.prod.compose!.services as AnyRecord;
      expect(services['srvthreds-builder']).toBeUndefined();
      for (const [name, service] of Object.entries(services)) {
        if (name.startsWith('wait-for-')) continue; // the waits for the infrastructure stack
        expect(service.build).toBeUndefined();
        expect(service.image).toBe(`srvthreds/${name.replace('srvthreds-', '')}:${RELEASE}`);
      }
    });

    it('runs three engines with the recommended limits and reservations, on both targets', () => {
      const engine = (apps.prod.compose!.services as AnyRecord)['srvthreds-engine'];
      expect(engine.deploy).toEqual({ replicas: 3, resources: { limits: { cpus: '2', memory: '2g' }, reservations: { cpus: '1', memory: '1g' } } });
      expect(engine.container_name).toBeUndefined();
      const deployment = find(apps.prod, 'Deployment', 'srvthreds-engine');
      expect(deployment.spec.replicas).toBe(3);
      expect(mainContainer(deployment).resources).toEqual({ limits: { cpu: '2', memory: '2Gi' }, requests: { cpu: '1', memory: '1Gi' } });
    });

    it('turns on access control: MongoDB root credentials and key file, a Redis password, all from the env file', () => {
      expect((infra.prod.compose!.services as AnyRecord)['mongo-repl-1'].command.join(' ')).toContain('--keyFile /tmp/mongodb-keyfile');
      expect(infra.prod.files['.env.example']).toMatch(/^MONGO_REPLICA_SET_KEY=$/m);
      expect(infra.prod.files['.env.example']).toMatch(/^MONGO_ROOT_PASSWORD=$/m);
      expect(infra.prod.files['.env.example']).toMatch(/^REDIS_PASSWORD=$/m);
    });
  });

  it('runs the bootstrap with the run-profile asked for', () => {
    const app = new App({ outdir: 'cdk.out', printSummary: false });
    const [, stack] = defineSrvthreds(app, 'dev', { bootstrapProfile: 'dev' });
    expect((Testing.synth(stack).compose!.services as AnyRecord)['srvthreds-bootstrap'].command).toEqual(['npm', 'run', 'bootstrap', '--', '-p', 'dev']);
  });
});
