import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ImportError, importCompose } from '../../lib/import';

function importFiles(files: Record<string, string>, order = Object.keys(files)): () => unknown {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdkc-import-bad-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return () => importCompose(order, { cwd: dir, stackName: 'bad' });
}

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ImportError);
    return (error as Error).message;
  }
  throw new Error('no error');
}

test.each([
  ['not YAML', 'services: [\n', /^compose\.yml: not valid YAML \(line \d+, column \d+\): /],
  ['a list, not a compose file', '- a\n- b\n', 'compose.yml: not a Compose file: the top level is a list, not a mapping with "services"'],
  ['no services', 'volumes: {}\n', 'compose.yml: services: not a Compose file: no "services" mapping'],
  ['unknown top-level key', 'services: {}\nservises: {}\n', 'compose.yml:2:1: servises: unknown top-level key "servises"; did you mean "services"? (Compose knows version, name, services, networks, volumes, secrets, configs and x- extensions)'],
  ['unknown service key', 'services:\n  api:\n    image: a\n    enviroment: {A: b}\n', 'compose.yml:4:5: services.api.enviroment: unknown key "enviroment"; did you mean "environment"? (docker compose refuses it too)'],
  ['service not a mapping', 'services:\n  api: nginx\n', 'compose.yml:2:3: services.api: must be a mapping, got a string'],
  ['broken depends_on', 'services:\n  api:\n    image: a\n    depends_on: [db]\n', 'compose.yml:4:18: services.api.depends_on.db: depends on service "db", which is not defined'],
  ['unknown condition', 'services:\n  db: {image: a}\n  api:\n    image: a\n    depends_on: {db: {condition: service_ready}}\n', 'compose.yml:5:23: services.api.depends_on.db.condition: unknown condition "service_ready"'],
  ['depends_on cycle', 'services:\n  a: {image: x, depends_on: [b]}\n  b: {image: x, depends_on: [c]}\n  c: {image: x, depends_on: [a]}\n', 'compose.yml:4:30: services.c.depends_on.a: depends_on has a cycle: a -> b -> c -> a'],
  ['undefined volume', 'services:\n  db:\n    image: a\n    volumes: ["data:/data"]\n', 'compose.yml:4:15: services.db.volumes[0]: uses volume "data", which is not defined under the top-level "volumes"'],
  ['undefined network', 'services:\n  db:\n    image: a\n    networks: [back]\n', 'compose.yml:4:16: services.db.networks.back: uses network "back", which is not defined under the top-level "networks"'],
  ['extends a missing service', 'services:\n  web:\n    extends: base\n', 'compose.yml:3:5: services.web.extends: extends service "base", which is not defined in this file'],
  ['extends itself', 'services:\n  a: {extends: b}\n  b: {extends: a}\n', 'compose.yml:3:7: services.b.extends: extends itself through a -> b -> a'],
])('%s', (_name, text, expected) => {
  const got = message(importFiles({ 'compose.yml': text }));
  if (expected instanceof RegExp) expect(got).toMatch(expected);
  else expect(got).toBe(expected);
});

test('a missing file', () => {
  expect(message(importFiles({}, ['nope.yml']))).toBe('nope.yml: cannot read the file (does it exist?)');
});

test('the error names the override file that has the bad key', () => {
  const fn = importFiles({ 'a.yml': 'services:\n  api: {image: x}\n', 'b.yml': 'services:\n  api:\n    portz: ["80:80"]\n' });
  expect(message(fn)).toBe('b.yml:3:5: services.api.portz: unknown key "portz"; did you mean "ports"? (docker compose refuses it too)');
});

test('two services that publish one host port: docker compose cannot start both, so import stops at the second', () => {
  const text = 'services:\n  a: {image: x, ports: ["8080:80"]}\n  b:\n    image: x\n    ports:\n      - "9000:9000"\n      - "8080:8080"\n';
  expect(message(importFiles({ 'compose.yml': text }))).toBe(
    'compose.yml:7:9: services.b.ports[1]: host port 8080 is already published by service "a"; docker compose cannot start both (the port is already allocated): publish another host port, or put one of them in a profile',
  );
});

test('two services in different profiles may publish one host port', () => {
  const text = 'services:\n  a: {image: x:1, ports: ["8080:80"], profiles: [blue]}\n  b: {image: x:1, ports: ["8080:80"], profiles: [green]}\n';
  expect(() => importFiles({ 'compose.yml': text })()).not.toThrow();
});
