import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { REPO, TS_NODE, userProject } from '../support/user-project';

const BIN = path.join(REPO, 'bin', 'cdk-compose.js');
const project = userProject;

function run(cwd: string, args: string[], command = process.execPath) {
  const result = spawnSync(command, command === process.execPath ? [BIN, ...args] : args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NODE_PATH: path.join(REPO, 'node_modules'), FORCE_COLOR: '0' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const GOOD_APP = `
import { App, RedisService, Stack, WebApp } from 'cdk-compose';
const app = new App();
const stack = new Stack(app, 'shop');
const redis = new RedisService(stack, 'cache');
new WebApp(stack, 'web', { image: 'nginx:1.27-alpine', port: 80 }).connect(redis);
app.synth();
`;


describe('cdk-compose synth', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it('runs the app named in cdk-compose.json and writes to its output folder', () => {
    const dir = project(GOOD_APP, { app: `${TS_NODE} --transpile-only app.ts`, output: 'out' });
    dirs.push(dir);
    const result = run(dir, ['synth']);
    expect(result.stderr).toContain('synthesized 1 stack');
    expect(result.code).toBe(0);
    expect(fs.existsSync(path.join(dir, 'out', 'shop', 'compose.yaml'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'out', 'shop', 'k8s', 'kustomization.yaml'))).toBe(true);
    expect(result.stderr).toContain(path.join('out', 'shop'));
  });

  it('lets --output override the configured folder', () => {
    const dir = project(GOOD_APP, { app: `${TS_NODE} --transpile-only app.ts`, output: 'out' });
    dirs.push(dir);
    expect(run(dir, ['synth', '--output', 'elsewhere']).code).toBe(0);
    expect(fs.existsSync(path.join(dir, 'elsewhere', 'shop', 'compose.yaml'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'out'))).toBe(false);
  });

  it('is also what `ts-node app.ts synth` does, into cdk.out', () => {
    const dir = project(GOOD_APP);
    dirs.push(dir);
    const result = run(dir, ['--transpile-only', 'app.ts', 'synth'], TS_NODE);
    expect(result.code).toBe(0);
    expect(fs.existsSync(path.join(dir, 'cdk.out', 'shop', 'compose.yaml'))).toBe(true);
  });

  it('fails with exit code 1, the error list and nothing written when the app has errors', () => {
    const dir = project(GOOD_APP.replace("'web'", "'Web_1'"), { app: `${TS_NODE} --transpile-only app.ts` });
    dirs.push(dir);
    const result = run(dir, ['synth']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/\[shop\/Web_1\] name "Web_1" is not a DNS label/);
    expect(result.stderr).not.toMatch(/\n\s+at /); // the error list, not a stack trace
    expect(fs.existsSync(path.join(dir, 'cdk.out'))).toBe(false);
  });

  it('fails with exit code 2 and says how to fix it when there is no app to run', () => {
    const dir = project(GOOD_APP);
    dirs.push(dir);
    const result = run(dir, ['synth']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no app to run: pass --app .* or create cdk-compose.json/);
  });

  it('fails with exit code 2 on a malformed cdk-compose.json', () => {
    const dir = project(GOOD_APP);
    dirs.push(dir);
    fs.writeFileSync(path.join(dir, 'cdk-compose.json'), '{ "app": ');
    const result = run(dir, ['synth']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/cdk-compose.json is not valid JSON/);
  });

  it('fails with exit code 2 on an unknown command or option', () => {
    expect(run(REPO, ['deploy']).code).toBe(2);
    const result = run(REPO, ['synth', '--colour']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown option --colour/);
  });

  it('prints its usage with --help', () => {
    const result = run(REPO, ['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Usage: cdk-compose <command>/);
  });
});
