/**
 * The files `cdk-compose init` writes: a project whose `npm test` and `npx cdk-compose synth`
 * pass as soon as `npm install` has run.
 */

/** What the new project's package.json asks for. */
export interface TemplateVersions {
  /** The version range (or `file:` tarball) of cdk-compose itself. */
  readonly cdkCompose: string;
  /** Versions of the other packages, as this release of cdk-compose is tested with them. */
  readonly packages: Readonly<Record<string, string>>;
}

/** Tools the project needs to type-check, run and test the app; the same ones this library is tested with. */
export const DEV_PACKAGES = ['typescript', 'ts-node', 'jest', 'ts-jest', '@types/jest', '@types/node'];

/** The files of a new project named `name` (a stack name), by path. */
export function templateFiles(name: string, versions: TemplateVersions): Record<string, string> {
  const pick = (names: readonly string[]) => Object.fromEntries(names.map((n) => [n, versions.packages[n]]));
  return {
    'package.json': json({
      name,
      version: '0.1.0',
      private: true,
      scripts: { synth: 'cdk-compose synth', diff: 'cdk-compose diff', test: 'jest' },
      dependencies: { 'cdk-compose': versions.cdkCompose, constructs: versions.packages.constructs },
      devDependencies: pick(DEV_PACKAGES),
      jest: { preset: 'ts-jest', testEnvironment: 'node' },
    }),
    // ts-node and ts-jest both read it; without one, TypeScript 5.9 refuses to compile app.ts (TS5109).
    'tsconfig.json': json({
      compilerOptions: {
        target: 'ES2022',
        module: 'commonjs',
        moduleResolution: 'node',
        strict: true,
        esModuleInterop: true,
        types: ['node', 'jest'],
      },
      exclude: ['node_modules', 'cdk.out'],
    }),
    'cdk-compose.json': json({ app: 'npx ts-node app.ts', output: 'cdk.out' }),
    '.gitignore': GITIGNORE,
    'app.ts': appSource(name),
    'app.test.ts': testSource(name),
  };
}

function json(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}

// cdk.out is meant to be committed (`cdk-compose diff --fail` compares it in CI); the env files
// filled in next to it hold the secret values.
const GITIGNORE = `node_modules/
.env
cdk.out/*/.env
cdk.out/*/k8s/.env
`;

function appSource(name: string): string {
  return `import { App, HealthCheck, PostgresService, Secret, Size, Stack, WebApp } from 'cdk-compose';

/** The ${name} stack: a web app and its database. Tests build it on an app of their own. */
export function define${pascal(name)}(app: App): Stack {
  const stack = new Stack(app, '${name}');

  const db = new PostgresService(stack, 'db', {
    database: '${name.replace(/[^a-z0-9]/g, '_')}',
    password: Secret.fromEnv('POSTGRES_PASSWORD'),
  });

  new WebApp(stack, 'web', {
    image: 'nginx:1.27-alpine',
    port: 80,
    hostPort: 8080,
    healthCheck: HealthCheck.http('/'),
    resources: { limits: { cpu: 0.5, memory: Size.mebibytes(256) } },
  }).connect(db, { env: 'DATABASE_URL' });

  return stack;
}

// \`npx cdk-compose synth\` runs this file; so does \`npx ts-node app.ts synth\`.
if (require.main === module) {
  const app = new App();
  define${pascal(name)}(app);
  app.synth();
}
`;
}

function testSource(name: string): string {
  return `import { Testing } from 'cdk-compose';
import { Annotations, Match, Template } from 'cdk-compose/testing';
import { define${pascal(name)} } from './app';

describe('the ${name} stack', () => {
  const stack = () => define${pascal(name)}(Testing.app());

  it('starts the web app once the database is healthy, on Compose', () => {
    Template.fromStack(stack()).hasService('web', {
      depends_on: { db: { condition: 'service_healthy' } },
    });
  });

  it('keeps the database on a claim, on Kubernetes', () => {
    Template.fromStack(stack()).hasObject('StatefulSet', {
      metadata: { name: 'db' },
      spec: { volumeClaimTemplates: Match.anyValue() },
    });
  });

  it('has nothing a target cannot express', () => {
    Annotations.fromStack(stack()).hasNoWarning('*', Match.anyValue());
  });

  it('renders as before', () => {
    expect(Testing.synth(stack()).files).toMatchSnapshot();
  });
});
`;
}

/** \`my-shop\` -> \`MyShop\`, for the name of the function that defines the stack. */
function pascal(name: string): string {
  return name
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('');
}
