import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { COMPOSE_V2_ENV } from '../../lib/validate/compose-v2';
import { HELM_ENV } from '../../lib/validate/helm';
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

/** Two stacks; the web app's port comes from context, and the admin UI holds a plain-text secret (a warning). */
const TWO_STACKS_APP = `
import { App, Secret, Stack, WebApp } from 'cdk-compose';
const app = new App();
for (const name of ['shop', 'blog']) {
  const stack = new Stack(app, name);
  new WebApp(stack, 'web', { image: 'nginx:1.27-alpine', port: Number(app.node.tryGetContext('port') ?? 80) });
}
new WebApp(app.node.findChild('blog') as Stack, 'admin', { image: 'nginx:1.27-alpine', port: 80, env: { ADMIN_TOKEN: Secret.unsafePlainText('t0ken') } });
app.synth();
`;

const APP_CMD = `${TS_NODE} --transpile-only app.ts`;


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
    expect(fs.existsSync(path.join(dir, 'out', 'shop', 'chart', 'Chart.yaml'))).toBe(true);
    expect(result.stderr).toContain(path.join('out', 'shop'));
  });

  it('writes no Helm chart with --no-charts', () => {
    // ("charts": false in cdk-compose.json sets the same context value: test/cli/settings.test.ts)
    const dir = project(GOOD_APP, { app: APP_CMD });
    dirs.push(dir);
    expect(run(dir, ['synth', '-q', '--no-charts']).code).toBe(0);
    expect(fs.readdirSync(path.join(dir, 'cdk.out', 'shop')).sort()).toEqual(['.env.example', '.gitignore', 'compose.yaml', 'k8s']);
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
    expect(result.stderr).toMatch(/\[shop\/Web_1\] name "Web_1" is not a service name/);
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
    expect(result.stderr).toMatch(/unknown option --colour\n/);
  });

  it('names the command or option a misspelt one is closest to', () => {
    const verb = run(REPO, ['synht']);
    expect(verb.code).toBe(2);
    expect(verb.stderr).toMatch(/^cdk-compose: unknown command "synht"; did you mean "synth"\?\n/);
    const option = run(REPO, ['synth', '--stirct']);
    expect(option.code).toBe(2);
    expect(option.stderr).toMatch(/^cdk-compose: unknown option --stirct; did you mean --strict\?\n/);
  });

  it('prints its usage with --help', () => {
    const result = run(REPO, ['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Usage: cdk-compose <command>/);
  });
});

describe('cdk-compose synth with stack names, context and strict mode', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it('writes only the stacks it is given', () => {
    const dir = project(TWO_STACKS_APP, { app: APP_CMD });
    dirs.push(dir);
    expect(run(dir, ['synth', 'blog', '--quiet']).code).toBe(0);
    expect(fs.readdirSync(path.join(dir, 'cdk.out')).sort()).toEqual(['blog', 'manifest.json']);
  });

  it('fails with exit code 1 on a stack name the app does not have, listing the ones it has', () => {
    const dir = project(TWO_STACKS_APP, { app: APP_CMD });
    dirs.push(dir);
    const result = run(dir, ['synth', 'shopp']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/there is no stack named "shopp"; the app has: shop, blog; did you mean "shop"\?/);
  });

  it('prints nothing on success with --quiet', () => {
    const dir = project(TWO_STACKS_APP, { app: APP_CMD });
    dirs.push(dir);
    const result = run(dir, ['synth', '-q']);
    expect(result.code).toBe(0);
    expect(result.stdout + result.stderr).toBe('');
  });

  it('passes context from cdk-compose.json and --context to the app, the option winning', () => {
    const dir = project(TWO_STACKS_APP, { app: APP_CMD, context: { port: 8080 } });
    dirs.push(dir);
    expect(run(dir, ['synth', '-q']).code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'cdk.out', 'shop', 'compose.yaml'), 'utf8')).toContain('- "8080"');
    expect(run(dir, ['synth', '-q', '-c', 'port=9090']).code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'cdk.out', 'shop', 'compose.yaml'), 'utf8')).toContain('- "9090"');
  });

  it('groups warnings by construct path and fails on them with --strict, writing nothing', () => {
    const dir = project(TWO_STACKS_APP, { app: APP_CMD });
    dirs.push(dir);
    const lenient = run(dir, ['synth']);
    expect(lenient.code).toBe(0);
    expect(lenient.stderr).toMatch(/blog\/admin\n\s+warning: environment variable ADMIN_TOKEN holds a secret written in plain text/);
    fs.rmSync(path.join(dir, 'cdk.out'), { recursive: true });
    const strict = run(dir, ['synth', '--strict']);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/\[blog\/admin\] environment variable ADMIN_TOKEN holds a secret written in plain text.*strict mode fails on warnings/);
    expect(fs.existsSync(path.join(dir, 'cdk.out'))).toBe(false);
  });

  it('fails with exit code 1 and the app\'s own message when the app throws', () => {
    const dir = project(`throw new Error('the app broke while reading its settings');`, { app: APP_CMD });
    dirs.push(dir);
    const result = run(dir, ['synth']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/the app broke while reading its settings/);
    expect(result.stderr).toMatch(/the app ".*app.ts" failed \(exit code 1\)/);
  });

  it('fails with exit code 2 on an unknown key in cdk-compose.json', () => {
    const dir = project(GOOD_APP, { app: APP_CMD, outdir: 'out' });
    dirs.push(dir);
    const result = run(dir, ['synth']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown key "outdir"; the keys are app, output, context, strict, charts/);
  });
});

describe('an app run directly', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
  const direct = (dir: string, args: string[]) => run(dir, ['--transpile-only', 'app.ts', ...args], TS_NODE);

  it('takes the stacks, --quiet, --context and --output of cdk-compose synth', () => {
    const dir = project(TWO_STACKS_APP);
    dirs.push(dir);
    const result = direct(dir, ['synth', 'shop', '-q', '-c', 'port=9090', '--output', 'out']);
    expect(result.stdout + result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(fs.readdirSync(path.join(dir, 'out')).sort()).toEqual(['manifest.json', 'shop']);
    expect(fs.readFileSync(path.join(dir, 'out', 'shop', 'compose.yaml'), 'utf8')).toContain('- "9090"');
  });

  it('synthesizes without a verb, and fails on warnings and open findings with --strict, writing nothing', () => {
    const dir = project(TWO_STACKS_APP);
    dirs.push(dir);
    const strict = direct(dir, ['--strict']);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/^SynthError: synth failed with \d+ errors; nothing was written:\n/);
    expect(strict.stderr).toMatch(/\[shop\/web\] \[CKC-USER\]/);
    expect(fs.existsSync(path.join(dir, 'cdk.out'))).toBe(false);
    expect(direct(dir, []).code).toBe(0);
    expect(fs.existsSync(path.join(dir, 'cdk.out', 'blog', 'compose.yaml'))).toBe(true);
  });

  it('prints the stack names with list and writes nothing', () => {
    const dir = project(TWO_STACKS_APP);
    dirs.push(dir);
    const result = direct(dir, ['list']);
    expect(result).toMatchObject({ code: 0, stdout: 'shop\nblog\n', stderr: '' });
    expect(fs.existsSync(path.join(dir, 'cdk.out'))).toBe(false);
  });

  it('fails with exit code 2, writing nothing, on a verb or option it does not take, naming the closest', () => {
    const dir = project(TWO_STACKS_APP);
    dirs.push(dir);
    expect(direct(dir, ['frobnicate'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/^app.ts: unknown command "frobnicate"; the app takes synth and list\n/) });
    expect(direct(dir, ['synht'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/^app.ts: unknown command "synht"; did you mean "synth"\?\n/) });
    expect(direct(dir, ['synth', '--stirct'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/^app.ts: unknown option --stirct; did you mean --strict\?\n/) });
    expect(direct(dir, ['diff'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/^app.ts: diff is a command of cdk-compose, not of the app: run `npx cdk-compose diff`/) });
    expect(fs.existsSync(path.join(dir, 'cdk.out'))).toBe(false);
  });

  it('prints its usage with --help', () => {
    const dir = project(TWO_STACKS_APP);
    dirs.push(dir);
    expect(direct(dir, ['--help'])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Usage: app.ts \[synth\] \[stack...\] \[options\]\n/) });
  });
});

/** An app stack defined before the infrastructure stack it connects to. */
const DEPENDENT_STACKS_APP = `
import { App, Network, RedisService, Stack, WebApp } from 'cdk-compose';
const app = new App();
const shop = new Stack(app, 'shop');
const infra = new Stack(app, 'infra');
const cache = new RedisService(infra, 'cache', { networks: [new Network(infra, 'backend', { shared: true })] });
new WebApp(shop, 'web', { image: 'nginx:1.27-alpine', port: 80, networks: [new Network(shop, 'backend', { external: true })] }).connect(cache);
app.synth();
`;

describe('cdk-compose list', () => {
  it('prints the stacks in the order to deploy them, and on stderr which comes after which', () => {
    const dir = project(DEPENDENT_STACKS_APP, { app: APP_CMD });
    try {
      const result = run(dir, ['list']);
      expect(result.code).toBe(0);
      expect(result.stdout).toBe('infra\nshop\n');
      expect(result.stderr).toBe('shop is deployed after infra\n');
      expect(run(dir, ['--transpile-only', 'app.ts', 'list'], TS_NODE)).toMatchObject({ code: 0, stdout: 'infra\nshop\n', stderr: 'shop is deployed after infra\n' });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('prints the stack names, one per line, and writes nothing', () => {
    const dir = project(TWO_STACKS_APP, { app: APP_CMD });
    try {
      const result = run(dir, ['list']);
      expect(result.code).toBe(0);
      expect(result.stdout).toBe('shop\nblog\n');
      expect(fs.existsSync(path.join(dir, 'cdk.out'))).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('cdk-compose diff', () => {
  let dir: string;
  beforeEach(() => {
    dir = project(TWO_STACKS_APP, { app: APP_CMD });
    expect(run(dir, ['synth', '-q']).code).toBe(0);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('says the output is up to date and exits 0 when nothing drifted', () => {
    const result = run(dir, ['diff', '--fail']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/cdk.out is up to date \(2 stacks\)/);
  });

  it('shows a hand edit as a unified diff and exits 1 with --fail', () => {
    const file = path.join(dir, 'cdk.out', 'shop', 'compose.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('nginx:1.27-alpine', 'nginx:latest'));
    const result = run(dir, ['diff', '--fail']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('--- a/shop/compose.yaml\n+++ b/shop/compose.yaml\n@@');
    expect(result.stdout).toMatch(/^-\s+image: nginx:latest$/m);
    expect(result.stdout).toMatch(/^\+\s+image: nginx:1.27-alpine$/m);
    expect(result.stderr).toMatch(/1 file in cdk.out differs from what synth writes/);
  });

  it('prints the removed lines of a change before the added ones', () => {
    const file = path.join(dir, 'cdk.out', 'shop', 'compose.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('nginx:1.27-alpine', 'nginx:latest'));
    const result = run(dir, ['diff']);
    expect(result.stdout).toMatch(/^-\s+image: nginx:latest\n\+\s+image: nginx:1.27-alpine$/m);
  });

  it('reports drift without failing when --fail is not given', () => {
    fs.rmSync(path.join(dir, 'cdk.out', 'blog', 'k8s', 'deployment-admin.yaml'));
    const result = run(dir, ['diff']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('--- /dev/null\n+++ b/blog/k8s/deployment-admin.yaml');
  });

  it('shows a stale file that synth would not write as removed', () => {
    fs.writeFileSync(path.join(dir, 'cdk.out', 'shop', 'k8s', 'deployment-old.yaml'), 'kind: Deployment\n');
    const result = run(dir, ['diff', 'shop', '--fail']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('--- a/shop/k8s/deployment-old.yaml\n+++ /dev/null');
  });

  it('ignores the user\'s own .env files', () => {
    fs.writeFileSync(path.join(dir, 'cdk.out', 'shop', '.env'), 'SECRET=x\n');
    expect(run(dir, ['diff', '--fail']).code).toBe(0);
  });

  it('covers the Helm chart: a hand edit of its values shows', () => {
    const file = path.join(dir, 'cdk.out', 'shop', 'chart', 'values.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('tag: 1.27-alpine', 'tag: latest'));
    const result = run(dir, ['diff', '--fail']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('--- a/shop/chart/values.yaml\n+++ b/shop/chart/values.yaml\n@@');
    expect(result.stdout).toMatch(/^-\s+tag: latest$/m);
    expect(result.stdout).toMatch(/^\+\s+tag: 1.27-alpine$/m);
  });

  it('compares with another folder given by --against', () => {
    fs.renameSync(path.join(dir, 'cdk.out'), path.join(dir, 'committed'));
    expect(run(dir, ['diff', '--against', 'committed', '--fail']).code).toBe(0);
  });
});

describe('cdk-compose diff, on a stack with a build and bind mounts', () => {
  const BUILD_APP = `
import * as path from 'path';
import { App, ContainerService, Mount, Stack } from 'cdk-compose';
const app = new App();
const stack = new Stack(app, 'shop');
new ContainerService(stack, 'api', {
  image: 'ghcr.io/acme/api:1.0.0',
  build: { context: './api' },
  mounts: [Mount.bind('./seed', '/seed', { readOnly: true }), Mount.bind(path.join(__dirname, 'uploads'), '/uploads')],
});
app.synth();
`;

  it('finds no drift right after synth: relative paths are rendered as if into the output folder', () => {
    const dir = project(BUILD_APP, { app: APP_CMD, output: 'deploy/out' });
    try {
      expect(run(dir, ['synth', '-q']).code).toBe(0);
      expect(fs.readFileSync(path.join(dir, 'deploy', 'out', 'shop', 'compose.yaml'), 'utf8')).toContain('context: ../../../api');
      const result = run(dir, ['diff', '--fail']);
      expect(result.stdout).toBe('');
      expect(result.code).toBe(0);
      fs.renameSync(path.join(dir, 'deploy', 'out'), path.join(dir, 'committed'));
      expect(run(dir, ['diff', '--against', 'committed', '--fail']).stdout).toMatch(/^-\s+context: \.\.\/\.\.\/\.\.\/api\n\+\s+context: \.\.\/\.\.\/api$/m);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('cdk-compose validate', () => {
  it('runs every real-tool check on every stack and says which passed', () => {
    const dir = project(TWO_STACKS_APP, { app: APP_CMD });
    try {
      const result = run(dir, ['validate']);
      expect(result.code).toBe(0);
      const checks = ['Compose Specification schema', 'docker-compose config', 'docker compose config', 'Kubernetes object schemas', 'kubectl kustomize'];
      for (const check of [...checks, 'helm lint --strict', 'helm template: Kubernetes object schemas and connections']) {
        expect(result.stdout).toContain(`  passed   ${check}\n`);
      }
      expect(result.stdout).toMatch(/0 failed, 0 skipped\n$/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says which checks it skipped when a tool is missing, and fails on that only with --strict', () => {
    const dir = project(GOOD_APP, { app: APP_CMD });
    try {
      // A PATH with node but without docker-compose and kubectl, and a Compose v2 and a helm named where there are none.
      const bin = fs.mkdtempSync(path.join(dir, 'bin-'));
      fs.symlinkSync(process.execPath, path.join(bin, 'node'));
      fs.symlinkSync('/bin/sh', path.join(bin, 'sh'));
      const env = { PATH: bin, HOME: dir, NODE_PATH: path.join(REPO, 'node_modules'), [COMPOSE_V2_ENV]: path.join(bin, 'docker-compose'), [HELM_ENV]: path.join(bin, 'helm') };
      const lenient = spawnSync(process.execPath, [BIN, 'validate'], { cwd: dir, encoding: 'utf8', env });
      expect(lenient.stdout).toMatch(/skipped\s+docker-compose config\n\s+`docker-compose` was not found on PATH/);
      expect(lenient.stdout).toMatch(/skipped\s+docker compose config\n\s+CDK_COMPOSE_DOCKER_COMPOSE_V2=\S+: cannot run it .*tools\/compose\/build\.sh/);
      expect(lenient.stdout).toMatch(/skipped\s+kubectl kustomize/);
      expect(lenient.stdout).toMatch(/skipped\s+helm lint --strict\n\s+CDK_COMPOSE_HELM=\S+ is not an executable file; install Helm/);
      expect(lenient.stdout).toMatch(/passed\s+Compose Specification schema/);
      expect(lenient.status).toBe(0);
      const strict = spawnSync(process.execPath, [BIN, 'validate', '--strict'], { cwd: dir, encoding: 'utf8', env });
      expect(strict.status).toBe(1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('cdk-compose validate, on the env files a user fills in', () => {
  const SECRET_APP = `
import { App, PostgresService, Secret, Stack } from 'cdk-compose';
const app = new App();
new PostgresService(new Stack(app, 'shop'), 'db', { password: Secret.fromEnv('POSTGRES_PASSWORD') });
app.synth();
`;

  it('reports every required secret that is missing or empty in .env and k8s/.env, and passes once both set it', () => {
    const dir = project(SECRET_APP, { app: APP_CMD });
    try {
      const missing = run(dir, ['validate']);
      expect(missing.code).toBe(1);
      expect(missing.stdout).toContain('.env (for Compose) does not exist: copy .env.example to .env and fill in POSTGRES_PASSWORD');
      expect(missing.stdout).toContain('k8s/.env (for Kubernetes) does not exist');

      fs.mkdirSync(path.join(dir, 'cdk.out', 'shop', 'k8s'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'cdk.out', 'shop', '.env'), 'POSTGRES_PASSWORD=\n');
      fs.writeFileSync(path.join(dir, 'cdk.out', 'shop', 'k8s', '.env'), 'OTHER=1\n');
      const empty = run(dir, ['validate']);
      expect(empty.code).toBe(1);
      expect(empty.stdout).toContain('.env (for Compose) sets POSTGRES_PASSWORD to an empty value');
      expect(empty.stdout).toContain('k8s/.env (for Kubernetes) does not set POSTGRES_PASSWORD');

      fs.writeFileSync(path.join(dir, 'cdk.out', 'shop', '.env'), 'POSTGRES_PASSWORD=s3cret\n');
      fs.writeFileSync(path.join(dir, 'cdk.out', 'shop', 'k8s', '.env'), 'POSTGRES_PASSWORD=s3cret\n');
      const filled = run(dir, ['validate']);
      expect(filled.stdout).toMatch(/passed\s+secrets and required values in /);
      expect(filled.code).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('cdk-compose --help', () => {
  it.each(['synth', 'list', 'diff', 'validate'])('prints the options of %s', (command) => {
    const result = run(REPO, [command, '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^Usage: cdk-compose ${command}`));
  });
});
