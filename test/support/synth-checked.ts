import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, AppProps, Stack, SynthesizedStack, Testing } from '../../lib';
import { checkStackOutput } from './real-tools';

/**
 * Synthesizes the stack `build` fills into a temporary folder, runs every real tool over the
 * written files (checkStackOutput, which throws listing their problems), removes the folder and
 * returns the stack's output for further assertions.
 */
export function synthChecked(build: (stack: Stack) => void, stackName = 'shop', appProps: Omit<AppProps, 'outdir' | 'printSummary'> = {}): SynthesizedStack {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdkc-checked-'));
  try {
    const app = new App({ ...appProps, outdir, printSummary: false });
    const stack = new Stack(app, stackName);
    build(stack);
    app.synth();
    checkStackOutput(path.join(outdir, stackName));
    return Testing.synth(stack);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}
