import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Deployment } from 'kubernetes-models/apps/v1';
import { parse, stringify } from 'yaml';
import { COMPOSE_V2_ENV } from '../../lib/validate/compose-v2';
import {
  checkStackOutput,
  dockerComposeConfig,
  dockerComposeV2Config,
  kubectlKustomize,
  MissingToolError,
  validateComposeSchema,
  validateKubernetesObject,
} from './real-tools';

const GOOD_STACK = path.join(__dirname, 'fixtures', 'good-stack');
const K8S_FILES = fs
  .readdirSync(path.join(GOOD_STACK, 'k8s'))
  .filter((name) => name.endsWith('.yaml') && name !== 'kustomization.yaml')
  .sort();

// Parsed YAML is edited freely below; typing every path would add nothing.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = any;

function readYaml(file: string): Doc {
  return parse(fs.readFileSync(file, 'utf8'), { version: '1.1' });
}

function goodCompose(): Doc {
  return readYaml(path.join(GOOD_STACK, 'compose.yaml'));
}

function goodObject(file: string): Doc {
  return readYaml(path.join(GOOD_STACK, 'k8s', file));
}

const tempDirs: string[] = [];
afterEach(() => {
  for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'real-tools-test-'));
  tempDirs.push(dir);
  return dir;
}

/** A throwaway copy of the good stack, changed by `mutate`. */
function stackWith(mutate: (dir: string) => void): string {
  const dir = path.join(tempDir(), 'stack');
  fs.cpSync(GOOD_STACK, dir, { recursive: true });
  mutate(dir);
  return dir;
}

function editYaml(file: string, edit: (doc: Doc) => void): void {
  const doc = readYaml(file);
  edit(doc);
  // As YAML 1.1, like cdk-compose's writer: in 1.2 output `restart: "no"` loses its quotes.
  fs.writeFileSync(file, stringify(doc, { version: '1.1' }));
}

/** Runs `fn` with process.env changed by `changes`, then restores it. */
function withEnv<T>(changes: Record<string, string>, fn: () => T): T {
  const saved = Object.fromEntries(Object.keys(changes).map((key) => [key, process.env[key]]));
  Object.assign(process.env, changes);
  try {
    return fn();
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

describe('validateComposeSchema', () => {
  it('accepts the good fixture', () => {
    expect(validateComposeSchema(goodCompose())).toEqual([]);
  });

  it('rejects an unknown key in a service', () => {
    const doc = goodCompose();
    doc.services.web.restat = 'always';
    expect(validateComposeSchema(doc)).toContain('/services/web must NOT have additional properties ("restat")');
  });

  it('rejects an unknown top-level key', () => {
    const doc = goodCompose();
    doc.volume = doc.volumes;
    expect(validateComposeSchema(doc)).toContain('/ must NOT have additional properties ("volume")');
  });

  it('rejects ports given as a string instead of a list', () => {
    const doc = goodCompose();
    doc.services.web.ports = '8080:3000';
    expect(validateComposeSchema(doc)).toContain('/services/web/ports must be array');
  });

  it('rejects an image given as a number', () => {
    const doc = goodCompose();
    doc.services.db.image = 16;
    expect(validateComposeSchema(doc)).toContain('/services/db/image must be string');
  });

  it('rejects a healthcheck test given as a number', () => {
    const doc = goodCompose();
    doc.services.db.healthcheck.test = 42;
    expect(validateComposeSchema(doc)).toEqual([
      '/services/db/healthcheck/test must be string',
      '/services/db/healthcheck/test must be array',
      '/services/db/healthcheck/test must match exactly one schema in oneOf',
    ]);
  });

  it('rejects an unknown depends_on condition', () => {
    const doc = goodCompose();
    doc.services.web.depends_on.db.condition = 'service_ready';
    expect(validateComposeSchema(doc).join('\n')).toMatch(/depends_on\/db\/condition must be equal to one of the allowed values/);
  });

  it('rejects an unquoted restart: no, which YAML 1.1 readers such as docker-compose see as false', () => {
    const doc = parse('services:\n  once:\n    image: busybox\n    restart: no\n', { version: '1.1' });
    expect(validateComposeSchema(doc)).toContain('/services/once/restart must be string');
  });
});

describe('dockerComposeConfig', () => {
  it('resolves the good stack with a dummy value for every variable in .env.example', () => {
    const { stdout } = dockerComposeConfig(GOOD_STACK);
    const resolved = parse(stdout);
    expect(Object.keys(resolved.services).sort()).toEqual(['db', 'migrate', 'web']);
    expect(resolved.services.db.environment.POSTGRES_PASSWORD).toBe('dummy-POSTGRES_PASSWORD');
    expect(resolved.services.web.environment.SESSION_SECRET).toBe('dummy-SESSION_SECRET');
  });

  it('rejects a service that mounts an undeclared named volume', () => {
    const stack = stackWith((dir) => editYaml(path.join(dir, 'compose.yaml'), (doc) => delete doc.volumes));
    expect(() => dockerComposeConfig(stack)).toThrow(/Named volume "db-data.*no declaration was found in the volumes section/);
  });

  it('rejects a depends_on naming an undefined service', () => {
    const stack = stackWith((dir) =>
      editYaml(path.join(dir, 'compose.yaml'), (doc) => {
        doc.services.web.depends_on.cache = { condition: 'service_started' };
      }),
    );
    expect(() => dockerComposeConfig(stack)).toThrow(/depends on service 'cache' which is undefined/);
  });

  it('fails when .env.example lacks a variable that compose.yaml requires', () => {
    const stack = stackWith((dir) => {
      const example = path.join(dir, '.env.example');
      fs.writeFileSync(example, fs.readFileSync(example, 'utf8').replace(/^SESSION_SECRET=\n/m, ''));
    });
    expect(() => dockerComposeConfig(stack)).toThrow(/SESSION_SECRET must be set/);
  });

  it("does not let the caller's environment satisfy a required variable", () => {
    const stack = stackWith((dir) => fs.rmSync(path.join(dir, '.env.example')));
    withEnv({ POSTGRES_PASSWORD: 'from-the-shell', SESSION_SECRET: 'from-the-shell' }, () => {
      expect(() => dockerComposeConfig(stack)).toThrow(/must be set/);
    });
  });

  it('uses dummy values even when the stack folder holds a real .env', () => {
    const stack = stackWith((dir) => fs.writeFileSync(path.join(dir, '.env'), 'POSTGRES_PASSWORD=hunter2\nSESSION_SECRET=s3cret\n'));
    const { stdout } = dockerComposeConfig(stack);
    expect(stdout).not.toContain('hunter2');
    expect(stdout).toContain('dummy-POSTGRES_PASSWORD');
  });

  // The compose-spec schema and Compose v2 accept each of these; Debian's docker-compose 1.29 does not.
  // Keep in step with the list in dockerComposeConfig's doc comment.
  it.each<[string, (doc: Doc) => void, RegExp]>([
    ['a top-level name', (doc) => (doc.name = 'shop'), /'name' does not match any of the regexes/],
    ['depends_on.required', (doc) => (doc.services.web.depends_on.db.required = true), /unsupported option: 'required'/],
    ['depends_on.restart', (doc) => (doc.services.web.depends_on.db.restart = true), /unsupported option: 'restart'/],
    ['healthcheck.start_interval', (doc) => (doc.services.db.healthcheck.start_interval = '1s'), /'start_interval'/],
    ['env_file in long syntax', (doc) => (doc.services.web.env_file = [{ path: '.env', required: false }]), /env_file contains .* invalid type/],
    ['a boolean environment value', (doc) => (doc.services.web.environment.DEBUG = true), /environment.DEBUG contains true, which is an invalid type/],
    ['a long-syntax port name', (doc) => (doc.services.web.ports = [{ target: 3000, published: '8080', name: 'http' }]), /unsupported option: 'name'/],
    ['pull_policy: missing', (doc) => (doc.services.web.pull_policy = 'missing'), /pull_policy value 'missing' is not one of/],
  ])('rejects %s although the Compose Spec schema and Compose v2 accept it', (_what, mutate, error) => {
    const stack = stackWith((dir) => editYaml(path.join(dir, 'compose.yaml'), mutate));
    expect(validateComposeSchema(readYaml(path.join(stack, 'compose.yaml')))).toEqual([]);
    expect(() => dockerComposeV2Config(stack)).not.toThrow();
    expect(() => dockerComposeConfig(stack)).toThrow(error);
  });

  it('rejects two mounts at one container path, which Compose v2 resolves to the last without a word', () => {
    const stack = stackWith((dir) =>
      editYaml(path.join(dir, 'compose.yaml'), (doc) => {
        doc.volumes['db-copy'] = {};
        doc.services.db.volumes.push('db-copy:/var/lib/postgresql/data');
      }),
    );
    expect(() => dockerComposeConfig(stack)).toThrow(/Duplicate mount points/);
    const mounts = parse(dockerComposeV2Config(stack).stdout).services.db.volumes;
    expect(mounts).toEqual([expect.objectContaining({ source: 'db-copy', target: '/var/lib/postgresql/data' })]);
  });

  it('rejects `configs`, which docker-compose 1.29 accepts with a warning and then ignores on `up`', () => {
    const stack = stackWith((dir) => {
      fs.writeFileSync(path.join(dir, 'seed.sql'), 'SELECT 1;\n');
      editYaml(path.join(dir, 'compose.yaml'), (doc) => {
        doc.configs = { seed: { file: './seed.sql' } };
        doc.services.db.configs = [{ source: 'seed', target: '/docker-entrypoint-initdb.d/seed.sql' }];
      });
    });
    expect(validateComposeSchema(readYaml(path.join(stack, 'compose.yaml')))).toEqual([]);
    expect(() => dockerComposeConfig(stack)).toThrow(/warns that it ignores part of the file:\n.*use the 'configs' key, which will be ignored/);
  });

  it('rejects ${VAR:+alt} interpolation, which docker-compose 1.29 does not implement', () => {
    const stack = stackWith((dir) => editYaml(path.join(dir, 'compose.yaml'), (doc) => (doc.services.web.image = 'web${TAG:+:$TAG}')));
    expect(() => dockerComposeConfig(stack)).toThrow(/Invalid interpolation format/);
  });

  it('says how to install docker-compose when it is missing', () => {
    const emptyPath = tempDir();
    withEnv({ PATH: emptyPath }, () => {
      expect(() => dockerComposeConfig(GOOD_STACK)).toThrow(/apt-get install -y docker-compose/);
    });
  });
});

describe('dockerComposeV2Config', () => {
  it('resolves the good stack with a dummy value for every variable in .env.example, and says which Compose ran', () => {
    const { stdout, version } = dockerComposeV2Config(GOOD_STACK);
    const resolved = parse(stdout);
    expect(Object.keys(resolved.services).sort()).toEqual(['db', 'migrate', 'web']);
    expect(resolved.services.db.environment.POSTGRES_PASSWORD).toBe('dummy-POSTGRES_PASSWORD');
    expect(resolved.services.web.environment.SESSION_SECRET).toBe('dummy-SESSION_SECRET');
    expect(Number(version.split('.')[0])).toBeGreaterThanOrEqual(2);
  });

  it('fails when .env.example lacks a variable that compose.yaml requires', () => {
    const stack = stackWith((dir) => {
      const example = path.join(dir, '.env.example');
      fs.writeFileSync(example, fs.readFileSync(example, 'utf8').replace(/^SESSION_SECRET=\n/m, ''));
    });
    expect(() => dockerComposeV2Config(stack)).toThrow(/SESSION_SECRET must be set/);
  });

  it("does not let the caller's environment satisfy a required variable", () => {
    const stack = stackWith((dir) => fs.rmSync(path.join(dir, '.env.example')));
    withEnv({ POSTGRES_PASSWORD: 'from-the-shell', SESSION_SECRET: 'from-the-shell' }, () => {
      expect(() => dockerComposeV2Config(stack)).toThrow(/must be set/);
    });
  });

  // The compose-spec schema and docker-compose 1.29 accept each of these; Compose v2 does not.
  // Keep in step with the list in dockerComposeV2Config's doc comment.
  it.each<[string, (doc: Doc) => void, RegExp]>([
    ['a service on an undefined network', (doc) => (doc.services.web.networks = ['default', 'backend']), /service "web" refers to undefined network backend/],
    ['a service using an undefined secret', (doc) => (doc.services.web.secrets = ['api-key']), /service "web" refers to undefined secret api-key/],
    [
      'container_name on a replicated service',
      (doc) => Object.assign(doc.services.web, { container_name: 'web', deploy: { replicas: 2 } }),
      /can't set container_name and web as container name must be unique/,
    ],
    [
      'mem_limit and a different deploy.resources.limits.memory',
      (doc) => Object.assign(doc.services.web, { mem_limit: '512m', deploy: { resources: { limits: { memory: '256M' } } } }),
      /can't set distinct values on 'mem_limit' and 'deploy.resources.limits.memory'/,
    ],
    ['a dependency on a service in a profile', (doc) => (doc.services.db.profiles = ['dev']), /service "(web|migrate)" depends on undefined service "db"/],
  ])('rejects %s although the Compose Spec schema and docker-compose 1.29 accept it', (_what, mutate, error) => {
    const stack = stackWith((dir) => editYaml(path.join(dir, 'compose.yaml'), mutate));
    expect(validateComposeSchema(readYaml(path.join(stack, 'compose.yaml')))).toEqual([]);
    expect(() => dockerComposeConfig(stack)).not.toThrow();
    expect(() => dockerComposeV2Config(stack)).toThrow(error);
  });

  // Compose v2 passes each of these with a warning (exit 0): the part is ignored, or read other than written.
  it.each<[string, (doc: Doc) => void, RegExp]>([
    ['deploy.labels, which only a swarm applies', (doc) => (doc.services.web.deploy = { labels: { tier: 'web' } }), /deploy.labels are only applied to Swarm services/],
    ['a port in host mode', (doc) => (doc.services.web.ports = [{ target: 3000, published: '8080', mode: 'host' }]), /ports\[\]\.mode: host is only honored by the Swarm routing mesh/],
    ['a top-level version', (doc) => (doc.version = '3.8'), /the attribute `version` is obsolete, it will be ignored/],
    ['an unset variable', (doc) => (doc.services.web.environment.LOG_LEVEL = '${LOG_LEVEL}'), /The "LOG_LEVEL" variable is not set/],
    ['"yes" for a boolean', (doc) => (doc.services.web.read_only = 'yes'), /"yes" for boolean is not supported by YAML 1.2/],
  ])('rejects %s, which Compose v2 warns about', (_what, mutate, warning) => {
    const stack = stackWith((dir) => editYaml(path.join(dir, 'compose.yaml'), mutate));
    expect(() => dockerComposeV2Config(stack)).toThrow(warning);
  });

  it('checks the services of every profile, not only those `up` starts', () => {
    const stack = stackWith((dir) =>
      editYaml(path.join(dir, 'compose.yaml'), (doc) => {
        doc.services.mailhog = { image: 'mailhog/mailhog:v1.0.1', profiles: ['dev'], networks: ['mail'] };
      }),
    );
    expect(() => dockerComposeV2Config(stack)).toThrow(/service "mailhog" refers to undefined network mail/);
  });

  it('says where it looked and how to build Compose v2 when it is missing', () => {
    withEnv({ [COMPOSE_V2_ENV]: path.join(tempDir(), 'docker-compose') }, () => {
      expect(() => dockerComposeV2Config(GOOD_STACK)).toThrow(MissingToolError);
      expect(() => dockerComposeV2Config(GOOD_STACK)).toThrow(/CDK_COMPOSE_DOCKER_COMPOSE_V2=.*cannot run it.*tools\/compose\/build\.sh/);
    });
  });

  it('refuses Compose v1 where v2 is asked for', () => {
    const v1 = path.join(tempDir(), 'docker-compose');
    fs.writeFileSync(v1, '#!/bin/sh\necho 1.29.2\n', { mode: 0o755 });
    withEnv({ [COMPOSE_V2_ENV]: v1 }, () => {
      expect(() => dockerComposeV2Config(GOOD_STACK)).toThrow(/is Compose 1\.\d+\.\d+, not v2 or later/);
    });
  });
});

describe('validateKubernetesObject', () => {
  it.each(K8S_FILES)('accepts the good fixture k8s/%s', (file) => {
    expect(validateKubernetesObject(goodObject(file))).toEqual([]);
  });

  it('needs its own unknown-field check, since kubernetes-models validate() accepts unknown fields', () => {
    const deployment = goodObject('web-deployment.yaml');
    deployment.spec.replica = 3;
    deployment.spec.template.spec.containers[0].imagePullPolice = 'Always';
    expect(() => new Deployment(deployment).validate()).not.toThrow();
    deployment.spec.replicas = 'two';
    expect(() => new Deployment(deployment).validate()).toThrow(/spec\/replicas must be integer/);
  });

  it('rejects a Deployment with an unknown field in its spec', () => {
    const deployment = goodObject('web-deployment.yaml');
    deployment.spec.replica = 3;
    expect(validateKubernetesObject(deployment)).toEqual(['/spec has unknown field "replica"']);
  });

  it('rejects a Deployment with an unknown field in its pod template', () => {
    const deployment = goodObject('web-deployment.yaml');
    deployment.spec.template.spec.containers[0].imagePullPolice = 'Always';
    expect(validateKubernetesObject(deployment)).toEqual([
      '/spec/template/spec/containers/0 has unknown field "imagePullPolice"',
    ]);
  });

  // The API server's pod rules (lib/validate/pod-rules.ts): no OpenAPI schema expresses them.
  it('rejects two containers of one name, an init container included', () => {
    const deployment = goodObject('web-deployment.yaml');
    const spec = deployment.spec.template.spec;
    spec.initContainers = [{ name: spec.containers[0].name, image: 'busybox:1.36' }];
    expect(validateKubernetesObject(deployment)).toEqual([
      `/spec/template/spec/containers/0/name: container name "${spec.containers[0].name}" is already used at /spec/template/spec/initContainers/0`,
    ]);
  });

  it('rejects two volumes of one name, a volume name that is not a DNS label, and a mount of no volume', () => {
    const deployment = goodObject('web-deployment.yaml');
    const spec = deployment.spec.template.spec;
    spec.volumes = [
      { name: 'tmp-mnt-a-b', emptyDir: {} },
      { name: 'tmp-mnt-a-b', emptyDir: {} },
      { name: `v${'x'.repeat(63)}`, emptyDir: {} },
    ];
    spec.containers[0].volumeMounts = [{ name: 'cache', mountPath: '/cache' }];
    expect(validateKubernetesObject(deployment)).toEqual([
      '/spec/template/spec/volumes/1/name: volume name "tmp-mnt-a-b" is already used at /spec/template/spec/volumes/0',
      `/spec/template/spec/volumes/2/name: volume name "v${'x'.repeat(63)}" is not a DNS label (at most 63 characters)`,
      '/spec/template/spec/containers/0/volumeMounts/0/name: "cache" is not a volume of the pod',
    ]);
  });

  it('rejects an unknown field deep inside an env var source', () => {
    const deployment = goodObject('web-deployment.yaml');
    deployment.spec.template.spec.containers[0].env[1].valueFrom.secretKeyRef.optinal = true;
    expect(validateKubernetesObject(deployment)).toEqual([
      '/spec/template/spec/containers/0/env/1/valueFrom/secretKeyRef has unknown field "optinal"',
    ]);
  });

  it('rejects an unknown field in metadata', () => {
    const service = goodObject('web-service.yaml');
    service.metadata.label = { app: 'web' };
    expect(validateKubernetesObject(service)).toEqual(['/metadata has unknown field "label"']);
  });

  it('rejects an unknown field in a StatefulSet volume claim template', () => {
    const statefulSet = goodObject('db-statefulset.yaml');
    statefulSet.spec.volumeClaimTemplates[0].spec.resources.request = { storage: '1Gi' };
    expect(validateKubernetesObject(statefulSet)).toEqual([
      '/spec/volumeClaimTemplates/0/spec/resources has unknown field "request"',
    ]);
  });

  it('rejects an unknown field in an Ingress backend', () => {
    const ingress = goodObject('web-ingress.yaml');
    ingress.spec.rules[0].http.paths[0].backend.service.port = { numbr: 80 };
    expect(validateKubernetesObject(ingress)).toEqual([
      '/spec/rules/0/http/paths/0/backend/service/port has unknown field "numbr"',
    ]);
  });

  it('rejects an unknown field at the top level of a Job', () => {
    const job = goodObject('migrate-job.yaml');
    job.specs = job.spec;
    expect(validateKubernetesObject(job)).toEqual(['/ has unknown field "specs"']);
  });

  it('accepts any keys in free-form maps: labels, annotations, selectors, resource limits, ConfigMap data', () => {
    const deployment = goodObject('web-deployment.yaml');
    deployment.metadata.labels['example.com/anything'] = 'x';
    deployment.metadata.annotations['kubectl.kubernetes.io/restartedAt'] = '2024-01-01T00:00:00Z';
    deployment.spec.template.spec.nodeSelector = { 'kubernetes.io/os': 'linux' };
    deployment.spec.template.spec.containers[0].resources.limits = { memory: '256Mi', 'nvidia.com/gpu': 1 };
    expect(validateKubernetesObject(deployment)).toEqual([]);
    const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { 'app.conf': 'x=1' } };
    expect(validateKubernetesObject(configMap)).toEqual([]);
  });

  it('reports every problem of an object, not only the first', () => {
    const deployment = goodObject('web-deployment.yaml');
    deployment.spec.replica = 3;
    deployment.spec.template.spec.containers[0].imagePullPolice = 'Always';
    deployment.spec.template.spec.containers[0].ports[0].containerPort = 'http';
    expect(validateKubernetesObject(deployment)).toHaveLength(3);
  });

  it('rejects a replica count written as a string', () => {
    const deployment = goodObject('web-deployment.yaml');
    deployment.spec.replicas = '2';
    expect(validateKubernetesObject(deployment)).toEqual(['/spec/replicas must be integer']);
  });

  it('rejects a container port written as a string', () => {
    const statefulSet = goodObject('db-statefulset.yaml');
    statefulSet.spec.template.spec.containers[0].ports[0].containerPort = '5432';
    expect(validateKubernetesObject(statefulSet)).toEqual([
      '/spec/template/spec/containers/0/ports/0/containerPort must be integer',
    ]);
  });

  it('rejects a container without its required name', () => {
    const job = goodObject('migrate-job.yaml');
    delete job.spec.template.spec.containers[0].name;
    expect(validateKubernetesObject(job)).toEqual(['/spec/template/spec/containers/0 must have required property name']);
  });

  it('rejects a Service port without its required port number', () => {
    const service = goodObject('db-service.yaml');
    delete service.spec.ports[0].port;
    expect(validateKubernetesObject(service)).toEqual(['/spec/ports/0 must have required property port']);
  });

  it('rejects an unknown kind', () => {
    const deployment = goodObject('web-deployment.yaml');
    deployment.kind = 'Deploymnt';
    expect(validateKubernetesObject(deployment)).toEqual(['unknown kind "Deploymnt" in apiVersion "apps/v1"']);
  });

  it('rejects a nested type name used as a kind', () => {
    expect(validateKubernetesObject({ apiVersion: 'apps/v1', kind: 'DeploymentSpec', metadata: { name: 'x' } })).toEqual([
      'unknown kind "DeploymentSpec" in apiVersion "apps/v1"',
    ]);
  });

  it('rejects an unknown apiVersion, including custom resources', () => {
    const deployment = goodObject('web-deployment.yaml');
    deployment.apiVersion = 'apps/v2';
    expect(validateKubernetesObject(deployment)).toEqual(['unknown apiVersion "apps/v2"']);
    const certificate = { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'c' } };
    expect(validateKubernetesObject(certificate)).toEqual(['unknown apiVersion "cert-manager.io/v1"']);
    expect(validateKubernetesObject({ apiVersion: '../../x', kind: 'Pod' })).toEqual(['unknown apiVersion "../../x"']);
  });

  it('rejects an object without apiVersion or kind', () => {
    const deployment = goodObject('web-deployment.yaml');
    delete deployment.apiVersion;
    expect(validateKubernetesObject(deployment)).toEqual(['/ must have string apiVersion and kind']);
  });

  it('rejects an object without metadata.name', () => {
    const service = goodObject('web-service.yaml');
    delete service.metadata.name;
    expect(validateKubernetesObject(service)).toEqual(['/metadata/name is required']);
  });

  it('rejects something that is not an object', () => {
    expect(validateKubernetesObject(null)).toEqual(['expected a Kubernetes object (a mapping), got null']);
    expect(validateKubernetesObject(['x'])).toEqual(['expected a Kubernetes object (a mapping), got object']);
  });

  it('does not modify the object it validates', () => {
    const deployment = Object.freeze(goodObject('web-deployment.yaml'));
    const before = JSON.stringify(deployment);
    validateKubernetesObject(deployment);
    expect(JSON.stringify(deployment)).toBe(before);
  });

  it('validates hundreds of objects quickly once each kind is loaded', () => {
    const objects = K8S_FILES.map(goodObject);
    objects.forEach(validateKubernetesObject);
    const started = Date.now();
    for (let i = 0; i < 100; i++) objects.forEach((obj) => expect(validateKubernetesObject(obj)).toEqual([]));
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('kubectlKustomize', () => {
  it('renders the good k8s folder, with a Secret generated from dummy values', () => {
    const { objects } = kubectlKustomize(path.join(GOOD_STACK, 'k8s'));
    const kinds = objects.map((obj) => `${obj.kind}/${obj.metadata.name}`);
    expect(kinds).toEqual(
      expect.arrayContaining(['Service/db', 'StatefulSet/db', 'Job/migrate', 'Deployment/web', 'Service/web', 'Ingress/web']),
    );
    const secret = objects.find((obj) => obj.kind === 'Secret');
    expect(secret.metadata.name).toMatch(/^app-secrets-[a-z0-9]+$/);
    expect(Buffer.from(secret.data.POSTGRES_PASSWORD, 'base64').toString()).toBe('dummy-POSTGRES_PASSWORD');
    const web = objects.find((obj) => obj.kind === 'Deployment');
    expect(web.spec.template.spec.containers[0].env[1].valueFrom.secretKeyRef.name).toBe(secret.metadata.name);
  });

  it('fails when the kustomization lists a missing resource file', () => {
    const stack = stackWith((dir) => fs.rmSync(path.join(dir, 'k8s', 'web-ingress.yaml')));
    expect(() => kubectlKustomize(path.join(stack, 'k8s'))).toThrow(/web-ingress\.yaml/);
  });

  it('fails when a listed resource is not valid YAML', () => {
    const stack = stackWith((dir) => fs.writeFileSync(path.join(dir, 'k8s', 'web-service.yaml'), 'kind: Service\n  bad: [\n'));
    expect(() => kubectlKustomize(path.join(stack, 'k8s'))).toThrow(/kubectl kustomize .* failed/);
  });

  it('falls back to k8s/.env.example when the stack has no .env.example', () => {
    const k8sDir = path.join(tempDir(), 'k8s');
    fs.cpSync(path.join(GOOD_STACK, 'k8s'), k8sDir, { recursive: true });
    fs.writeFileSync(path.join(k8sDir, '.env.example'), 'POSTGRES_PASSWORD=\nSESSION_SECRET=\n');
    const secret = kubectlKustomize(k8sDir).objects.find((obj) => obj.kind === 'Secret');
    expect(Object.keys(secret.data).sort()).toEqual(['POSTGRES_PASSWORD', 'SESSION_SECRET']);
  });

  it('fails when the kustomization reads .env and there is no .env.example to make it from', () => {
    const k8sDir = path.join(tempDir(), 'k8s');
    fs.cpSync(path.join(GOOD_STACK, 'k8s'), k8sDir, { recursive: true });
    expect(() => kubectlKustomize(k8sDir)).toThrow(/\.env/);
  });

  it('says how to install kubectl when it is missing', () => {
    const emptyPath = tempDir();
    withEnv({ PATH: emptyPath }, () => {
      expect(() => kubectlKustomize(path.join(GOOD_STACK, 'k8s'))).toThrow(/`kubectl` was not found on PATH/);
    });
  });
});

describe('checkStackOutput', () => {
  it('passes the good stack', () => {
    expect(() => checkStackOutput(GOOD_STACK)).not.toThrow();
  });

  it('lists every problem, each with its file, in one error', () => {
    const stack = stackWith((dir) => {
      editYaml(path.join(dir, 'compose.yaml'), (doc) => (doc.services.web.restat = 'always'));
      editYaml(path.join(dir, 'k8s', 'web-deployment.yaml'), (doc) => (doc.spec.replica = 3));
      editYaml(path.join(dir, 'k8s', 'db-service.yaml'), (doc) => (doc.kind = 'Servic'));
    });
    let message = '';
    try {
      checkStackOutput(stack);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('compose.yaml: schema: /services/web must NOT have additional properties ("restat")');
    expect(message).toMatch(/compose.yaml: docker-compose config: .*Unsupported config option for services.web: 'restat'/s);
    expect(message).toContain('k8s/web-deployment.yaml: Deployment/web: /spec has unknown field "replica"');
    expect(message).toContain('k8s/db-service.yaml: Servic/db: unknown kind "Servic" in apiVersion "v1"');
    expect(message).toContain('k8s (kubectl kustomize output): Deployment/web: /spec has unknown field "replica"');
  });

  it('reports what only docker-compose rejects', () => {
    const stack = stackWith((dir) => editYaml(path.join(dir, 'compose.yaml'), (doc) => (doc.name = 'shop')));
    expect(() => checkStackOutput(stack)).toThrow(/1 problem\(s\)[\s\S]*compose.yaml: docker-compose config: [\s\S]*'name' does not match/);
  });

  it('reports what only docker compose (v2) rejects', () => {
    const stack = stackWith((dir) => editYaml(path.join(dir, 'compose.yaml'), (doc) => (doc.services.web.networks = ['default', 'backend'])));
    expect(() => checkStackOutput(stack)).toThrow(/1 problem\(s\)[\s\S]*compose.yaml: docker compose config: Compose \d+\.\d+\.\d+: [\s\S]*undefined network backend/);
  });

  it('fails, not skips, when Compose v2 is missing', () => {
    withEnv({ [COMPOSE_V2_ENV]: path.join(tempDir(), 'docker-compose') }, () => {
      expect(() => checkStackOutput(GOOD_STACK)).toThrow(/1 problem\(s\)[\s\S]*docker compose config could not run: CDK_COMPOSE_DOCKER_COMPOSE_V2=/);
    });
  });

  it('reports where the two renderings disagree (the parity check)', () => {
    const stack = stackWith((dir) => editYaml(path.join(dir, 'k8s', 'web-deployment.yaml'), (doc) => delete doc.spec.template.spec.initContainers));
    expect(() => checkStackOutput(stack)).toThrow(
      /2 problem\(s\)[\s\S]*parity: web: waits: waits for db to be ready on Compose, not on Kubernetes[\s\S]*parity: web: waits: waits for migrate to be completed on Compose, not on Kubernetes/,
    );
  });

  it('reports a broken kustomization', () => {
    const stack = stackWith((dir) => fs.rmSync(path.join(dir, 'k8s', 'web-ingress.yaml')));
    expect(() => checkStackOutput(stack)).toThrow(/k8s\/kustomization.yaml: kubectl kustomize: [\s\S]*web-ingress\.yaml/);
  });

  it('reports an object that only the kustomize output gets wrong', () => {
    const stack = stackWith((dir) =>
      editYaml(path.join(dir, 'k8s', 'kustomization.yaml'), (doc) => {
        doc.patches = [
          { target: { kind: 'Deployment', name: 'web' }, patch: '[{"op": "add", "path": "/spec/replica", "value": 3}]' },
        ];
      }),
    );
    expect(() => checkStackOutput(stack)).toThrow(
      /1 problem\(s\)[\s\S]*k8s \(kubectl kustomize output\): Deployment\/web: \/spec has unknown field "replica"/,
    );
  });

  it('reports a k8s file that holds no object', () => {
    const stack = stackWith((dir) => fs.writeFileSync(path.join(dir, 'k8s', 'empty.yaml'), '# nothing here\n'));
    expect(() => checkStackOutput(stack)).toThrow(/k8s\/empty.yaml: contains no Kubernetes object/);
  });
});
