import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { typeScriptAppOf } from '../../lib/cli/typescript-app';
import { readTree } from '../support/files';
import { REPO, TS_NODE, userProject } from '../support/user-project';

const BIN = path.join(REPO, 'bin', 'cdk-compose.js');

function run(cwd: string, args: string[], cacheDir: string) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      NODE_PATH: path.join(REPO, 'node_modules'),
      PATH: `${path.join(REPO, 'node_modules', '.bin')}${path.delimiter}${process.env.PATH}`,
      FORCE_COLOR: '0',
      CDK_COMPOSE_CACHE_DIR: cacheDir,
    },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const APP = (services: string[]) => `
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack, WebApp } from 'cdk-compose';
import { IMAGE } from './image';
const app = new App();
const stack = new Stack(app, 'shop');
// Read beside the source: __dirname is app.ts's folder, not the cache's.
const port = Number(fs.readFileSync(path.join(__dirname, 'port.txt'), 'utf8'));
for (const name of ${JSON.stringify(services)}) new WebApp(stack, name, { image: IMAGE, port });
app.synth();
`;

describe('typeScriptAppOf', () => {
  it('takes app.ts, ts-node app.ts and npx ts-node app.ts, with plain arguments', () => {
    expect(typeScriptAppOf('app.ts', '/p')).toEqual({ file: '/p/app.ts', args: [], viaTsNode: false });
    expect(typeScriptAppOf('src/app.ts synth', '/p')).toEqual({ file: '/p/src/app.ts', args: ['synth'], viaTsNode: false });
    expect(typeScriptAppOf('npx ts-node app.ts', '/p')).toEqual({ file: '/p/app.ts', args: [], viaTsNode: true });
    expect(typeScriptAppOf('  ts-node   ./infra/main.ts  ', '/p')).toEqual({ file: '/p/infra/main.ts', args: [], viaTsNode: true });
  });

  it('leaves every other command to the shell', () => {
    for (const command of [
      'npx ts-node --transpile-only app.ts',
      'node -r ts-node/register/transpile-only app.ts',
      'node app.js',
      'npx tsx app.ts',
      'app.d.ts',
      'python3 app.py',
      'npx ts-node app.ts > log.txt',
      'FOO=1 npx ts-node app.ts',
      'npx ts-node "my app.ts"',
      'npx ts-node app.ts && echo done',
    ]) {
      expect([command, typeScriptAppOf(command, '/p')]).toEqual([command, undefined]);
    }
  });
});

describe('cdk-compose synth with "app": "app.ts"', () => {
  // One project through its life: first compile, a run from the cache, edits, a type error, its fix.
  let dir: string;
  let cache: string;
  beforeAll(() => {
    dir = userProject(APP(['web']), { app: 'app.ts', output: 'out' });
    cache = fs.mkdtempSync(path.join(os.tmpdir(), 'cdkc-cache-'));
    fs.writeFileSync(path.join(dir, 'image.ts'), "export const IMAGE: string = 'nginx:1.27-alpine';\n");
    fs.writeFileSync(path.join(dir, 'port.txt'), '8080');
  });
  afterAll(() => [dir, cache].forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it('type-checks and compiles the app into the cache folder, and writes what ts-node writes', () => {
    const result = run(dir, ['synth'], cache);
    expect(result.stderr).toContain('synthesized 1 stack');
    expect(result.code).toBe(0);
    const [folder] = fs.readdirSync(cache);
    expect(fs.readdirSync(path.join(cache, folder)).sort()).toEqual(['app.tsbuildinfo', 'js', 'register.js', 'state.json']);

    const byTsNode = spawnSync(TS_NODE, ['app.ts'], { cwd: dir, encoding: 'utf8', env: { ...process.env, CDK_COMPOSE_OUTDIR: path.join(dir, 'by-ts-node'), CDK_COMPOSE_QUIET: '1' } });
    expect(byTsNode.status).toBe(0);
    expect(readTree(path.join(dir, 'out', 'shop'))).toEqual(readTree(path.join(dir, 'by-ts-node', 'shop')));
  });

  it('runs again from the cache, with the same output', () => {
    const before = readTree(path.join(dir, 'out', 'shop'));
    const state = fs.statSync(path.join(cache, fs.readdirSync(cache)[0], 'state.json')).mtimeMs;
    const result = run(dir, ['synth'], cache);
    expect(result.code).toBe(0);
    expect(readTree(path.join(dir, 'out', 'shop'))).toEqual(before);
    // Nothing was compiled: the state of the last compile is the same file.
    expect(fs.statSync(path.join(cache, fs.readdirSync(cache)[0], 'state.json')).mtimeMs).toBe(state);
  });

  it('compiles again when the app or a file it imports changes', () => {
    fs.writeFileSync(path.join(dir, 'app.ts'), APP(['web', 'api']).replace(/'cdk-compose'/g, JSON.stringify(path.join(REPO, 'lib'))));
    fs.writeFileSync(path.join(dir, 'image.ts'), "export const IMAGE: string = 'nginx:1.28-alpine';\n");
    const result = run(dir, ['synth'], cache);
    expect(result.code).toBe(0);
    const compose = fs.readFileSync(path.join(dir, 'out', 'shop', 'compose.yaml'), 'utf8');
    expect(compose).toContain('  api:\n');
    expect(compose).toContain('nginx:1.28-alpine');
  });

  it('fails with the compiler\'s message and writes nothing when the app does not type-check', () => {
    const before = readTree(path.join(dir, 'out', 'shop'));
    fs.writeFileSync(path.join(dir, 'image.ts'), 'export const IMAGE: string = 42;\n');
    const result = run(dir, ['synth'], cache);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^image\.ts:1:14 - error TS2322: Type 'number' is not assignable to type 'string'\.$/m);
    // The compiler's message, not a stack trace of the command.
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.stderr).toContain('app.ts does not type-check (1 error); nothing was written');
    expect(readTree(path.join(dir, 'out', 'shop'))).toEqual(before);

    // ... and again on the next run: a failed compile is not cached.
    expect(run(dir, ['synth'], cache).code).toBe(1);
  });

  it('runs once the error is fixed', () => {
    fs.writeFileSync(path.join(dir, 'image.ts'), "export const IMAGE: string = 'nginx:1.29-alpine';\n");
    const result = run(dir, ['synth'], cache);
    expect(result.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'out', 'shop', 'compose.yaml'), 'utf8')).toContain('nginx:1.29-alpine');
  });

  it('shows the app\'s own stack trace at its TypeScript lines', () => {
    fs.writeFileSync(path.join(dir, 'port.txt'), 'not a number');
    fs.writeFileSync(path.join(dir, 'app.ts'), fs.readFileSync(path.join(dir, 'app.ts'), 'utf8').replace('const port = ', "if (1 > 0) throw new Error('no port');\nconst port = "));
    const result = run(dir, ['synth'], cache);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Error: no port');
    expect(result.stderr).toMatch(/app\.ts:9:\d+/);
  });
});

describe('cdk-compose synth with a ts-node app command', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
  const typeError = "import { App } from 'cdk-compose';\nconst count: number = 'three';\nnew App().synth();\n";

  it('compiles `ts-node app.ts` itself, failing on a type error as ts-node does', () => {
    const dir = userProject(typeError, { app: 'ts-node app.ts' });
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'cdkc-cache-'));
    dirs.push(dir, cache);
    const result = run(dir, ['synth'], cache);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^app\.ts:2:7 - error TS2322/m);
    expect(fs.readdirSync(cache)).toHaveLength(1);
  });

  it('runs the command as written when tsconfig.json has ts-node options', () => {
    const dir = userProject(typeError, { app: 'ts-node app.ts' });
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'cdkc-cache-'));
    dirs.push(dir, cache);
    const tsconfig = JSON.parse(fs.readFileSync(path.join(dir, 'tsconfig.json'), 'utf8'));
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ ...tsconfig, 'ts-node': { transpileOnly: true } }));
    const result = run(dir, ['synth'], cache);
    expect(result.stderr).toContain('synthesized 0 stacks');
    expect(result.code).toBe(0);
  });
});
