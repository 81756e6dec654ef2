import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const REPO = path.join(__dirname, '..');

interface Reflection {
  readonly name: string;
  readonly children?: Reflection[];
  readonly comment?: { readonly blockTags?: { readonly tag: string }[] };
}

/** Every reflection of the reference, by its dotted path (`index.PostgresServiceProps.version`). */
function byPath(root: Reflection): Map<string, Reflection> {
  const found = new Map<string, Reflection>();
  const walk = (node: Reflection, prefix: string) => {
    for (const child of node.children ?? []) {
      const name = prefix ? `${prefix}.${child.name}` : child.name;
      found.set(name, child);
      walk(child, name);
    }
  };
  walk(root, '');
  return found;
}

describe('the API reference that npm run docs generates', () => {
  let reflections: Map<string, Reflection>;

  beforeAll(() => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdkc-api-'));
    try {
      // The same configuration (typedoc.json) as `npm run docs`, as JSON instead of HTML.
      const result = spawnSync(path.join(REPO, 'node_modules', '.bin', 'typedoc'), ['--json', path.join(dir, 'api.json'), '--emit', 'docs', '--out', path.join(dir, 'html')], { cwd: REPO, encoding: 'utf8' });
      if (result.status !== 0) throw new Error(`typedoc failed:\n${result.stdout}${result.stderr}`);
      reflections = byPath(JSON.parse(fs.readFileSync(path.join(dir, 'api.json'), 'utf8')));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);

  it('documents each prop of a construct with its default', () => {
    const version = reflections.get('index.PostgresServiceProps.version');
    expect(version?.comment?.blockTags?.map((t) => t.tag)).toContain('@default');
    expect(reflections.has('testing.Template.hasService')).toBe(true);
  });

  it('shows the public API only: no internal hook, no helper of the library', () => {
    const names = [...reflections.keys()];
    expect(names.filter((n) => /\._[a-zA-Z]/.test(n))).toEqual([]);
    expect(names.filter((n) => /^index\.(describe|describeType|resolveEnvValue)$/.test(n))).toEqual([]);
  });
});
