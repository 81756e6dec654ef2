import fs = require('fs');
import * as os from 'os';
import * as path from 'path';
import {
  App,
  ConfigFile,
  HealthCheck,
  MigrationJob,
  Mount,
  PostgresService,
  RedisService,
  Secret,
  Stack,
  WebApp,
  Worker,
} from '../../lib';
import type { WorkloadContribution } from '../../lib/services/workload';
import * as kubernetesRenderer from '../../lib/render/k8s';

// Faults while synthesizing: a renderer that throws, a construct that throws while synth builds
// its model, an app that throws while it is being built, and the disk failing on any one write
// or rename. Whatever fails, the output folder holds the previous output byte for byte and no
// staging or temporary file; after a successful synth, nothing of a removed service is left.

/** Every file under `dir` (hidden ones too), by path relative to it, with its bytes as text. */
function readTree(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  if (!fs.existsSync(dir)) return files;
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    files[path.relative(dir, file).split(path.sep).join('/')] = fs.readFileSync(file, 'latin1');
  }
  return files;
}

function sameTree(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a).sort();
  return JSON.stringify(keys) === JSON.stringify(Object.keys(b).sort()) && keys.every((key) => a[key] === b[key]);
}

/** Every file and folder under `dir`, relative to it: the place to spot staging leftovers. */
function entriesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true }).map(String).sort();
}

const VERSION_1 = { apiImage: 'ghcr.io/acme/shop:1.0.0', mailer: true, blogReplicas: 1 };
const VERSION_2 = { apiImage: 'ghcr.io/acme/shop:1.1.0', mailer: false, blogReplicas: 2 };

/** Two stacks; version 2 drops the mailer, changes the API's image and scales the blog. */
function defineApp(app: App, version: typeof VERSION_1, hooks: { afterDb?: () => void; worker?: typeof Worker } = {}): void {
  const shop = new Stack(app, 'shop');
  const db = new PostgresService(shop, 'db', { password: Secret.fromEnv('POSTGRES_PASSWORD') });
  hooks.afterDb?.();
  const redis = new RedisService(shop, 'redis');
  const migrate = new MigrationJob(shop, 'migrate', { image: version.apiImage, command: ['./migrate.sh'] }).connect(db, { env: 'DATABASE_URL' });
  new WebApp(shop, 'api', {
    image: version.apiImage,
    port: 8080,
    healthCheck: HealthCheck.http('/healthz'),
    after: [migrate],
    // A file with its own mode, so that writing also sets permissions.
    mounts: [Mount.config(ConfigFile.fromString('start.sh', '#!/bin/sh\nexec node server.js\n'), '/app/start.sh', { mode: 0o755 })],
  })
    .connect(db, { env: 'DATABASE_URL' })
    .connect(redis);
  new (hooks.worker ?? Worker)(shop, 'worker', { image: version.apiImage, command: ['node', 'worker.js'] }).connect(redis);
  if (version.mailer) new Worker(shop, 'mailer', { image: 'ghcr.io/acme/mailer:2.0.0' }).connect(redis);

  const blog = new Stack(app, 'blog');
  new WebApp(blog, 'web', { image: 'ghcr.io/acme/blog:3.2.1', port: 2368, replicas: version.blogReplicas });
}

function synth(outdir: string, version: typeof VERSION_1): void {
  const app = new App({ outdir, printSummary: false });
  defineApp(app, version);
  app.synth();
}

/** An injected I/O error, shaped like the ones Node throws. */
function ioError(op: string, target: unknown): NodeJS.ErrnoException {
  return Object.assign(new Error(`EIO: i/o error, ${op} '${String(target)}' (injected)`), { code: 'EIO' });
}

type FsFunction = (...args: unknown[]) => unknown;
const FS = fs as unknown as Record<string, FsFunction>;

/** The fs functions the writer uses to put bytes and folders on disk. */
const DISK_OPERATIONS = ['mkdirSync', 'writeFileSync', 'chmodSync', 'copyFileSync', 'renameSync'] as const;
type DiskOperation = (typeof DISK_OPERATIONS)[number];

/**
 * Spies on `operation`; the `failAt`-th call on a path under `root` throws an I/O error
 * (never, when `failAt` is 0). Tells the number of such calls so far, and the path the failed
 * one was given.
 */
function injectDiskFault(operation: DiskOperation, root: string, failAt: number): { calls(): number; failedOn(): string | undefined } {
  const original = FS[operation];
  let calls = 0;
  let failedOn: string | undefined;
  jest.spyOn(FS, operation).mockImplementation((...args: unknown[]) => {
    if (String(args[0]).startsWith(root)) {
      calls += 1;
      if (calls === failAt) {
        failedOn = String(args[0]);
        throw ioError(operation, args[0]);
      }
    }
    return original.apply(fs, args);
  });
  return { calls: () => calls, failedOn: () => failedOn };
}

/**
 * Disk faults the writer does not survive, keyed `<fs function> <path relative to the output
 * folder>`. Empty: the writer replaces every stack and the manifest together or not at all. The
 * test fails when a fault appears here, so that a regression cannot pass unnoticed.
 */
const KNOWN_WRITER_GAPS: Record<string, string> = {};

describe('faults during synth', () => {
  let root: string;
  let outdir: string;
  /** The output of version 1, with the user's filled-in env files beside it. */
  let previous: Record<string, string>;

  /** A fresh output folder holding version 1's output and the user's env files. */
  function prepare(): void {
    fs.rmSync(outdir, { recursive: true, force: true });
    synth(outdir, VERSION_1);
    fs.writeFileSync(path.join(outdir, 'shop', '.env'), 'POSTGRES_PASSWORD=local-only\n');
    fs.writeFileSync(path.join(outdir, 'shop', 'k8s', '.env'), 'POSTGRES_PASSWORD=cluster-only\n');
    previous = readTree(outdir);
  }

  /** The output folder is exactly as version 1 left it: same files, same bytes, nothing extra. */
  function expectPreviousOutputIntact(): void {
    expect(readTree(outdir)).toEqual(previous);
    expect(entriesUnder(outdir).filter((entry) => /staging|previous|\.tmp/.test(entry))).toEqual([]);
  }

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'cdkc-faults-'));
    outdir = path.join(root, 'cdk.out');
    prepare();
  });

  afterEach(() => {
    jest.restoreAllMocks();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('keeps the previous output when the Kubernetes renderer throws', () => {
    // GIVEN a renderer with a bug
    jest.spyOn(kubernetesRenderer, 'renderKubernetes').mockImplementation(() => {
      throw new TypeError("Cannot read properties of undefined (reading 'port')");
    });

    // WHEN
    expect(() => synth(outdir, VERSION_2)).toThrow(/reading 'port'/);

    // THEN
    jest.restoreAllMocks();
    expectPreviousOutputIntact();
  });

  it("keeps the previous output when a construct's _toModel throws", () => {
    // GIVEN a construct that throws while synth builds the model
    class BrokenWorker extends Worker {
      public _toModel(): WorkloadContribution {
        throw new Error('BrokenWorker cannot describe itself');
      }
    }
    const app = new App({ outdir, printSummary: false });
    defineApp(app, VERSION_2, { worker: BrokenWorker });

    // WHEN
    expect(() => app.synth()).toThrow(/BrokenWorker cannot describe itself/);

    // THEN
    expectPreviousOutputIntact();
  });

  it('keeps the previous output when the app throws halfway through building', () => {
    // GIVEN an app whose code fails after some constructs exist, so synth is never called
    const app = new App({ outdir, printSummary: false });

    // WHEN
    expect(() =>
      defineApp(app, VERSION_2, {
        afterDb: () => {
          throw new Error('REDIS_VERSION is not set');
        },
      }),
    ).toThrow(/REDIS_VERSION/);

    // THEN
    expectPreviousOutputIntact();
  });

  describe.each(DISK_OPERATIONS)('when %s fails', (operation) => {
    it('never half-writes a stack folder, and keeps the previous output and no staging files but for the known gaps', () => {
      // GIVEN the number of calls a successful synth of version 2 makes, and what it writes
      const fresh = path.join(root, 'fresh');
      synth(fresh, VERSION_2);
      const next = readTree(fresh);
      fs.rmSync(fresh, { recursive: true, force: true });
      const counter = injectDiskFault(operation, root, 0);
      synth(outdir, VERSION_2);
      const calls = counter.calls();
      jest.restoreAllMocks();
      expect(calls).toBeGreaterThan(0);

      const broken: string[] = [];
      for (let failAt = 1; failAt <= calls; failAt++) {
        prepare();
        const injected = injectDiskFault(operation, root, failAt);

        // WHEN call number `failAt` fails
        let thrown: unknown;
        try {
          synth(outdir, VERSION_2);
        } catch (error) {
          thrown = error;
        }
        jest.restoreAllMocks();

        // THEN synth reports the disk's error ...
        const fault = `${operation} ${path.relative(outdir, injected.failedOn() ?? '?')}`;
        expect([fault, thrown]).toEqual([fault, expect.objectContaining({ code: 'EIO' })]);
        // ... no stack folder is ever half-written: each holds the old output or the new one ...
        const after = readTree(outdir);
        for (const stack of ['shop', 'blog']) {
          const folder = (tree: Record<string, string>) =>
            Object.fromEntries(Object.entries(tree).filter(([file]) => file.startsWith(`${stack}/`) && !file.endsWith('/.env')));
          const state = sameTree(folder(after), folder(previous)) ? 'old' : sameTree(folder(after), folder(next)) ? 'new' : 'mixed';
          expect([fault, stack, state]).not.toEqual([fault, stack, 'mixed']);
        }
        // ... and, but for the known gaps below, the folder is exactly as it was.
        const leftovers = entriesUnder(outdir).filter((entry) => /staging|previous/.test(entry) && !entry.includes('/'));
        const changed = Object.keys({ ...previous, ...after }).filter((file) => previous[file] !== after[file] && !/staging/.test(file));
        if (leftovers.length > 0 || changed.length > 0) {
          broken.push(`${fault}: left ${JSON.stringify(leftovers)}, changed ${JSON.stringify(changed)}`);
        }
      }
      // A fault that the writer now survives must leave this list; a new one must not appear.
      expect(broken.map((b) => b.slice(0, b.indexOf(': ')))).toEqual(Object.keys(KNOWN_WRITER_GAPS).filter((key) => key.startsWith(`${operation} `)));
    });
  });

  it('leaves no file of a removed service after a successful synth', () => {
    // GIVEN version 1's output, with a mailer, and the user's env files
    expect(Object.keys(previous)).toEqual(expect.arrayContaining(['shop/k8s/deployment-mailer.yaml']));
    expect(previous['shop/compose.yaml']).toMatch(/^ {2}mailer:$/m);

    // WHEN version 2, without the mailer, is synthesized over it
    synth(outdir, VERSION_2);

    // THEN the output is exactly what a synth into an empty folder writes, plus the user's files
    const fresh = path.join(root, 'fresh');
    synth(fresh, VERSION_2);
    expect(readTree(outdir)).toEqual({
      ...readTree(fresh),
      'shop/.env': 'POSTGRES_PASSWORD=local-only\n',
      'shop/k8s/.env': 'POSTGRES_PASSWORD=cluster-only\n',
    });
    expect(Object.keys(readTree(outdir)).filter((file) => file.includes('mailer'))).toEqual([]);
    expect(readTree(outdir)['shop/compose.yaml']).not.toMatch(/mailer/);
  });
});
