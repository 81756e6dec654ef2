import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ImportError, importCompose } from '../../lib/import';
import { buildApp } from '../../lib/import/generate';
import { loadCompose } from '../../lib/import/parse';
import { planImport } from '../../lib/import/recognize';
import { validateStackOutput } from '../../lib/validate/real-tools';
import { REPO } from '../support/user-project';

/**
 * Real public Compose projects (../shared/corpus/compose, one folder each, sources in its
 * README) through import, synth, the real tools and the connections check, as a user would run
 * them. No entry is special-cased anywhere: what passes here must pass on projects outside it.
 */
const CORPUS = process.env.CDKC_CORPUS ?? path.resolve(REPO, '..', 'shared', 'corpus', 'compose');
const ENTRIES = fs.existsSync(CORPUS) ? fs.readdirSync(CORPUS).filter((n) => fs.statSync(path.join(CORPUS, n)).isDirectory()).sort() : [];
/** Of 35: all but inputs that docker compose itself refuses to run. */
const AT_LEAST = 33;

type Outcome =
  | { readonly entry: string; readonly status: 'passed'; readonly source: string }
  | { readonly entry: string; readonly status: 'refused'; readonly message: string }
  | { readonly entry: string; readonly status: 'failed'; readonly stage: string; readonly message: string };

const outcomes: Outcome[] = [];
let root: string;

function composeFile(dir: string): string {
  const file = fs.readdirSync(dir).find((f) => /^(docker-)?compose\.ya?ml$/.test(f));
  if (!file) throw new Error(`${dir} holds no compose file`);
  return file;
}

function run(entry: string): Outcome {
  // The folder keeps the entry's name: it names the Compose project, as docker compose does.
  const dir = path.join(root, entry);
  fs.cpSync(path.join(CORPUS, entry), dir, { recursive: true });
  const file = composeFile(dir);
  let stage = 'import';
  try {
    const result = importCompose([file], { cwd: dir, outFile: 'app.ts' });
    stage = 'synth';
    const plan = planImport(loadCompose([file], dir), dir);
    const { app } = buildApp(plan, require('../../lib'), { outdir: path.join(dir, 'cdk.out'), printSummary: false, sourceDir: dir });
    app.synth();
    stage = 'the real tools and the connections check';
    const failed = validateStackOutput(path.join(dir, 'cdk.out', plan.stackName)).filter((r) => r.status !== 'passed');
    if (failed.length > 0) throw new Error(failed.map((r) => `${r.check} ${r.status}: ${r.problems.join('; ')}`).join('\n'));
    return { entry, status: 'passed', source: result.source };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (stage === 'import' && error instanceof ImportError) return { entry, status: 'refused', message };
    return { entry, status: 'failed', stage, message };
  }
}

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'cdkc-corpus-'));
  for (const entry of ENTRIES) outcomes.push(run(entry));
  const passed = outcomes.filter((o) => o.status === 'passed').length;
  process.stdout.write(`[corpus] ${passed} of ${ENTRIES.length} real Compose projects import, synthesize and pass every check\n`);
  for (const o of outcomes) if (o.status !== 'passed') process.stdout.write(`[corpus] ${o.entry}: ${o.status === 'refused' ? 'refused' : `failed at ${o.stage}`}: ${o.message}\n`);
}, 600_000);

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

// The corpus lives beside this repository (the steering checkout's shared/), not in it: its
// files keep their own licenses. Without it there is nothing to run; say so rather than pass.
if (ENTRIES.length === 0) process.stdout.write(`[corpus] SKIPPED: no corpus at ${CORPUS} (set CDKC_CORPUS to its folder)\n`);

(ENTRIES.length > 0 ? describe : describe.skip)('the corpus of real Compose projects', () => {
  it('holds the 35 projects', () => {
    expect(ENTRIES.length).toBeGreaterThanOrEqual(35);
  });

  it(`imports, synthesizes and passes the four real tools and the connections check for at least ${AT_LEAST} entries`, () => {
    const failed = outcomes.filter((o) => o.status === 'failed');
    expect(failed).toEqual([]);
    expect(outcomes.filter((o) => o.status === 'passed').length).toBeGreaterThanOrEqual(AT_LEAST);
  });

  it('refuses only what docker compose itself cannot run, naming the file, line and column', () => {
    for (const o of outcomes) {
      if (o.status !== 'refused') continue;
      expect(o.message).toMatch(/^[^:\s]+\.ya?ml:\d+:\d+: services\.[^:]+: /);
      expect(o.message).toMatch(/docker compose/);
    }
  });

  it('writes app.ts files that type-check (one tsc run over all of them)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdkc-corpus-tsc-'));
    try {
      for (const o of outcomes) {
        if (o.status !== 'passed') continue;
        fs.writeFileSync(path.join(dir, `${o.entry.replace(/[^A-Za-z0-9]/g, '_')}.ts`), o.source.replace(/'cdk-compose'/g, JSON.stringify(path.join(REPO, 'lib'))));
      }
      fs.writeFileSync(
        path.join(dir, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: { module: 'commonjs', target: 'ES2022', strict: true, noUnusedLocals: true, noEmit: true, skipLibCheck: true, types: ['node'], typeRoots: [path.join(REPO, 'node_modules', '@types')] },
          include: ['*.ts'],
        }),
      );
      const tsc = spawnSync(path.join(REPO, 'node_modules', '.bin', 'tsc'), ['-p', dir], { encoding: 'utf8' });
      expect(tsc.stdout + tsc.stderr).toBe('');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
