import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { dummyValue, importCompose, ImportResult } from '../../lib/import';
import { differences } from '../../lib/import/normalize';
import { REPO, TS_NODE, userProject } from '../support/user-project';

const FIXTURES = path.join(__dirname, 'fixtures');

/** Fixture folder -> its Compose files, in the order Compose merges them. */
const CASES: Record<string, string[]> = {
  'seed-parmana': ['docker-compose.yml'],
  'seed-srvthreds': ['docker-compose.yml'],
  'seed-drm': ['docker-compose.yml'],
  'seed-project88': ['docker-compose.yml'],
  'seed-escrowgrid': ['docker-compose.yml'],
  blog: ['docker-compose.yml'],
  'queue-workers': ['docker-compose.yml'],
  monitoring: ['docker-compose.yml'],
  'multi-file': ['docker-compose.yml', 'docker-compose.override.yml'],
  'extends-env': ['docker-compose.yml'],
  'static-proxy': ['docker-compose.yml'],
  'mongo-app': ['docker-compose.yml'],
  'search-app': ['docker-compose.yml'],
  'jobs-chain': ['docker-compose.yml'],
  hardened: ['docker-compose.yml'],
  'env-by-variable': ['docker-compose.yml'],
};

function run(command: string, args: string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, HOME: cwd } });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${result.stderr}${result.stdout}`);
  return result.stdout;
}

function composeConfig(dir: string, files: string[]): Record<string, any> {
  const doc = parse(run('docker-compose', [...files.flatMap((f) => ['-f', f]), 'config'], dir));
  delete doc.version;
  return doc;
}

const imported = new Map<string, { dir: string; result: ImportResult }>();
const failures = new Map<string, unknown>();

beforeAll(() => {
  for (const [name, files] of Object.entries(CASES)) {
    const dir = userProject('');
    fs.cpSync(path.join(FIXTURES, name), dir, { recursive: true });
    let result: ImportResult;
    try {
      result = importCompose(files, { cwd: dir, outFile: 'app.ts', stackName: name });
    } catch (error) {
      failures.set(name, error);
      continue;
    }
    fs.writeFileSync(path.join(dir, 'app.ts'), result.source.replace(/'cdk-compose'/g, JSON.stringify(path.join(REPO, 'lib'))));
    imported.set(name, { dir, result });
  }
});

afterAll(() => {
  for (const { dir } of imported.values()) fs.rmSync(dir, { recursive: true, force: true });
});

test('every generated app.ts type-checks (one tsc run over all of them)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdkc-import-tsc-'));
  try {
    for (const [name, { result }] of imported) {
      fs.writeFileSync(path.join(dir, `${name}.ts`), result.source.replace(/'cdk-compose'/g, JSON.stringify(path.join(REPO, 'lib'))));
    }
    fs.writeFileSync(
      path.join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { module: 'commonjs', target: 'ES2022', strict: true, noUnusedLocals: true, noEmit: true, skipLibCheck: true, types: ['node'], typeRoots: [path.join(REPO, 'node_modules', '@types')] },
        include: ['*.ts'],
      }),
    );
    const tsc = spawnSync(path.join(REPO, 'node_modules', '.bin', 'tsc'), ['-p', dir], { encoding: 'utf8' });
    expect(tsc.stdout + tsc.stderr).toBe('');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

describe.each(Object.keys(CASES))('round trip: %s', (name) => {
  test('runs, and docker-compose config of input and output differ exactly where the report says', () => {
    if (failures.has(name)) throw failures.get(name);
    const { dir, result } = imported.get(name)!;
    run(TS_NODE, ['--transpile-only', 'app.ts'], dir);
    const outDir = path.join(dir, 'cdk.out', result.stackName);
    const example = fs.readFileSync(path.join(outDir, '.env.example'), 'utf8');
    const env = example
      .split('\n')
      .map((line) => /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(line)?.[1])
      .filter((v): v is string => v !== undefined)
      .map((v) => `${v}=${dummyValue(v)}\n`)
      .join('');
    fs.writeFileSync(path.join(dir, '.env'), env);
    fs.writeFileSync(path.join(outDir, '.env'), env);
    const input = composeConfig(dir, CASES[name]);
    const output = composeConfig(outDir, ['compose.yaml']);
    const actual = differences(input, output);
    const reported = result.findings
      .filter((f) => f.kind === 'difference')
      .map((f) => (f.service !== undefined ? `services.${f.service}.${f.key}` : f.key))
      .sort();
    expect(reported).toEqual(actual);
    // Every finding names one of the input files; keys without a construct stay in the source.
    for (const f of result.findings) expect(CASES[name]).toContain(f.file);
    if (result.findings.some((f) => f.kind === 'unmapped' && f.message.includes('kept as metadata'))) {
      expect(result.source).toContain("node.addMetadata('cdk-compose:import:unmapped'");
    }
  });
});
