import * as fs from 'fs';
import * as path from 'path';
import { importCompose } from '../../../lib/import';
import { buildApp } from '../../../lib/import/generate';
import { loadCompose } from '../../../lib/import/parse';
import { planImport } from '../../../lib/import/recognize';

/** The real Compose projects the end-to-end suites boot (../shared/corpus/compose). */
export const CORPUS = process.env.CDKC_CORPUS ?? path.resolve(__dirname, '..', '..', '..', '..', 'shared', 'corpus', 'compose');

/**
 * Copies a corpus entry into `root/<entry>` (the folder name is the Compose project's name, as
 * for the user who runs it), imports it as a user would and synthesizes the app into
 * `root/<entry>/cdk.out`. Returns the input's folder and the output stack's folder.
 */
export function importAndSynth(root: string, entry: string): { input: string; output: string; stackName: string } {
  const input = path.join(root, entry);
  fs.cpSync(path.join(CORPUS, entry), input, { recursive: true });
  const file = fs.readdirSync(input).find((f) => /^(docker-)?compose\.ya?ml$/.test(f));
  if (!file) throw new Error(`${entry} has no compose file`);
  const result = importCompose([file], { cwd: input, outFile: 'app.ts' });
  fs.writeFileSync(path.join(input, 'app.ts'), result.source);
  const plan = planImport(loadCompose([file], input), input);
  const { app } = buildApp(plan, require('../../../lib'), { outdir: path.join(input, 'cdk.out'), printSummary: false, sourceDir: input });
  app.synth();
  return { input, output: path.join(input, 'cdk.out', plan.stackName), stackName: plan.stackName };
}

/** The `.env` of a synthesized stack: every variable its .env.example names, from `values`. */
export function fillDotEnv(stackDir: string, values: Readonly<Record<string, string>>): void {
  const example = fs.readFileSync(path.join(stackDir, '.env.example'), 'utf8');
  const missing = [...example.matchAll(/^([A-Za-z_][A-Za-z0-9_]*)=$/gm)].map((m) => m[1]).filter((name) => !(name in values));
  if (missing.length > 0) throw new Error(`${stackDir}/.env.example needs ${missing.join(', ')}`);
  fs.writeFileSync(path.join(stackDir, '.env'), example.replace(/^([A-Za-z_][A-Za-z0-9_]*)=$/gm, (_, name: string) => `${name}=${values[name]}`));
}
