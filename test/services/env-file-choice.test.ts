import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { App, EnvFile, MigrationJob, Parameter, Stack, Testing, WebApp, Worker } from '../../lib';
import { composeV2 } from '../../lib/validate/compose-v2';
import { checkStackOutput, helmTemplate, kubectlKustomize, kubectlKustomizeProfile } from '../support/real-tools';

type Objects = { kind: string; metadata: { name: string }; data?: Record<string, string>; spec?: any }[];

/** The app's env files: settings common to every environment, and one file per environment. */
function writeEnvFiles(dir: string): void {
  fs.mkdirSync(path.join(dir, 'env', 'dev'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'env', 'prod'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'env', 'base.env'), 'APP_NAME=shop\nLOG_LEVEL=info\n');
  fs.writeFileSync(path.join(dir, 'env', 'dev', 'web.env'), 'APP_ENV=development\nLOG_LEVEL=debug\n');
  fs.writeFileSync(path.join(dir, 'env', 'prod', 'web.env'), 'APP_ENV=production\nSMTP_HOST=smtp.example.com\n');
}

function envFilesChosenBy(stack: Stack, dir: string, defaultValue = 'dev'): EnvFile[] {
  const environment = new Parameter(stack, 'ENVIRONMENT', { default: defaultValue, description: 'Which env/<environment>/web.env the app reads' });
  return [
    EnvFile.fromFile(path.join(dir, 'env', 'base.env')),
    EnvFile.chosenBy(environment, {
      dev: EnvFile.fromFile(path.join(dir, 'env', 'dev', 'web.env')),
      prod: EnvFile.fromFile(path.join(dir, 'env', 'prod', 'web.env')),
    }),
  ];
}

/** Synthesizes a stack whose web app and worker read a file chosen by ENVIRONMENT, into a temporary folder. */
function synthShop(build?: (stack: Stack, envFiles: EnvFile[]) => void): { dir: string; cleanup: () => void } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cdkc-env-choice-'));
  writeEnvFiles(root);
  const app = new App({ outdir: path.join(root, 'out'), printSummary: false });
  const stack = new Stack(app, 'shop', { environment: 'production' });
  const envFiles = envFilesChosenBy(stack, root);
  const security = { user: 1000, dropCapabilities: ['ALL'], readOnlyRootFilesystem: true };
  new WebApp(stack, 'web', { image: 'ghcr.io/acme/web:1.0', port: 8000, envFiles, security });
  new Worker(stack, 'worker', { image: 'ghcr.io/acme/web:1.0', command: ['worker'], envFiles, security });
  build?.(stack, envFiles);
  app.synth();
  return { dir: path.join(root, 'out', 'shop'), cleanup: () => fs.rmSync(root, { recursive: true, force: true }) };
}

/** `docker compose config` (Compose v2) of the stack folder with the given variables, as JSON. */
function composeConfig(dir: string, variables: Record<string, string>): any {
  const { binary } = composeV2();
  const result = spawnSync(binary, ['-f', 'compose.yaml', 'config', '--format', 'json'], {
    cwd: dir,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: os.tmpdir(), ...variables },
  });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout);
}

const envOf = (objects: Objects, workload: string) => {
  const deployment = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === workload);
  const mapName = deployment?.spec.template.spec.containers[0].envFrom[0].configMapRef.name;
  return objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === mapName)?.data;
};

describe('an env file chosen at deploy time', () => {
  it('reads the default choice on both targets, and every real tool accepts the output', () => {
    const { dir, cleanup } = synthShop();
    try {
      checkStackOutput(dir);
      const compose = parse(fs.readFileSync(path.join(dir, 'compose.yaml'), 'utf8'));
      expect(compose.services.web.env_file).toEqual(['./env/web.${ENVIRONMENT:-dev}.env']);
      expect(fs.readdirSync(path.join(dir, 'env')).sort()).toEqual(['web.dev.env', 'web.prod.env', 'worker.dev.env', 'worker.prod.env']);
      expect(fs.readFileSync(path.join(dir, 'env', 'web.prod.env'), 'utf8')).toContain('APP_ENV=production\nSMTP_HOST=smtp.example.com\n');
      expect(fs.readFileSync(path.join(dir, '.env.example'), 'utf8')).toContain('# ENVIRONMENT=dev');
      expect(composeConfig(dir, {}).services.web.environment).toEqual({ APP_NAME: 'shop', APP_ENV: 'development', LOG_LEVEL: 'debug' });
      expect(envOf(kubectlKustomize(path.join(dir, 'k8s')).objects, 'web')).toEqual({ APP_NAME: 'shop', APP_ENV: 'development', LOG_LEVEL: 'debug' });
    } finally {
      cleanup();
    }
  });

  it('switches to the other file when the deployment sets the parameter: .env on Compose, parameters.env under kustomize, values in the chart', () => {
    const { dir, cleanup } = synthShop();
    try {
      const production = { APP_NAME: 'shop', APP_ENV: 'production', LOG_LEVEL: 'info', SMTP_HOST: 'smtp.example.com' };
      const compose = composeConfig(dir, { ENVIRONMENT: 'prod' });
      expect(compose.services.web.environment).toEqual(production);
      expect(compose.services.worker.environment).toEqual(production);

      const parametersFile = path.join(dir, 'k8s', 'parameters.env');
      fs.writeFileSync(parametersFile, fs.readFileSync(parametersFile, 'utf8').replace('ENVIRONMENT=dev', 'ENVIRONMENT=prod'));
      const objects = kubectlKustomize(path.join(dir, 'k8s')).objects as Objects;
      expect(envOf(objects, 'web')).toEqual(production);
      expect(envOf(objects, 'worker')).toEqual(production);

      const chart = helmTemplate(path.join(dir, 'chart'), 'shop', ['--set', 'parameters.ENVIRONMENT=prod']).objects as Objects;
      expect(envOf(chart, 'shop-web')).toEqual(production);
      expect(envOf(chart, 'shop-worker')).toEqual(production);
    } finally {
      cleanup();
    }
  });

  it('refuses a value with no file of its own on every target, naming the file or the allowed values', () => {
    const { dir, cleanup } = synthShop();
    try {
      expect(() => composeConfig(dir, { ENVIRONMENT: 'staging' })).toThrow(/env\/(web|worker)\.staging\.env.*(not found|no such file)/);
      expect(() => helmTemplate(path.join(dir, 'chart'), 'shop', ['--set', 'parameters.ENVIRONMENT=staging'])).toThrow(/value must be one of 'dev', 'prod'/);
    } finally {
      cleanup();
    }
  });

  it('chooses for the workloads of a profile too, from the profile kustomization', () => {
    const { dir, cleanup } = synthShop((stack, envFiles) => {
      new Worker(stack, 'reports', { image: 'ghcr.io/acme/web:1.0', command: ['reports'], envFiles, profiles: ['reports'], security: { user: 1000, dropCapabilities: ['ALL'] } });
    });
    try {
      const parametersFile = path.join(dir, 'k8s', 'parameters.env');
      fs.writeFileSync(parametersFile, fs.readFileSync(parametersFile, 'utf8').replace('ENVIRONMENT=dev', 'ENVIRONMENT=prod'));
      const objects = kubectlKustomizeProfile(dir, 'reports').objects as Objects;
      expect(envOf(objects, 'reports')).toMatchObject({ APP_ENV: 'production' });
      expect(envOf(objects, 'web')).toMatchObject({ APP_ENV: 'production' });
    } finally {
      cleanup();
    }
  });

  describe('refuses', () => {
    const synthErrors = (build: (stack: Stack, dir: string) => void): string => {
      const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cdkc-env-choice-'));
      try {
        writeEnvFiles(root);
        const stack = new Stack(Testing.app(), 'shop');
        build(stack, root);
        try {
          Testing.synth(stack);
        } catch (error) {
          return (error as Error).message;
        }
        throw new Error('synth passed');
      } finally {
        fs.rmSync(root, { recursive: true, force: true });
      }
    };

    it('a parameter whose default is none of the choices, listing them', () => {
      const message = synthErrors((stack, dir) => new WebApp(stack, 'web', { image: 'ghcr.io/acme/web:1.0', port: 8000, envFiles: envFilesChosenBy(stack, dir, 'staging') }));
      expect(message).toContain(
        '[shop/web] EnvFile.chosenBy(ENVIRONMENT, ...): the parameter\'s default "staging" is none of the choices; give ENVIRONMENT one of "dev", "prod" as its default',
      );
    });

    it('a choice that cannot be part of a file and object name, and a choice that does not exist', () => {
      const message = synthErrors((stack, dir) => {
        const environment = new Parameter(stack, 'ENVIRONMENT', { default: 'dev' });
        new WebApp(stack, 'web', {
          image: 'ghcr.io/acme/web:1.0',
          port: 8000,
          envFiles: [EnvFile.chosenBy(environment, { dev: EnvFile.fromFile(path.join(dir, 'env', 'dev', 'web.env')), Prod_EU: EnvFile.fromFile(path.join(dir, 'env', 'eu.env')) })],
        });
      });
      expect(message).toContain('the choice "Prod_EU" is not a lowercase word of letters, digits and \'-\'');
      const missing = synthErrors((stack, dir) => {
        const environment = new Parameter(stack, 'ENVIRONMENT', { default: 'dev' });
        new WebApp(stack, 'web', {
          image: 'ghcr.io/acme/web:1.0',
          port: 8000,
          envFiles: [EnvFile.chosenBy(environment, { dev: EnvFile.fromFile(path.join(dir, 'env', 'dev', 'web.env')), qa: EnvFile.fromFile(path.join(dir, 'env', 'qa', 'web.env')) })],
        });
      });
      expect(missing).toMatch(/\[shop\/web\] env file .*env\/qa\/web\.env does not exist/);
    });

    it('a parameter of another stack, and two choices in one workload', () => {
      const message = synthErrors((stack, dir) => {
        const other = new Stack(stack.node.scope as App, 'other');
        const elsewhere = new Parameter(other, 'REGION', { default: 'eu' });
        new WebApp(stack, 'web', {
          image: 'ghcr.io/acme/web:1.0',
          port: 8000,
          envFiles: [
            EnvFile.chosenBy(elsewhere, { eu: EnvFile.fromFile(path.join(dir, 'env', 'base.env')) }),
            EnvFile.chosenBy(elsewhere, { eu: EnvFile.fromFile(path.join(dir, 'env', 'base.env')) }),
          ],
        });
      });
      expect(message).toContain('[shop/web] uses parameter REGION, which is not a Parameter of stack shop');
      expect(message).toContain('envFiles holds two files chosen at deploy time (by REGION and by REGION)');
    });

    it('a one-shot job whose file is chosen, when the stack renders Kubernetes', () => {
      const message = synthErrors((stack, dir) => new MigrationJob(stack, 'migrate', { image: 'ghcr.io/acme/web:1.0', command: ['migrate'], envFiles: envFilesChosenBy(stack, dir) }));
      expect(message).toContain("reads an env file chosen at deploy time (by ENVIRONMENT), which a one-shot job cannot on Kubernetes: a Job's pod template cannot change once created");
    });
  });
});
