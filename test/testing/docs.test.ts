// The code of docs/testing.md, run. The first test below checks that every ```ts block of the
// document appears here as it is (imports aside), so the document shows only code that runs.
import * as fs from 'fs';
import * as path from 'path';
import * as pkg from '../../lib';
import { HealthCheck, MigrationJob, PostgresService, RedisService, Secret, Stack, WebApp, Worker } from '../../lib';
import * as testingPkg from '../../lib/testing';
import { Annotations, Capture, Match, Template, Testing } from '../../lib/testing';
import { thrown } from '../support/thrown';

const DOC = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'testing.md'), 'utf8');

/** The lines of `code` without indentation, blank lines and imports. */
function normalize(code: string): string {
  return code
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('import '))
    .join('\n');
}

/** The ```text block of the document that follows the line containing `marker`. */
function textBlockAfter(marker: string): string {
  const at = DOC.indexOf(marker);
  const block = /```text\n([\s\S]*?)\n```/.exec(DOC.slice(at));
  if (at < 0 || !block) throw new Error(`docs/testing.md has no \`\`\`text block after "${marker}"`);
  return block[1];
}

/** The message `f` throws. */
describe('docs/testing.md', () => {
  it('shows only code that this file runs', () => {
    const blocks = [...DOC.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
    const self = normalize(fs.readFileSync(__filename, 'utf8'));

    expect(blocks.length).toBeGreaterThanOrEqual(8);
    for (const block of blocks) expect(self).toContain(normalize(block));
  });

  it('imports only what the entry points export', () => {
    const entryPoints: Record<string, object> = { 'cdk-compose': pkg, 'cdk-compose/testing': testingPkg };
    const imports = [...DOC.matchAll(/^import \{([^}]*)\} from '([^']+)';$/gm)];

    expect(imports.map((m) => m[2])).toEqual(['cdk-compose', 'cdk-compose/testing']);
    for (const [, names, from] of imports) {
      for (const name of names.split(',').map((n) => n.trim())) {
        expect([from, name, name in entryPoints[from]]).toEqual([from, name, true]);
      }
    }
    // `cdk-compose` has the Annotations constructs add messages with; the testing one asserts.
    expect(typeof testingPkg.Annotations.fromStack).toBe('function');
  });

  it('shows the messages the assertions really give', () => {
    const template = Template.fromStack(shop());

    expect(thrown(() => template.hasService('api', { healthcheck: { interval: '5s' } }))).toBe(textBlockAfter('fails with'));
    expect(thrown(() => template.hasObject('Deployment', { spec: { replicas: 2, template: { spec: { containers: [{ args: ['node', 'worker.js'] }] } } } }))).toBe(
      textBlockAfter('closest candidates'),
    );
    expect(thrown(() => Annotations.fromStack(shop()).hasInfo('shop/worker', /host port/))).toBe(textBlockAfter('the messages there are'));
  });
});

function shop(): Stack {
  const app = Testing.app();
  const stack = new Stack(app, 'shop');
  const db = new PostgresService(stack, 'db', { database: 'shop', password: Secret.fromEnv('POSTGRES_PASSWORD') });
  const redis = new RedisService(stack, 'redis');
  const migrate = new MigrationJob(stack, 'migrate', { image: 'ghcr.io/acme/shop:1.4.2', command: ['./migrate.sh', 'up'] })
    .connect(db, { env: 'DATABASE_URL' });
  new WebApp(stack, 'api', {
    image: 'ghcr.io/acme/shop:1.4.2',
    port: 8080,
    hostPort: 8080,
    healthCheck: HealthCheck.http('/healthz'),
    after: [migrate],
  })
    .connect(db, { env: 'DATABASE_URL' })
    .connect(redis, { env: 'CACHE_URL', database: 1 });
  new Worker(stack, 'worker', { image: 'ghcr.io/acme/shop:1.4.2', command: ['node', 'worker.js'], replicas: 3 })
    .connect(db, { env: 'DATABASE_URL' });
  return stack;
}

describe('docs/testing.md examples', () => {
  test('the shop synthesizes as before', () => {
    const template = Template.fromStack(shop());

    expect(template.toJSON()).toMatchSnapshot();
  });

  test('the api waits for the migration and is checked over HTTP', () => {
    const template = Template.fromStack(shop());

    template.hasService('api', {
      depends_on: { migrate: { condition: 'service_completed_successfully' } },
      healthcheck: { test: Match.arrayWith(['http://localhost:8080/healthz']), interval: '10s' },
    });
    template.hasService('migrate', { restart: 'no' });
    template.serviceCountIs(5);
    template.allServices({ security_opt: ['no-new-privileges:true'] });
    template.hasVolume('db-data');
    expect(Object.keys(template.findServices({ image: 'ghcr.io/acme/shop:1.4.2' }))).toEqual(['migrate', 'api', 'worker']);
  });

  test('the worker runs three replicas and every Deployment is hardened', () => {
    const template = Template.fromStack(shop());

    template.hasObject('Deployment', { metadata: { name: 'worker' }, spec: { replicas: 3 } });
    template.objectCountIs('StatefulSet', 2);
    template.allObjects('Deployment', {
      spec: { template: { spec: { securityContext: { seccompProfile: { type: 'RuntimeDefault' } } } } },
    });
    template.hasKustomization({ secretGenerator: Match.arrayWith([{ name: 'shop-secrets' }]) });
    expect(template.findObjects('Service', { spec: { clusterIP: 'None' } }).map((s) => s.metadata.name)).toEqual(['db', 'redis']);
  });

  test('the migration is a Compose service and a Job named after its spec', () => {
    const { service, objects } = Template.fromStack(shop()).fromPath('shop/migrate');

    expect(service).toMatchObject({ restart: 'no' });
    expect(objects.map((o) => o.kind)).toEqual(['Job']);
    expect(objects[0].metadata.name).toMatch(/^migrate-[0-9a-f]{10}$/);
  });

  test('the api gets its connection strings on both targets', () => {
    const template = Template.fromStack(shop());

    template.hasObject('Deployment', {
      metadata: { name: 'api' },
      spec: {
        template: {
          spec: {
            containers: [
              {
                env: Match.arrayWithUnordered([
                  { name: 'CACHE_URL', value: 'redis://redis:6379/1' },
                  { name: 'DATABASE_URL', value: Match.stringLikeRegexp('@db:5432/shop$') },
                ]),
                ports: [{ containerPort: 8080 }],
                resources: Match.absent(),
              },
            ],
          },
        },
      },
    });
    template.hasService('api', {
      environment: Match.objectEquals({ DATABASE_URL: Match.anyValue(), CACHE_URL: 'redis://redis:6379/1' }),
    });
    template.hasService('worker', { ports: Match.absent(), restart: Match.not('no') });
  });

  test('the api waits for the Job the migration really becomes', () => {
    const template = Template.fromStack(shop());
    const jobName = new Capture(Match.stringLikeRegexp('^migrate-'));

    template.hasObject('Job', { metadata: { name: jobName } });

    template.hasObject('Deployment', {
      metadata: { name: 'api' },
      spec: {
        template: {
          spec: {
            initContainers: Match.arrayWith([{ name: 'wait-for-migrate', command: Match.arrayWith([`job/${jobName.asString()}`]) }]),
          },
        },
      },
    });
  });

  test('one value is captured per Deployment', () => {
    const replicas = new Capture();

    Template.fromStack(shop()).findObjects('Deployment', { spec: { replicas } });

    expect(replicas.asNumber()).toBe(1); // api
    expect(replicas.next()).toBe(true);
    expect(replicas.asNumber()).toBe(3); // worker
  });

  test('a failing assertion says where and how the service differs', () => {
    const template = Template.fromStack(shop());

    expect(() => template.hasService('api', { healthcheck: { interval: '5s' } })).toThrow(
      'services.api.healthcheck.interval: expected "5s", got "10s"',
    );
  });

  test('the published host port is noted for Kubernetes', () => {
    const annotations = Annotations.fromStack(shop());

    annotations.hasInfo('shop/api', Match.stringLikeRegexp('^host port 8080 is published on Compose only'));
    annotations.hasNoWarning('shop/worker', Match.anyValue());
    annotations.hasNoError('*', Match.anyValue());
  });

  test('a name with upper-case letters fails synth', () => {
    const stack = shop();
    new Worker(stack, 'Mailer', { image: 'ghcr.io/acme/mailer:2.0.0' });

    Annotations.fromStack(stack).hasError('shop/Mailer', /is not a service name/);
    expect(() => Template.fromStack(stack)).toThrow(/synth failed with 1 error/);
  });
});
