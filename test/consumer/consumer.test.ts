import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { inProject, npmInstall, ownDevDependencies, packInto } from '../support/packed-package';

/**
 * A user's project that installs cdk-compose the way users do, from the tarball `npm pack`
 * makes: what is tested is the published package, its `exports` and its types.
 */
describe('a consumer project using the packed package', () => {
  let dir: string;
  let project: string;

  const npx = (args: string[]) => inProject(project, args);

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdkc-consumer-'));
    const tarball = packInto(dir);
    project = path.join(dir, 'shop');
    fs.cpSync(path.join(__dirname, 'fixture'), project, { recursive: true });
    fs.writeFileSync(
      path.join(project, 'package.json'),
      JSON.stringify({
        name: 'shop',
        private: true,
        dependencies: { 'cdk-compose': `file:../${tarball}`, ...ownDevDependencies(['constructs']) },
        devDependencies: ownDevDependencies(['jest', 'ts-jest', 'typescript', 'ts-node', '@types/jest', '@types/node']),
      }),
    );
    npmInstall(project);
  }, 300_000);

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('ships only the compiled library, the command and the Compose schema', () => {
    const installed = path.join(project, 'node_modules', 'cdk-compose');
    expect(fs.existsSync(path.join(installed, 'dist', 'lib', 'index.d.ts'))).toBe(true);
    expect(fs.existsSync(path.join(installed, 'dist', 'lib', 'validate', 'compose-spec.json'))).toBe(true);
    expect(fs.existsSync(path.join(installed, 'lib'))).toBe(false);
    expect(fs.existsSync(path.join(installed, 'test'))).toBe(false);
  });

  it('type-checks the user\'s app and tests against the published types, cdk-compose/testing included', () => {
    const result = npx(['tsc', '--noEmit', '-p', '.']);
    expect(result.stdout).toBe(''); // tsc reports type errors on stdout
    expect(result.status).toBe(0);
  });

  it('runs the user\'s jest tests written with Template, Match, Capture and Annotations', () => {
    const result = npx(['jest']);
    expect(result.stderr).toMatch(/Tests:\s+5 passed, 5 total/);
    expect(result.status).toBe(0);
  });

  it('synthesizes with the installed cdk-compose command', () => {
    const result = npx(['cdk-compose', 'synth']);
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/synthesized 1 stack/);
    expect(fs.existsSync(path.join(project, 'cdk.out', 'shop', 'k8s', 'kustomization.yaml'))).toBe(true);
  });

  it('keeps the library\'s internals out of reach', () => {
    const result = spawnSync(process.execPath, ['-e', "require('cdk-compose/dist/lib/core/app')"], { cwd: project, encoding: 'utf8' });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/ERR_PACKAGE_PATH_NOT_EXPORTED/);
  });
});
