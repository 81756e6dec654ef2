import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { importCompose } from '../../lib/import';
import { REPO, TS_NODE, userProject } from '../support/user-project';

const FIXTURE = path.join(__dirname, 'fixtures', 'env-by-variable');

/** `docker-compose config` (1.29) of `file` in `dir` with the given variables. */
function composeConfig(dir: string, file: string, variables: Record<string, string>): any {
  const result = spawnSync('docker-compose', ['-f', file, 'config'], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH, HOME: dir, ...variables } });
  if (result.status !== 0) throw new Error(result.stderr);
  return parse(result.stdout);
}

/** Imports the fixture (changed by `edit`), writes and runs the generated app; returns its folder and the stack's output folder. */
function importAndSynth(edit: (dir: string) => void = () => undefined): { dir: string; out: string; source: string; notes: string[] } {
  const dir = userProject('');
  fs.cpSync(FIXTURE, dir, { recursive: true });
  edit(dir);
  const result = importCompose(['docker-compose.yml'], { cwd: dir, outFile: 'app.ts', stackName: 'envs' });
  fs.writeFileSync(path.join(dir, 'app.ts'), result.source.replace(/'cdk-compose'/g, JSON.stringify(path.join(REPO, 'lib'))));
  const run = spawnSync(TS_NODE, ['--transpile-only', 'app.ts'], { cwd: dir, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr + run.stdout);
  return { dir, out: path.join(dir, 'cdk.out', 'envs'), source: result.source, notes: result.findings.filter((f) => f.kind === 'note').map((f) => f.message) };
}

describe('importing an env file whose path holds a variable', () => {
  it('chooses among the files the path names for each value, and every value reads what the input reads', () => {
    const { dir, out, source } = importAndSynth();
    try {
      expect(source).toContain("const deployEnv = new Parameter(stack, 'DEPLOY_ENV', { default: 'staging' });");
      expect(source).toContain("production: EnvFile.fromFile('./env/production/web.env'),");
      expect(source).toContain("staging: EnvFile.fromFile('./env/staging/web.env'),");
      expect(source).not.toContain('README');
      for (const variables of [{}, { DEPLOY_ENV: 'production' }] as Record<string, string>[]) {
        const input = composeConfig(dir, 'docker-compose.yml', variables);
        const output = composeConfig(out, 'compose.yaml', variables);
        for (const service of ['web', 'worker']) expect(output.services[service].environment).toEqual(input.services[service].environment);
        expect(output.services.web.environment.APP_ENV).toBe('DEPLOY_ENV' in variables ? 'production' : 'staging');
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('makes the first file found the default when the variable has none, and says so', () => {
    const { dir, source, notes } = importAndSynth((d) => {
      const file = path.join(d, 'docker-compose.yml');
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/\$\{DEPLOY_ENV:-staging\}/g, '${DEPLOY_ENV}'));
    });
    try {
      expect(source).toContain("new Parameter(stack, 'DEPLOY_ENV', { default: 'production' })");
      expect(notes).toContain('env/${DEPLOY_ENV}/web.env: DEPLOY_ENV has no value among the files found (production, staging); the parameter DEPLOY_ENV defaults to production');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('writes the file Compose would read when no file matches the path', () => {
    const { dir, source, notes } = importAndSynth((d) => {
      fs.rmSync(path.join(d, 'env', 'production'), { recursive: true });
      fs.renameSync(path.join(d, 'env', 'staging'), path.join(d, 'env', 'Staging_EU'));
      const file = path.join(d, 'docker-compose.yml');
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/\$\{DEPLOY_ENV:-staging\}/g, '${DEPLOY_ENV:-Staging_EU}'));
    });
    try {
      expect(source).not.toContain('chosenBy');
      expect(source).toContain("EnvFile.fromFile('./env/Staging_EU/web.env')");
      expect(notes).toContain(
        'env/${DEPLOY_ENV:-Staging_EU}/web.env: no file the path names for a value of DEPLOY_ENV that can be a choice (a lowercase word), so it is written as "env/Staging_EU/web.env", what Compose reads without other settings',
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
