import { Construct } from 'constructs';
import {
  ConfigFile,
  HealthCheck,
  MigrationJob,
  Mount,
  Network,
  PostgresService,
  RedisService,
  Secret,
  Stack,
  StackProps,
  SynthError,
  Testing,
  Volume,
  WebApp,
  Worker,
} from '../../lib';
import { Capture, Match, Template } from '../../lib/testing';
import { thrown } from '../support/thrown';

const IMAGE = 'ghcr.io/acme/shop:1.4.2';

/** A stack with a database, a cache, a migration, an API and a worker. */
function shop(props: StackProps = {}, extra?: (stack: Stack) => void): Stack {
  const stack = new Stack(Testing.app(), 'shop', props);
  const db = new PostgresService(stack, 'db', { password: Secret.fromEnv('POSTGRES_PASSWORD') });
  const redis = new RedisService(stack, 'redis');
  const migrate = new MigrationJob(stack, 'migrate', { image: IMAGE, command: ['./migrate.sh', 'up'] }).connect(db, { env: 'DATABASE_URL' });
  new WebApp(stack, 'api', {
    image: IMAGE,
    port: 8080,
    healthCheck: HealthCheck.http('/healthz'),
    publicEndpoint: { host: 'shop.example.com' },
    after: [migrate],
  })
    .connect(db, { env: 'DATABASE_URL' })
    .connect(redis, { env: 'CACHE_URL', database: 1 });
  new Worker(stack, 'worker', { image: IMAGE, command: ['node', 'worker.js'], replicas: 3 }).connect(db, { env: 'DATABASE_URL' });
  extra?.(stack);
  return stack;
}

/** The message `f` throws. */
describe('Template.fromStack', () => {
  it('synthesizes the stack in memory', () => {
    const stack = shop();

    const template = Template.fromStack(stack);

    expect(template.toJSON()).toEqual({ compose: Testing.synth(stack).compose, manifests: Testing.synth(stack).manifests });
  });

  it('fails with the SynthError when the app has errors', () => {
    const stack = shop({}, (s) => new WebApp(s, 'Api', { image: IMAGE, port: 80 }));

    expect(() => Template.fromStack(stack)).toThrow(SynthError);
    expect(() => Template.fromStack(stack)).toThrow(/\[shop\/Api\] name "Api" is not a service name/);
  });
});

describe('Template on Compose', () => {
  describe('hasService', () => {
    it('passes when the service has the properties given, ignoring the others', () => {
      const template = Template.fromStack(shop());

      template.hasService('api', { healthcheck: { interval: '10s' }, depends_on: { migrate: { condition: 'service_completed_successfully' } } });
      template.hasService('migrate', { restart: 'no', command: ['./migrate.sh', 'up'] });
      template.hasService('worker');
    });

    it('takes a matcher for the properties', () => {
      const template = Template.fromStack(shop());

      template.hasService('worker', Match.objectLike({ deploy: Match.objectEquals({ replicas: 3 }), ports: Match.absent() }));
    });

    it('fails with the path and both values of each mismatch', () => {
      const template = Template.fromStack(shop());

      expect(thrown(() => template.hasService('api', { healthcheck: { interval: '5s', retries: 3 }, restart: 'always' }))).toBe(
        [
          'Compose service api does not match (2 mismatches):',
          '  services.api.healthcheck.interval: expected "5s", got "10s"',
          '  services.api.restart: expected "always", got "unless-stopped"',
        ].join('\n'),
      );
    });

    it('fails on an unknown service, listing the services', () => {
      const template = Template.fromStack(shop());

      expect(thrown(() => template.hasService('web'))).toBe('stack shop has no Compose service named web; its services: db, redis, migrate, api, worker');
    });

    it('takes a matcher for the name and then shows the closest services', () => {
      const template = Template.fromStack(shop());

      template.hasService(Match.anyValue(), { restart: 'no' });
      expect(thrown(() => template.hasService(Match.stringLikeRegexp('^(api|worker)$'), { image: IMAGE, deploy: { replicas: 2 } }))).toBe(
        [
          'none of the 2 Compose services whose name matches stringLikeRegexp(/^(api|worker)$/) matches; the closest 2 are:',
          '  service api (1 mismatch):',
          '    services.api.deploy: expected an object {"replicas": 2}, got nothing',
          '  service worker (1 mismatch):',
          '    services.worker.deploy.replicas: expected 2, got 3',
        ].join('\n'),
      );
    });
  });

  describe('findServices', () => {
    it('returns the services that match, by name', () => {
      const template = Template.fromStack(shop());

      expect(Object.keys(template.findServices({ restart: 'unless-stopped', image: IMAGE }))).toEqual(['api', 'worker']);
      expect(template.findServices({ restart: 'no' })).toEqual({ migrate: expect.objectContaining({ image: IMAGE }) });
      expect(Object.keys(template.findServices())).toEqual(['db', 'redis', 'migrate', 'api', 'worker']);
    });

    it('returns nothing when no service matches', () => {
      expect(Template.fromStack(shop()).findServices({ privileged: true })).toEqual({});
    });
  });

  describe('serviceCountIs', () => {
    it('passes on the number of services, or of those that match', () => {
      const template = Template.fromStack(shop());

      template.serviceCountIs(5);
      template.serviceCountIs(2, { healthcheck: { test: Match.arrayWith(['CMD']) }, volumes: Match.anyValue() });
    });

    it('fails showing what it found', () => {
      const template = Template.fromStack(shop());

      expect(thrown(() => template.serviceCountIs(4))).toBe('expected 4 Compose services, found 5: db, redis, migrate, api, worker');
      expect(thrown(() => template.serviceCountIs(1, { restart: 'unless-stopped' }))).toBe(
        'expected 1 Compose service matching {"restart": "unless-stopped"}, found 4: db, redis, api, worker',
      );
    });
  });

  describe('allServices', () => {
    it('passes when every service matches', () => {
      Template.fromStack(shop()).allServices({ security_opt: ['no-new-privileges:true'] });
    });

    it('fails listing every service that does not match', () => {
      const template = Template.fromStack(shop());

      expect(thrown(() => template.allServices({ restart: 'unless-stopped', image: Match.stringLikeRegexp('^ghcr.io/') }))).toBe(
        [
          '3 of 5 Compose services do not match:',
          '  service db (1 mismatch):',
          '    services.db.image: expected a string matching /^ghcr.io\\//, got "postgres:16-alpine"',
          '  service redis (1 mismatch):',
          '    services.redis.image: expected a string matching /^ghcr.io\\//, got "redis:7-alpine"',
          '  service migrate (1 mismatch):',
          '    services.migrate.restart: expected "unless-stopped", got "no"',
        ].join('\n'),
      );
    });
  });

  describe('hasVolume and hasNetwork', () => {
    it('find the data volumes of services, named volumes and networks', () => {
      const template = Template.fromStack(
        shop({}, (stack) => {
          const uploads = new Volume(stack, 'uploads');
          const backend = new Network(stack, 'backend');
          const outside = new Network(stack, 'proxy', { external: true });
          new Worker(stack, 'thumbnailer', { image: IMAGE, mounts: [Mount.volume(uploads, '/data')], networks: [backend, outside] });
        }),
      );

      template.hasVolume('db-data');
      template.hasVolume('uploads', {});
      template.hasNetwork('backend');
      template.hasNetwork('proxy', { external: true });
    });

    it('fail on an unknown name, listing the names', () => {
      const template = Template.fromStack(shop());

      expect(thrown(() => template.hasVolume('data'))).toBe('stack shop has no Compose volume named data; its volumes: db-data, redis-data');
      expect(thrown(() => template.hasNetwork('backend'))).toBe('stack shop has no Compose network named backend; its networks: reach-db, reach-redis');
    });

    it('fail when the definition does not match', () => {
      const template = Template.fromStack(shop({}, (stack) => new Worker(stack, 'edge', { image: IMAGE, networks: [new Network(stack, 'proxy')] })));

      expect(thrown(() => template.hasNetwork('proxy', { external: true }))).toBe(
        ['Compose network proxy does not match (1 mismatch):', '  networks.proxy.external: expected true, got nothing'].join('\n'),
      );
    });
  });

  it('says so when the stack does not render Compose', () => {
    const template = Template.fromStack(shop({ targets: ['kubernetes'] }));

    expect(() => template.hasService('api')).toThrow('stack shop does not render Compose (its targets: kubernetes)');
    expect(() => template.findServices()).toThrow(/does not render Compose/);
    expect(template.toJSON().compose).toBeUndefined();
  });
});

describe('Template on Kubernetes', () => {
  describe('hasObject', () => {
    it('passes when an object of the kind has the properties given', () => {
      const template = Template.fromStack(shop());

      template.hasObject('Deployment', { metadata: { name: 'worker' }, spec: { replicas: 3 } });
      template.hasObject('StatefulSet', {
        metadata: { name: 'db' },
        spec: { volumeClaimTemplates: [{ spec: { resources: { requests: { storage: '1Gi' } } } }] },
      });
      template.hasObject('Ingress', { spec: { rules: [{ host: 'shop.example.com' }] } });
      template.hasObject('Job');
    });

    it('shows the closest objects, ranked by their number of mismatches', () => {
      const template = Template.fromStack(shop());

      expect(
        thrown(() =>
          template.hasObject('Deployment', {
            spec: { replicas: 3, template: { spec: { containers: [{ image: 'ghcr.io/acme/shop:1.4.3', args: ['node', 'worker.js'] }] } } },
          }),
        ),
      ).toBe(
        [
          'none of the 2 Kubernetes objects of kind Deployment matches; the closest 2 are:',
          '  Deployment/worker (1 mismatch):',
          '    spec.template.spec.containers[0].image: expected "ghcr.io/acme/shop:1.4.3", got "ghcr.io/acme/shop:1.4.2"',
          '  Deployment/api (3 mismatches):',
          '    spec.replicas: expected 3, got 1',
          '    spec.template.spec.containers[0].image: expected "ghcr.io/acme/shop:1.4.3", got "ghcr.io/acme/shop:1.4.2"',
          '    spec.template.spec.containers[0].args: expected an array ["node", "worker.js"], got nothing',
        ].join('\n'),
      );
    });

    it('shows at most the three closest objects', () => {
      const template = Template.fromStack(shop());

      const message = thrown(() => template.hasObject('Service', { metadata: { name: 'cache' } }));

      expect(message).toMatch(/^none of the 3 Kubernetes objects of kind Service matches; the closest 3 are:\n/);
      expect(message.match(/^ {2}Service\//gm)).toHaveLength(3);
    });

    it('shows the closest element when an arrayWith element is missing', () => {
      const template = Template.fromStack(shop());

      const message = thrown(() =>
        template.hasObject('Deployment', {
          metadata: { name: 'api' },
          spec: { template: { spec: { containers: [{ env: Match.arrayWith([{ name: 'CACHE_URL', value: 'redis://redis:6379/0' }]) }] } } },
        }),
      );

      expect(message).toContain(
        [
          '  Deployment/api (1 mismatch):',
          '    spec.template.spec.containers[0].env: no element matches arrayWith pattern [0] {"name": "CACHE_URL", "value": "redis://redis:6379/0"}; the closest is [2]:',
          '    spec.template.spec.containers[0].env[2].value: expected "redis://redis:6379/0", got "redis://redis:6379/1"',
        ].join('\n'),
      );
    });

    it('fails on a kind the stack does not have, listing the kinds it has', () => {
      const template = Template.fromStack(shop());

      expect(thrown(() => template.hasObject('Deploymnet', {}))).toBe(
        'stack shop has no Kubernetes object of kind Deploymnet; it has: StatefulSet (2), Service (3), Job (1), Deployment (2), ' +
          'Ingress (1), NetworkPolicy (4), ServiceAccount (1), Role (1), RoleBinding (1)',
      );
    });
  });

  describe('findObjects', () => {
    it('returns the objects of a kind that match, in file order', () => {
      const template = Template.fromStack(shop());

      expect(template.findObjects('Deployment').map((o) => o.metadata.name)).toEqual(['api', 'worker']);
      expect(template.findObjects('Service', { spec: { clusterIP: 'None' } }).map((o) => o.metadata.name)).toEqual(['db', 'redis']);
      expect(template.findObjects('*', { metadata: { name: 'cdk-compose-job-waiter' } }).map((o) => o.kind)).toEqual([
        'ServiceAccount',
        'Role',
        'RoleBinding',
      ]);
      expect(template.findObjects('CronJob')).toEqual([]);
    });
  });

  describe('objectCountIs', () => {
    it('passes on the number of objects of a kind, or of those that match', () => {
      const template = Template.fromStack(shop());

      template.objectCountIs('Deployment', 2);
      template.objectCountIs('Job', 1, { spec: { backoffLimit: 0 } });
      template.objectCountIs('*', 4, { metadata: { labels: { 'app.kubernetes.io/name': Match.absent() } } });
      template.objectCountIs('CronJob', 0);
    });

    it('fails showing what it found', () => {
      const template = Template.fromStack(shop());

      expect(thrown(() => template.objectCountIs('StatefulSet', 1))).toBe(
        'expected 1 Kubernetes object of kind StatefulSet, found 2: StatefulSet/db, StatefulSet/redis',
      );
      expect(thrown(() => template.objectCountIs('Deployment', 2, { spec: { replicas: 1 } }))).toBe(
        'expected 2 Kubernetes objects of kind Deployment matching {"spec": {"replicas": 1}}, found 1: Deployment/api',
      );
    });
  });

  describe('allObjects', () => {
    it('passes when every object of the kind matches', () => {
      const template = Template.fromStack(shop());

      template.allObjects('Deployment', {
        spec: { template: { spec: { securityContext: { seccompProfile: { type: 'RuntimeDefault' } } } } },
      });
      template.allObjects('*', { metadata: { labels: { 'app.kubernetes.io/managed-by': 'cdk-compose' } } });
    });

    it('fails listing every object that does not match', () => {
      const template = Template.fromStack(shop());

      expect(thrown(() => template.allObjects('*', { metadata: { labels: { 'app.kubernetes.io/name': Match.anyValue() } } }))).toBe(
        [
          '4 of 16 Kubernetes objects do not match:',
          '  NetworkPolicy/shop-default-deny-ingress (1 mismatch):',
          '    metadata.labels["app.kubernetes.io/name"]: expected any value, got nothing',
          '  ServiceAccount/cdk-compose-job-waiter (1 mismatch):',
          '    metadata.labels["app.kubernetes.io/name"]: expected any value, got nothing',
          '  Role/cdk-compose-job-waiter (1 mismatch):',
          '    metadata.labels["app.kubernetes.io/name"]: expected any value, got nothing',
          '  RoleBinding/cdk-compose-job-waiter (1 mismatch):',
          '    metadata.labels["app.kubernetes.io/name"]: expected any value, got nothing',
        ].join('\n'),
      );
    });

    it('fails when there is no object of the kind, rather than passing on nothing', () => {
      const template = Template.fromStack(shop());

      expect(() => template.allObjects('Deployments', { spec: { replicas: 1 } })).toThrow(
        /^stack shop has no Kubernetes object of kind Deployments to check; it has: StatefulSet \(2\)/,
      );
    });
  });

  describe('hasKustomization', () => {
    it('matches the kustomization', () => {
      const template = Template.fromStack(shop({ namespace: 'shop' }));

      template.hasKustomization({
        namespace: 'shop',
        resources: Match.arrayWith(['job-migrate.yaml', 'deployment-api.yaml']),
        secretGenerator: Match.arrayWithUnordered([{ name: 'shop-secrets', envs: ['.env'] }]),
      });
    });

    it('fails with the path of each mismatch', () => {
      const template = Template.fromStack(shop());

      expect(thrown(() => template.hasKustomization({ namespace: 'shop' }))).toBe(
        ['the kustomization does not match (1 mismatch):', '  namespace: expected "shop", got nothing'].join('\n'),
      );
    });
  });

  it('says so when the stack does not render Kubernetes', () => {
    const template = Template.fromStack(shop({ targets: ['compose'] }));

    expect(() => template.hasObject('Deployment')).toThrow('stack shop does not render Kubernetes (its targets: compose)');
    expect(() => template.objectCountIs('Deployment', 0)).toThrow(/does not render Kubernetes/);
    expect(() => template.hasKustomization({})).toThrow(/does not render Kubernetes/);
    expect(template.toJSON().manifests).toEqual([]);
  });
});

describe('Template captures', () => {
  it('hands the captured value of the object that matched to the Capture', () => {
    const template = Template.fromStack(shop());
    const jobName = new Capture(Match.stringLikeRegexp('^migrate-'));

    template.hasObject('Job', { metadata: { name: jobName } });

    template.hasObject('Deployment', {
      metadata: { name: 'api' },
      spec: { template: { spec: { initContainers: Match.arrayWith([{ command: Match.arrayWith([`job/${jobName.asString()}`]) }]) } } },
    });
  });

  it('captures one value per object that matches', () => {
    const template = Template.fromStack(shop());
    const replicas = new Capture();

    template.findObjects('Deployment', { spec: { replicas } });

    expect(replicas.asNumber()).toBe(1);
    expect(replicas.next()).toBe(true);
    expect(replicas.asNumber()).toBe(3);
    expect(replicas.next()).toBe(false);
  });

  it('keeps nothing from a failing assertion', () => {
    const template = Template.fromStack(shop());
    const image = new Capture();

    expect(() => template.hasService('db', { image, restart: 'no' })).toThrow();

    expect(() => image.asString()).toThrow(/no value was captured/);
  });
});

describe('Template.fromPath', () => {
  it('gives the Compose service and every Kubernetes object of a workload', () => {
    const template = Template.fromStack(shop());

    const api = template.fromPath('shop/api');

    expect(api.service).toEqual(Template.fromStack(shop()).findServices().api);
    expect(api.objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['Deployment/api', 'Service/api', 'Ingress/api', 'NetworkPolicy/api-ingress']);
  });

  it('finds the Job whose name carries a digest', () => {
    const { service, objects } = Template.fromStack(shop()).fromPath('shop/migrate');

    expect(service).toMatchObject({ restart: 'no' });
    expect(objects.map((o) => o.kind)).toEqual(['Job']);
    expect(objects[0].metadata.name).toMatch(/^migrate-[0-9a-f]{10}$/);
  });

  it('finds the ConfigMaps of a workload', () => {
    const stack = shop({}, (s) => {
      new WebApp(s, 'web', { image: 'nginx:1.27-alpine', port: 80, mounts: [Mount.config(ConfigFile.fromString('nginx.conf', 'events {}\n'), '/etc/nginx/nginx.conf')] });
    });

    const { objects } = Template.fromStack(stack).fromPath('web');

    expect(objects.map((o) => o.kind)).toEqual(['Deployment', 'Service', 'ConfigMap']);
    expect(objects[2].data).toEqual({ 'nginx.conf': 'events {}\n' });
  });

  it('takes a path relative to the stack, with or without slashes around it', () => {
    const template = Template.fromStack(shop());

    expect(template.fromPath('db')).toEqual(template.fromPath('shop/db'));
    expect(template.fromPath('/shop/db/')).toEqual(template.fromPath('shop/db'));
    expect(template.fromPath('db').objects.map((o) => o.kind)).toEqual(['StatefulSet', 'Service', 'NetworkPolicy']);
  });

  it('gives the Compose volume and the claim of a Volume', () => {
    const stack = shop({}, (s) => new Worker(s, 'thumbnailer', { image: IMAGE, mounts: [Mount.volume(new Volume(s, 'uploads'), '/data')] }));

    const uploads = Template.fromStack(stack).fromPath('uploads');

    expect(uploads.service).toBeUndefined();
    expect(uploads.volume).toEqual({});
    expect(uploads.objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['PersistentVolumeClaim/uploads']);
  });

  it('takes the path of a construct that holds one workload', () => {
    const stack = shop({}, (s) => new WebApp(new Construct(s, 'frontend'), 'web', { image: IMAGE, port: 80 }));

    expect(Template.fromStack(stack).fromPath('frontend').objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Deployment/web',
      'Service/web',
    ]);
  });

  it('fails on a construct that holds several workloads', () => {
    const stack = shop({}, (s) => {
      const backend = new Construct(s, 'backend');
      new Worker(backend, 'mailer', { image: IMAGE });
      new Worker(backend, 'indexer', { image: IMAGE });
    });

    expect(() => Template.fromStack(stack).fromPath('backend')).toThrow(
      'shop/backend holds 2 workloads (shop/backend/mailer, shop/backend/indexer); give the path of one of them',
    );
  });

  it('fails on a path with no workload, listing the paths there are', () => {
    expect(() => Template.fromStack(shop()).fromPath('shop/web')).toThrow(
      'stack shop has no workload or volume at shop/web; it has: shop/db, shop/redis, shop/migrate, shop/api, shop/worker',
    );
  });

  it('gives no Kubernetes objects for a workload left out there, nor a service when Compose is not rendered', () => {
    const stack = shop({}, (s) => new WebApp(s, 'mailpit', { image: 'axllent/mailpit', port: 8025, profiles: ['dev'] }));

    expect(Template.fromStack(stack).fromPath('mailpit')).toEqual({ service: expect.objectContaining({ profiles: ['dev'] }), objects: [] });
    expect(Template.fromStack(shop({ targets: ['kubernetes'] })).fromPath('api').service).toBeUndefined();
  });
});

describe('Template.toJSON', () => {
  it('is plain data that later changes cannot reach', () => {
    const template = Template.fromStack(shop());

    const json = template.toJSON();
    (json.compose!.services.api as Record<string, unknown>).image = 'changed';

    expect(JSON.parse(JSON.stringify(template.toJSON()))).toEqual(template.toJSON());
    template.hasService('api', { image: IMAGE });
  });
});
