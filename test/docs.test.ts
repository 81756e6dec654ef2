import * as fs from 'fs';
import * as path from 'path';
import { escapeInterpolation } from '../lib/render/compose/format';
import { escapeExpansion } from '../lib/render/k8s/format';

const REPO = path.join(__dirname, '..');
const read = (file: string) => fs.readFileSync(path.join(REPO, file), 'utf8');

/** Every file of the repository under `dir`, as a path relative to the repository. */
function filesUnder(dir: string): string[] {
  return (fs.readdirSync(path.join(REPO, dir), { recursive: true }) as string[]).map((f) => path.posix.join(dir, f.split(path.sep).join('/')));
}

/** The `*.ts` files a document names in backquotes, and those of them no file of `dirs` ends with. */
function missingFiles(doc: string, dirs: string[]): { named: string[]; missing: string[] } {
  const named = [...new Set([...read(doc).matchAll(/`([\w./-]+\.ts)`/g)].map((m) => m[1]))];
  const files = dirs.flatMap(filesUnder);
  return { named, missing: named.filter((name) => !files.some((f) => f === name || f.endsWith(`/${name}`))) };
}

describe('docs/semantics.md', () => {
  it('names only files that exist', () => {
    const { named, missing } = missingFiles('docs/semantics.md', ['lib', 'test']);
    expect(named.length).toBeGreaterThanOrEqual(15);
    expect(missing).toEqual([]);
  });

  it('states the $ rule the renderers apply: every $ doubled on both targets', () => {
    expect(read('docs/semantics.md')).toMatch(/every\s+`\$` becomes `\$\$` on Compose[\s\S]*every `\$` of a command, its args and env values becomes `\$\$` on\s+Kubernetes/);
    expect(escapeInterpolation(['echo $HOME', 'plain'])).toEqual(['echo $$HOME', 'plain']);
    expect(escapeExpansion('$(TOKEN) costs $5')).toBe('$$(TOKEN) costs $$5');
  });
});

describe('docs/performance.md', () => {
  it('names only files that exist in what is left', () => {
    const left = read('docs/performance.md').split('## What is left')[1];
    const named = [...left.matchAll(/`((?:lib|bin)\/[\w./-]+)`/g)].map((m) => m[1]);
    expect(named.length).toBeGreaterThanOrEqual(3);
    expect(named.filter((file) => !fs.existsSync(path.join(REPO, file)))).toEqual([]);
  });

  it('states measured figures, not placeholders left for them', () => {
    expect(read('docs/performance.md').match(/\b(?:RATIO|CHART|PIPE|PEAK|PEER|NPX)_[A-Z0-9_]+\b/g)).toBeNull();
  });

  it('no longer lists what was fixed', () => {
    const left = read('docs/performance.md').split('## What is left')[1].split('| where |')[1];
    for (const fixed of ['summary.ts', 'renderVolumeClaims', 'otherStackProblem', 'escapeInterpolation', 'cdk-compose.json']) {
      expect([fixed, left.includes(fixed)]).toEqual([fixed, false]);
    }
  });
});
