import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { checkStackOutput, helmTemplate } from './support/real-tools';
import { REPO, TS_NODE, userProject } from './support/user-project';

const README = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');

/** The README's app, runnable against this checkout. */
function readmeApp(): string {
  const block = /```ts\n(\/\/ app\.ts\n[\s\S]*?)```/.exec(README);
  if (!block) throw new Error('README.md has no ```ts block starting with // app.ts');
  return block[1];
}

/** The README's error block: what a failing app prints. */
function readmeErrorBlock(): string {
  const block = /```\n(SynthError: [\s\S]*?)```/.exec(README);
  if (!block) throw new Error('README.md has no ``` block starting with SynthError:');
  return block[1];
}

/** An app with the two mistakes the README's error block shows. */
const FAILING_APP = `
import { App, Stack, WebApp, Worker } from 'cdk-compose';
const app = new App();
const stack = new Stack(app, 'shop');
new WebApp(stack, 'Api', { image: 'ghcr.io/acme/shop:1.4.2', port: 8080 });
const mailer = new Worker(stack, 'mailer', { image: 'ghcr.io/acme/mailer:2.0.0' });
new Worker(stack, 'worker', { image: 'ghcr.io/acme/shop:1.4.2' }).connect(mailer);
app.synth();
`;

describe('the README\'s error block', () => {
  let dir: string;
  beforeAll(() => {
    dir = userProject(FAILING_APP, { app: `${TS_NODE} --transpile-only app.ts` });
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('is exactly what a failing app prints when run directly, which exits 1 and writes nothing', () => {
    const result = spawnSync(TS_NODE, ['--transpile-only', 'app.ts', 'synth'], { cwd: dir, encoding: 'utf8' });
    expect(result.stderr).toBe(readmeErrorBlock());
    expect(result.stdout).toBe('');
    expect(result.status).toBe(1);
    expect(fs.existsSync(path.join(dir, 'cdk.out'))).toBe(false);
  });

  it('is what `cdk-compose synth` prints, before the line that says the app failed', () => {
    const result = spawnSync(process.execPath, [path.join(REPO, 'bin', 'cdk-compose.js'), 'synth'], { cwd: dir, encoding: 'utf8' });
    expect(result.stderr).toBe(`${readmeErrorBlock()}cdk-compose: the app "${TS_NODE} --transpile-only app.ts" failed (exit code 1)\n`);
    expect(result.status).toBe(1);
    expect(fs.existsSync(path.join(dir, 'cdk.out'))).toBe(false);
  });
});

describe('the README', () => {
  let dir: string;
  let stackDir: string;

  beforeAll(() => {
    dir = userProject(readmeApp());
    const result = spawnSync(TS_NODE, ['app.ts', 'synth'], {
      cwd: dir,
      encoding: 'utf8',
    });
    if (result.status !== 0) throw new Error(`the README's app failed:\n${result.stderr}`);
    stackDir = path.join(dir, 'cdk.out', 'shop');
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('shows an app that synthesizes output the real tools accept', () => {
    expect(() => checkStackOutput(stackDir)).not.toThrow();
  });

  it('shows the Job name the app really gets', () => {
    const jobFile = parse(fs.readFileSync(path.join(stackDir, 'k8s', 'job-migrate.yaml'), 'utf8'));
    expect(README).toContain(`job/${jobFile.metadata.name}]`);
  });

  it('shows the environment the api really gets on both targets', () => {
    const compose = parse(fs.readFileSync(path.join(stackDir, 'compose.yaml'), 'utf8'));
    const deployment = parse(fs.readFileSync(path.join(stackDir, 'k8s', 'deployment-api.yaml'), 'utf8'));
    const env = deployment.spec.template.spec.containers[0].env;
    expect(compose.services.api.environment.DATABASE_URL).toBe(
      'postgresql://app:${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env (see .env.example)}@db:5432/shop',
    );
    expect(compose.services.api.environment.CACHE_URL).toBe('redis://redis:6379/1');
    expect(env).toContainEqual({ name: 'DATABASE_URL', value: 'postgresql://app:$(POSTGRES_PASSWORD)@db:5432/shop' });
    expect(README).toContain('postgresql://app:$(POSTGRES_PASSWORD)@db:5432/shop');
    expect(README).toContain('CACHE_URL: redis://redis:6379/1');
  });

  it('shows a helm install whose Secret and value the chart really has', () => {
    // GIVEN the README's commands
    const install = /^helm install (\S+) cdk\.out\/shop\/chart --namespace shop (--set-string \S+)$/m.exec(README);
    const secret = /^kubectl create secret generic (\S+) --namespace shop --from-env-file=\.env$/m.exec(README);
    expect(install && secret).toBeTruthy();
    const [, release, set] = install as RegExpExecArray;
    // WHEN the chart is rendered as they install it
    const objects = helmTemplate(path.join(stackDir, 'chart'), release, set.split(' '));
    // THEN the api runs the tag it sets, and its pods read the Secret the README creates
    const api = objects.objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'shop-api');
    expect(api.spec.template.spec.containers[0].image).toBe(`ghcr.io/acme/shop:${set.split('=')[1]}`);
    const secretRefs = objects.stdout.match(/secretKeyRef:\n\s+name: \S+/g) ?? [];
    expect(secretRefs.length).toBeGreaterThan(0);
    expect(new Set(secretRefs.map((ref) => ref.split(/\s+/).at(-1)))).toEqual(new Set([(secret as RegExpExecArray)[1]]));
  });
});
