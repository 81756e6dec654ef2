import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { REPO } from '../support/user-project';

const BIN = path.join(REPO, 'bin', 'cdk-compose.js');

function cli(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdkc-import-cli-'));
  fs.cpSync(path.join(__dirname, 'fixtures', 'jobs-chain'), dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'broken.yml'), 'services:\n  api:\n    image: a\n    depends_on: [db]\n');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('import writes app.ts and the report, exit 0', () => {
  const r = cli(['import', 'docker-compose.yml', '--out', 'out/app.ts'], dir);
  expect(r.code).toBe(0);
  const source = fs.readFileSync(path.join(dir, 'out', 'app.ts'), 'utf8');
  expect(source).toContain("from 'cdk-compose'");
  expect(source).toContain("const migrate = new MigrationJob(stack, 'migrate', {");
  expect(source).toContain("password: Secret.fromEnv('DB_PASSWORD')");
  expect(r.stderr).toMatch(/\nwrote out\/app\.ts: stack cdkc-import-cli-[a-z0-9]+, 4 services, 0 volumes\n {2}ContainerService +app\n {2}MigrationJob +migrate, seed\n {2}PostgresService +db\n/);
  expect(r.stderr).toMatch(/\nreport: 1 unmapped key, \d+ differences, \d+ notes \(above\); the Compose project keeps the name cdkc-import-cli-[a-z0-9]+, so its volumes are found again\.\n/);
  expect(r.stderr).toContain('unmapped   docker-compose.yml: services.app.extra_hosts: no construct option for this key; kept as metadata in app.ts');
  // Deterministic: a second run writes the same text.
  cli(['import', 'docker-compose.yml', '-o', 'out/again.ts'], dir);
  expect(fs.readFileSync(path.join(dir, 'out', 'again.ts'), 'utf8')).toBe(source);
});

test('-o - prints the source on stdout; -q prints no report', () => {
  const r = cli(['import', 'docker-compose.yml', '-o', '-', '-q'], dir);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('app.synth();');
  expect(r.stderr).toBe('');
});

test('bad input: exit 1 with the file and the key', () => {
  const r = cli(['import', 'broken.yml', '-o', '-'], dir);
  expect(r.code).toBe(1);
  expect(r.stderr).toBe('cdk-compose import: broken.yml:4:18: services.api.depends_on.db: depends on service "db", which is not defined\n');
});

test('no file: usage error, exit 2', () => {
  const r = cli(['import'], dir);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('cdk-compose: import needs at least one Compose file');
});

test('--help and the usage list import', () => {
  const help = cli(['import', '--help'], dir);
  expect(help.code).toBe(0);
  expect(help.stdout).toContain('Usage: cdk-compose import <compose file...> [--out app.ts]');
  expect(cli(['--help'], dir).stdout).toContain('import <file...>');
});
