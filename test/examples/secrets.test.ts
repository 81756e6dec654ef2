import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, DbAdmin, Env, MongoService, PostgresService, RabbitMqService, RedisService, Secret, Stack, WebApp, Worker } from '../../lib';

// No secret value ever lands in an output file: every example app is synthesized with each
// variable that a `Secret.fromEnv` reads set to a unique marker value, and no file of any stack
// (nor manifest.json) may contain a marker, as it is or base64-encoded as a Kubernetes Secret
// would hold it. `Secret.unsafePlainText` is the one way to write a value, and it warns.

const EXAMPLES = path.join(__dirname, '..', '..', 'examples');

/** The environments the examples' `define*(app, environment)` functions take. */
const ENVIRONMENTS = ['dev', 'prod'];

type DefineFunction = (app: App, environment?: string) => unknown;

/** Each example folder with an app.ts, read at test time so that new examples are included. */
function exampleFolders(): string[] {
  return fs
    .readdirSync(EXAMPLES, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(EXAMPLES, entry.name, 'app.ts')))
    .map((entry) => entry.name)
    .sort();
}

/** The `define*` functions an example exports that take `(app)` or `(app, environment)`. */
function defineFunctions(folder: string): [string, DefineFunction][] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exported = require(path.join(EXAMPLES, folder, 'app')) as Record<string, unknown>;
  return Object.entries(exported)
    .filter((entry): entry is [string, DefineFunction] => /^define/.test(entry[0]) && typeof entry[1] === 'function' && entry[1].length <= 2)
    .sort(([a], [b]) => a.localeCompare(b));
}

/** One synth per function and environment, each in an app of its own. */
function exampleRuns(): { name: string; define: (app: App) => unknown }[] {
  return exampleFolders().flatMap((folder) =>
    defineFunctions(folder).flatMap(([name, define]) =>
      define.length < 2
        ? [{ name: `${folder}: ${name}(app)`, define: (app: App) => define(app) }]
        : ENVIRONMENTS.map((environment) => ({
            name: `${folder}: ${name}(app, '${environment}')`,
            define: (app: App) => define(app, environment),
          })),
    ),
  );
}

/** Every file under `dir`, by path relative to it, with its text. */
function readTree(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    files[path.relative(dir, file)] = fs.readFileSync(file, 'utf8');
  }
  return files;
}

/** `file: VAR` for each marker found in a file, as it is or base64-encoded. */
function leaks(files: Record<string, string>, markers: ReadonlyMap<string, string>): string[] {
  const found: string[] = [];
  for (const [file, text] of Object.entries(files)) {
    for (const [variable, marker] of markers) {
      if (text.includes(marker) || text.includes(Buffer.from(marker).toString('base64'))) found.push(`${file}: ${variable}`);
    }
  }
  return found;
}

describe('secret values', () => {
  let outdir: string;
  /** Variable -> the marker value it holds during the test. */
  let markers: Map<string, string>;
  /** Variable -> the value it had before the test. */
  let saved: Map<string, string | undefined>;

  /** Gives `name` the value `marker`, remembering the value it had. */
  function setMarker(name: string, marker: string): void {
    if (!saved.has(name)) saved.set(name, process.env[name]);
    markers.set(name, marker);
    process.env[name] = marker;
  }

  /** Sets the variable of every Secret.fromEnv made from now on to a fresh marker. */
  function markEverySecret(): void {
    const fromEnv = Secret.fromEnv.bind(Secret);
    jest.spyOn(Secret, 'fromEnv').mockImplementation((name, options) => {
      if (!markers.has(name)) {
        const marker = `m4rker-${crypto.randomBytes(12).toString('hex')}`;
        setMarker(name, marker);
      }
      return fromEnv(name, options);
    });
  }

  beforeEach(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdkc-secrets-'));
    markers = new Map();
    saved = new Map();
  });

  afterEach(() => {
    jest.restoreAllMocks();
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    fs.rmSync(outdir, { recursive: true, force: true });
  });

  it('finds the example apps and a define function in each', () => {
    const folders = exampleFolders();
    expect(folders.length).toBeGreaterThanOrEqual(4);
    for (const folder of folders) expect([folder, defineFunctions(folder).length]).not.toEqual([folder, 0]);
  });

  describe.each(exampleRuns().map((run) => [run.name, run] as const))('%s', (_, run) => {
    it('writes no secret value into any output file', () => {
      // GIVEN every secret variable of the app set to a marker: those made while the app is
      // built at once, any other the first synth lists (a Secret made when app.ts was loaded)
      markEverySecret();
      const first = new App({ outdir: path.join(outdir, 'first'), printSummary: false });
      run.define(first);
      const secretNames = first.synth().stacks.flatMap((stack) => stack.model.secrets.map((secret) => secret.name));
      for (const name of secretNames.filter((n) => !markers.has(n))) {
        setMarker(name, `m4rker-${crypto.randomBytes(12).toString('hex')}`);
      }
      const app = new App({ outdir: path.join(outdir, 'second'), printSummary: false });
      run.define(app);

      // WHEN
      const result = app.synth();

      // THEN no file holds a marker, and nothing was written in plain text on purpose either
      expect(secretNames.length).toBeGreaterThan(0);
      expect(result.messages.filter((m) => /unsafePlainText/.test(m.message))).toEqual([]);
      const files = readTree(outdir);
      expect(Object.keys(files).length).toBeGreaterThan(2 * result.stacks.length);
      expect(leaks(files, markers)).toEqual([]);
    });
  });

  describe('Secret.unsafePlainText', () => {
    /** A secret in every place a construct takes one, from `secret(variable)`. */
    function defineSecrets(app: App, secret: (variable: string) => Secret): void {
      const stack = new Stack(app, 'vault');
      const db = new PostgresService(stack, 'db', { password: secret('POSTGRES_PASSWORD') });
      const cache = new RedisService(stack, 'cache', { password: secret('REDIS_PASSWORD') });
      const mq = new RabbitMqService(stack, 'mq', { password: secret('RABBITMQ_PASSWORD') });
      new MongoService(stack, 'mongo', { rootUsername: 'root', rootPassword: secret('MONGO_ROOT_PASSWORD') });
      new DbAdmin(stack, 'pgadmin', { password: secret('PGADMIN_PASSWORD'), servers: [db], profiles: ['dev'] });
      new WebApp(stack, 'api', {
        image: 'ghcr.io/acme/api:1.0.0',
        port: 8080,
        env: { API_TOKEN: secret('API_TOKEN'), SIGNING_URL: Env.concat('https://signer:', secret('SIGNER_KEY'), '@sign.example.com') },
      })
        .connect(db, { env: 'DATABASE_URL' })
        .connect(cache)
        .connect(mq);
      new Worker(stack, 'worker', { image: 'ghcr.io/acme/api:1.0.0' }).connect(db);
    }

    it('is the only way a secret value lands in the output, and warns at each construct that writes one', () => {
      // GIVEN the same app twice: its secrets from the environment (set to markers) ...
      markEverySecret();
      const fromEnv = new App({ outdir: path.join(outdir, 'from-env'), printSummary: false });
      defineSecrets(fromEnv, (variable) => Secret.fromEnv(variable));
      // ... and written in plain text, with the same values
      const plainOutdir = path.join(outdir, 'plain');
      const plain = new App({ outdir: plainOutdir, printSummary: false });
      defineSecrets(plain, (variable) => Secret.unsafePlainText(markers.get(variable)!));

      // WHEN
      const fromEnvResult = fromEnv.synth();
      const plainResult = plain.synth();

      // THEN the values from the environment appear nowhere, without a warning ...
      expect(markers.size).toBe(7);
      expect(leaks(readTree(path.join(outdir, 'from-env')), markers)).toEqual([]);
      expect(fromEnvResult.messages.filter((m) => /plain text/.test(m.message))).toEqual([]);

      // ... and each plain-text value appears, with a warning naming the path that writes it
      const plainFiles = readTree(plainOutdir);
      const written = new Set(leaks(plainFiles, markers).map((leak) => leak.split(': ')[1]));
      expect([...written].sort()).toEqual([...markers.keys()].sort());
      const warnings = plainResult.messages.filter((m) => m.level === 'warning' && /\(Secret\.unsafePlainText\)/.test(m.message));
      expect([...new Set(warnings.map((w) => w.path))].sort()).toEqual(
        ['vault/api', 'vault/cache', 'vault/db', 'vault/mongo', 'vault/mq', 'vault/pgadmin', 'vault/worker'].sort(),
      );
      for (const warning of warnings) {
        expect(warning.message).toMatch(/^environment variable [A-Z_]+ holds a secret written in plain text to the output \(Secret\.unsafePlainText\)$/);
      }
    });
  });
});
