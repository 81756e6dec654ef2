import fs = require('fs');
import * as os from 'os';
import * as path from 'path';
import { StackFiles, writeOutput } from '../../lib/synth/writer';

/** Every file under `dir`, by path relative to it, with its text. */
function readTree(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (sub: string) => {
    for (const entry of fs.readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const relative = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(relative);
      else files[relative] = fs.readFileSync(path.join(dir, relative), 'utf8');
    }
  };
  walk('');
  return files;
}

function stack(stackName: string, files: Record<string, string>): StackFiles {
  return { stackName, files: Object.entries(files).map(([p, content]) => ({ path: p, content })) };
}

const FIRST = {
  'compose.yaml': 'services:\n  web: {}\n  mailer: {}\n',
  '.env.example': 'POSTGRES_PASSWORD=\n',
  'k8s/deployment-web.yaml': 'kind: Deployment\n',
  'k8s/deployment-mailer.yaml': 'kind: Deployment\n',
  'k8s/kustomization.yaml': 'resources: []\n',
};

const SECOND = {
  'compose.yaml': 'services:\n  web: {}\n',
  '.env.example': 'POSTGRES_PASSWORD=\n',
  'k8s/deployment-web.yaml': 'kind: Deployment\nspec: {}\n',
  'k8s/kustomization.yaml': 'resources: [deployment-web.yaml]\n',
};

describe('writeOutput', () => {
  let outdir: string;

  beforeEach(() => {
    outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cdkc-writer-')), 'cdk.out');
  });

  afterEach(() => {
    jest.restoreAllMocks();
    fs.rmSync(path.dirname(outdir), { recursive: true, force: true });
  });

  it('creates the output folder and writes each stack into a folder of its own', () => {
    writeOutput(outdir, [stack('shop', FIRST), stack('blog', { 'compose.yaml': 'services: {}\n' })]);

    expect(fs.readdirSync(outdir).sort()).toEqual(['blog', 'shop']);
    expect(readTree(path.join(outdir, 'shop'))).toEqual(FIRST);
    expect(readTree(path.join(outdir, 'blog'))).toEqual({ 'compose.yaml': 'services: {}\n' });
  });

  it('replaces a stack folder as a whole, so that files of removed services disappear', () => {
    // GIVEN an output with a mailer service
    writeOutput(outdir, [stack('shop', FIRST)]);

    // WHEN the mailer is removed and synth runs again
    writeOutput(outdir, [stack('shop', SECOND)]);

    // THEN
    expect(readTree(path.join(outdir, 'shop'))).toEqual(SECOND);
    expect(fs.existsSync(path.join(outdir, 'shop', 'k8s', 'deployment-mailer.yaml'))).toBe(false);
  });

  it('keeps the user-owned .env and k8s/.env', () => {
    // GIVEN filled-in env files beside an earlier output
    writeOutput(outdir, [stack('shop', FIRST)]);
    fs.writeFileSync(path.join(outdir, 'shop', '.env'), 'POSTGRES_PASSWORD=local\n');
    fs.writeFileSync(path.join(outdir, 'shop', 'k8s', '.env'), 'POSTGRES_PASSWORD=cluster\n');

    // WHEN
    writeOutput(outdir, [stack('shop', SECOND)]);

    // THEN
    expect(readTree(path.join(outdir, 'shop'))).toEqual({
      ...SECOND,
      '.env': 'POSTGRES_PASSWORD=local\n',
      'k8s/.env': 'POSTGRES_PASSWORD=cluster\n',
    });
  });

  it('keeps k8s/.env even when the new output has no k8s folder', () => {
    writeOutput(outdir, [stack('shop', FIRST)]);
    fs.writeFileSync(path.join(outdir, 'shop', 'k8s', '.env'), 'POSTGRES_PASSWORD=cluster\n');

    writeOutput(outdir, [stack('shop', { 'compose.yaml': 'services: {}\n' })]);

    expect(readTree(path.join(outdir, 'shop'))).toEqual({ 'compose.yaml': 'services: {}\n', 'k8s/.env': 'POSTGRES_PASSWORD=cluster\n' });
  });

  it('leaves other stacks’ folders and other files of the output folder alone', () => {
    writeOutput(outdir, [stack('shop', FIRST), stack('blog', { 'compose.yaml': 'services: {}\n' })]);
    fs.writeFileSync(path.join(outdir, 'README.txt'), 'mine\n');

    writeOutput(outdir, [stack('shop', SECOND)]);

    expect(fs.readdirSync(outdir).sort()).toEqual(['README.txt', 'blog', 'shop']);
    expect(readTree(path.join(outdir, 'blog'))).toEqual({ 'compose.yaml': 'services: {}\n' });
  });

  it('leaves no staging or previous folders behind', () => {
    writeOutput(outdir, [stack('shop', FIRST)]);
    writeOutput(outdir, [stack('shop', SECOND)]);

    expect(fs.readdirSync(outdir)).toEqual(['shop']);
  });

  it('keeps the previous output when a file path collides with a folder', () => {
    // GIVEN an earlier output with the user's env file
    writeOutput(outdir, [stack('shop', FIRST)]);
    fs.writeFileSync(path.join(outdir, 'shop', '.env'), 'POSTGRES_PASSWORD=local\n');
    const before = readTree(path.join(outdir, 'shop'));

    // WHEN a new output cannot be written: `k8s` is both a file and a folder
    expect(() => writeOutput(outdir, [stack('shop', { ...SECOND, k8s: 'not a folder\n' })])).toThrow(/EEXIST|ENOTDIR|EISDIR/);

    // THEN
    expect(readTree(path.join(outdir, 'shop'))).toEqual(before);
    expect(fs.readdirSync(outdir)).toEqual(['shop']);
  });

  it('keeps the previous output when writing a file fails midway', () => {
    // GIVEN an earlier output
    writeOutput(outdir, [stack('shop', FIRST)]);
    const before = readTree(path.join(outdir, 'shop'));
    const write = fs.writeFileSync;
    let calls = 0;
    jest.spyOn(fs, 'writeFileSync').mockImplementation((...args: Parameters<typeof fs.writeFileSync>) => {
      calls += 1;
      if (calls === 3) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      return write(...args);
    });

    // WHEN
    expect(() => writeOutput(outdir, [stack('shop', SECOND)])).toThrow(/ENOSPC/);

    // THEN
    expect(calls).toBe(3);
    jest.restoreAllMocks();
    expect(readTree(path.join(outdir, 'shop'))).toEqual(before);
    expect(fs.readdirSync(outdir)).toEqual(['shop']);
  });

  it('replaces no stack when writing any stack fails', () => {
    // GIVEN two stacks written earlier
    writeOutput(outdir, [stack('blog', { 'compose.yaml': 'old blog\n' }), stack('shop', FIRST)]);

    // WHEN the second stack of the next run cannot be written
    expect(() =>
      writeOutput(outdir, [stack('blog', { 'compose.yaml': 'new blog\n' }), stack('shop', { ...SECOND, k8s: 'not a folder\n' })]),
    ).toThrow();

    // THEN the first one is not replaced either, and nothing is left half-done
    expect(readTree(path.join(outdir, 'blog'))).toEqual({ 'compose.yaml': 'old blog\n' });
    expect(readTree(path.join(outdir, 'shop'))).toEqual(FIRST);
    expect(fs.readdirSync(outdir).sort()).toEqual(['blog', 'shop']);
  });

  it('writes nothing for a stack that did not exist when its first write fails', () => {
    jest.spyOn(fs, 'writeFileSync').mockImplementation(() => {
      throw new Error('EACCES: permission denied');
    });

    expect(() => writeOutput(outdir, [stack('shop', FIRST)])).toThrow(/EACCES/);

    jest.restoreAllMocks();
    expect(fs.readdirSync(outdir)).toEqual([]);
  });

  it("deletes what synth wrote for a stack removed from the app, but keeps the user's .env files and says so", () => {
    const app = (names: string[]) => ({ stacks: names.map((name) => ({ name })), messages: [], findings: [], complete: true });
    writeOutput(outdir, [stack('shop', FIRST), stack('blog', FIRST)], app(['shop', 'blog']));
    fs.writeFileSync(path.join(outdir, 'blog', '.env'), 'POSTGRES_PASSWORD=filled-in\n', { mode: 0o600 });
    fs.writeFileSync(path.join(outdir, 'blog', 'k8s', '.env'), 'POSTGRES_PASSWORD=filled-in\n');

    const { kept } = writeOutput(outdir, [stack('shop', FIRST)], app(['shop']));

    expect(kept).toEqual(['blog/.env', 'blog/k8s/.env']);
    expect(readTree(path.join(outdir, 'blog'))).toEqual({ '.env': 'POSTGRES_PASSWORD=filled-in\n', 'k8s/.env': 'POSTGRES_PASSWORD=filled-in\n' });
    expect(fs.statSync(path.join(outdir, 'blog', '.env')).mode & 0o777).toBe(0o600);
  });

  it('deletes the whole folder of a removed stack that holds no file of the user', () => {
    const app = (names: string[]) => ({ stacks: names.map((name) => ({ name })), messages: [], findings: [], complete: true });
    writeOutput(outdir, [stack('shop', FIRST), stack('my_blog', FIRST)], app(['shop', 'my_blog']));

    expect(writeOutput(outdir, [stack('shop', FIRST)], app(['shop'])).kept).toEqual([]);
    expect(fs.readdirSync(outdir).sort()).toEqual(['manifest.json', 'shop']);
  });
});
