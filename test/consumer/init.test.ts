import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { inProject, npmInstall, packInto } from '../support/packed-package';
import { REPO } from '../support/user-project';

const CLI = path.join(REPO, 'bin', 'cdk-compose.js');

/** Runs `cdk-compose init ...` of this checkout in `cwd`. */
function init(cwd: string, args: string[] = []) {
  return spawnSync(process.execPath, [CLI, 'init', ...args], { cwd, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
}

/**
 * What a newcomer does first: `cdk-compose init` in an empty folder, `npm install`, then
 * `npm test` and `npx cdk-compose synth`, with the package as `npm pack` makes it.
 */
describe('cdk-compose init', () => {
  let dir: string;
  let project: string;
  let initResult: ReturnType<typeof init>;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdkc-init-'));
    const tarball = packInto(dir);
    project = path.join(dir, 'My Shop');
    fs.mkdirSync(project);
    initResult = init(project, ['--cdk-compose-version', `file:../${tarball}`]);
    npmInstall(project);
  }, 300_000);

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes a project named after its folder, and says what to run next', () => {
    expect(initResult.status).toBe(0);
    expect(fs.readdirSync(project).filter((f) => f !== 'node_modules' && f !== 'package-lock.json').sort()).toEqual(
      ['.gitignore', 'app.test.ts', 'app.ts', 'cdk-compose.json', 'package.json', 'tsconfig.json'],
    );
    expect(fs.readFileSync(path.join(project, 'app.ts'), 'utf8')).toContain("new Stack(app, 'my-shop')");
    expect(initResult.stderr).toMatch(/one stack, my-shop.*\nNext:\n {2}npm install\n {2}npm test/);
  });

  it('passes its own tests at once, writing the first snapshot as a laptop run does', () => {
    // `--ci=false` whatever machine runs this suite: a newcomer's first `npm test` is on a laptop.
    const result = inProject(project, ['test', '--', '--ci=false'], 'npm');
    expect(result.stderr).toMatch(/Tests:\s+4 passed, 4 total/);
    expect(result.stderr).toMatch(/1 snapshot written/);
    expect(result.status).toBe(0);
  });

  it('passes again in CI mode against the snapshot the first run wrote', () => {
    const result = inProject(project, ['test', '--', '--ci'], 'npm');
    expect(result.stderr).toMatch(/Tests:\s+4 passed, 4 total/);
    expect(result.stderr).toMatch(/1 passed, 1 total/);
    expect(result.status).toBe(0);
  });

  it('synthesizes at once, with nothing in the output for git to keep that holds a secret', () => {
    const result = inProject(project, ['cdk-compose', 'synth']);
    expect(result.stderr).toMatch(/synthesized 1 stack/);
    expect(result.status).toBe(0);
    expect(fs.existsSync(path.join(project, 'cdk.out', 'my-shop', 'k8s', 'kustomization.yaml'))).toBe(true);
    const gitignore = fs.readFileSync(path.join(project, '.gitignore'), 'utf8').split('\n');
    expect(gitignore).toEqual(expect.arrayContaining(['node_modules/', '.env', 'cdk.out/*/.env', 'cdk.out/*/k8s/.env']));
  });

  it('validates with kubectl kustomize without kubernetes-models, whose schema check it skips, in aligned columns', () => {
    const result = inProject(project, ['cdk-compose', 'validate']);
    const checks = result.stdout.split('\n').filter((line) => /^ {2}(passed|FAILED|skipped) /.test(line));

    expect(checks).toEqual(expect.arrayContaining([expect.stringMatching(/^ {2}passed {3}kubectl kustomize$/)]));
    expect(result.stdout).toMatch(/ {2}skipped {2}Kubernetes object schemas\n {11}the npm package kubernetes-models is not installed/);
    // Every check name starts in the same column, whatever its mark.
    expect(checks.length).toBeGreaterThanOrEqual(6);
    for (const line of checks) expect(line).toMatch(/^ {2}(passed |FAILED |skipped) {2}\S/);
  });

  it('refuses a folder that holds files, naming them, and writes nothing', () => {
    const taken = fs.mkdtempSync(path.join(dir, 'taken-'));
    fs.mkdirSync(path.join(taken, '.git'));
    fs.writeFileSync(path.join(taken, 'notes.txt'), 'mine');

    const result = init(taken);

    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^cdk-compose: init writes a new project into an empty folder; .*taken-\w+ holds notes\.txt\. Run it in a new folder/);
    expect(fs.readdirSync(taken).sort()).toEqual(['.git', 'notes.txt']);
  });

  it('fails with exit code 2 on a name that cannot name a stack', () => {
    const empty = fs.mkdtempSync(path.join(dir, 'empty-'));
    const result = init(empty, ['My_Shop']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/"My_Shop" is not a Compose project name: .*; give another name/);
    expect(fs.readdirSync(empty)).toEqual([]);
  });
});
