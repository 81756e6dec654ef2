import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, MigrationJob, Network, PostgresService, Secret, Stack, SynthError, Testing, WebApp, Worker } from '../../lib';
import { readManifest } from '../../lib/synth/manifest';
import { parityProblems } from '../../lib/validate/parity';
import { checkStackOutput } from '../support/real-tools';

const IMAGE = 'ghcr.io/acme/shop:3.0.1';
type AnyRecord = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A database stack and an app stack that connects to it over the network the first shares. */
function twoStacks(app: App, props: { appNamespace?: string; dataNamespace?: string } = {}) {
  const data = new Stack(app, 'data', { namespace: props.dataNamespace ?? 'shop' });
  const db = new PostgresService(data, 'db', { password: Secret.fromEnv('POSTGRES_PASSWORD'), networks: [new Network(data, 'backend', { shared: true })] });
  const shop = new Stack(app, 'shop', { namespace: props.appNamespace ?? 'shop' });
  const backend = new Network(shop, 'backend', { external: true });
  const api = new WebApp(shop, 'api', { image: IMAGE, port: 8080, networks: [backend] });
  return { data, shop, db, api, backend };
}

function errorsOf(app: App): string[] {
  try {
    Testing.synth(app.node.findAll().find(Stack.isStack)!);
  } catch (error) {
    if (error instanceof SynthError) return error.message.split('\n');
    throw error;
  }
  return [];
}

describe('a workload that connects to a workload of another stack', () => {
  it('gets the variables that reach it, and waits until it answers, on Compose through a one-shot service', () => {
    const app = Testing.app();
    const { shop, db, api } = twoStacks(app);
    api.connect(db);

    const out = Testing.synth(shop);
    const services = out.compose!.services as AnyRecord;

    expect(services.api.environment).toMatchObject({ PGHOST: 'db', PGPORT: '5432' });
    expect(services.api.depends_on).toEqual({ 'wait-for-db': { condition: 'service_completed_successfully' } });
    expect(services['wait-for-db']).toEqual({
      image: 'busybox:1.36',
      command: [
        'sh',
        '-c',
        `timeout 300 sh -c 'until nc -z -w 2 db 5432; do echo "waiting for db:5432 of stack data"; sleep 2; done' || { echo "db:5432 did not answer in 300 s: deploy stack data first"; exit 1; }`,
      ],
      networks: ['backend'],
      restart: 'no',
      deploy: { resources: { limits: { cpus: '0.1', memory: '32M' } } },
      user: '65534:65534',
      read_only: true,
      cap_drop: ['ALL'],
      security_opt: ['no-new-privileges:true'],
    });
  });

  it('waits the same way on Kubernetes, with an init container on the Service of the shared namespace', () => {
    const app = Testing.app();
    const { shop, db, api } = twoStacks(app);
    api.connect(db);

    const deployment = Testing.synth(shop).manifests.find((m) => m.kind === 'Deployment') as AnyRecord;
    const [wait] = deployment.spec.template.spec.initContainers;

    expect(wait.name).toBe('wait-for-db');
    expect(wait.command).toEqual((Testing.synth(shop).compose!.services as AnyRecord)['wait-for-db'].command);
    expect(wait.securityContext).toMatchObject({ runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
  });

  it('makes its stack deployed after the other: the header of its files says so, and the manifest lists it first', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdkc-cross-stack-'));
    try {
      const app = new App({ outdir, printSummary: false });
      // The app stack first in the tree: the deploy order still puts the data stack first.
      const shop = new Stack(app, 'shop', { namespace: 'shop' });
      const data = new Stack(app, 'data', { namespace: 'shop' });
      const db = new PostgresService(data, 'db', { password: Secret.fromEnv('POSTGRES_PASSWORD'), networks: [new Network(data, 'backend', { shared: true })] });
      new WebApp(shop, 'api', { image: IMAGE, port: 8080, networks: [new Network(shop, 'backend', { external: true })] }).connect(db);
      app.synth();

      expect(shop.dependencies).toEqual([data]);
      expect(readManifest(outdir)!.stacks).toEqual([{ name: 'data' }, { name: 'shop', requires: ['data'] }]);
      for (const file of ['compose.yaml', 'k8s/kustomization.yaml']) {
        expect(fs.readFileSync(path.join(outdir, 'shop', file), 'utf8').split('\n')[1]).toBe("# Deploy stack data first: this stack's workloads wait for workloads of it.");
      }
      expect(fs.readFileSync(path.join(outdir, 'data', 'compose.yaml'), 'utf8').split('\n')[1]).not.toMatch(/^# Deploy/);
      // Schema, docker-compose config, Kubernetes schemas, kubectl kustomize, helm, and the
      // parity check, which reads the one-shot service and the init container as the same wait.
      expect(() => checkStackOutput(path.join(outdir, 'shop'))).not.toThrow();
      expect(() => checkStackOutput(path.join(outdir, 'data'))).not.toThrow();
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  it('is a disagreement the parity check finds when only one target waits', () => {
    const app = Testing.app();
    const { shop, db, api } = twoStacks(app);
    api.connect(db);
    const out = Testing.synth(shop);
    const services = { ...(out.compose!.services as AnyRecord) };
    services.api = { ...services.api, depends_on: undefined };

    expect(parityProblems({ ...out.compose, services }, out.manifests).map((p) => p.message)).toEqual(['waits for db to answer on Kubernetes, not on Compose']);
    expect(parityProblems(out.compose, out.manifests)).toEqual([]);
  });

  it("asks the chart for the other release's Service name in the wait, as in the variables", () => {
    const app = Testing.app();
    const { shop, db, api } = twoStacks(app);
    api.connect(db);
    const template = Testing.synth(shop).files['chart/templates/deployment-api.yaml'];

    expect(template).toContain('until nc -z -w 2 {{ index $.Values.externalHosts "db" }} 5432');
  });

  it('fails when the stacks are applied to different namespaces, where the name would not resolve', () => {
    const app = Testing.app();
    const { db, api } = twoStacks(app, { dataNamespace: 'data' });
    api.connect(db);

    expect(errorsOf(app)).toContainEqual(
      expect.stringMatching(/\[shop\/api\] api\.connect\(db\) waits for db of stack data, but its stack has namespace data and this one namespace shop: .*give both stacks the same namespace/),
    );
  });

  it('fails when the other workload is a job, which no other project can wait for', () => {
    const app = Testing.app();
    const { data, shop, backend } = twoStacks(app);
    const migrate = new MigrationJob(data, 'migrate', { image: IMAGE });
    new Worker(shop, 'worker', { image: IMAGE, networks: [backend], after: [migrate] });

    expect(errorsOf(app)).toContainEqual(expect.stringMatching(/\[shop\/worker\] worker\.after waits for migrate of stack data, a job: another stack's jobs cannot be waited for/));
  });

  it('fails when the other workload has no port to answer on', () => {
    const app = Testing.app();
    const { data, api } = twoStacks(app);
    api.addDependency(new Worker(data, 'mailer', { image: IMAGE }));

    expect(errorsOf(app)).toContainEqual(expect.stringMatching(/\[shop\/api\] api\.addDependency waits for mailer of stack data, which has no port: .*give mailer a port/));
  });

  it('fails on stacks that are deployed after one another in a cycle, naming it', () => {
    const app = Testing.app();
    const { data, shop, db, api } = twoStacks(app);
    api.connect(db);
    data.addDependency(shop);

    expect(errorsOf(app)).toContainEqual(expect.stringMatching(/stacks are deployed after one another in a cycle: (data after shop after data|shop after data after shop); remove one of these dependencies/));
  });

  it('fails when addDependency is given something other than another stack', () => {
    const app = Testing.app();
    const { shop } = twoStacks(app);
    shop.addDependency(shop);
    shop.addDependency({ stackName: 'data' } as unknown as Stack);

    const errors = errorsOf(app);
    expect(errors).toContainEqual(expect.stringMatching(/\[shop\] addDependency\(\) was given the stack itself/));
    expect(errors).toContainEqual(expect.stringMatching(/\[shop\] addDependency\(\) was given \{"stackName":"data"\}, which is not a Stack/));
  });
});
