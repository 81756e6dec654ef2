import * as fs from 'fs';
import * as path from 'path';
import { App } from '../../lib';
import { defineDrm } from '../../examples/device-remote-management/app';
import { defineEscrowgrid } from '../../examples/escrowgrid/app';
import { defineParmana } from '../../examples/parmana/app';
import { defineProject88 } from '../../examples/project88/app';
import { defineQuickstart } from '../../examples/quickstart/app';
import { defineSrvthreds } from '../../examples/srvthreds/app';

const ENVIRONMENTS = ['dev', 'prod'] as const;

/**
 * Synthesizes every example stack into `outdir`, as examples/main.ts does for `npm run synth`,
 * and returns the folders of the stacks that have Kubernetes output, by stack name.
 */
export function synthAllExamples(outdir: string): Map<string, string> {
  const app = new App({ outdir, printSummary: false });
  const stacks = [
    defineQuickstart(app),
    ...ENVIRONMENTS.map((environment) => defineDrm(app, environment)),
    ...ENVIRONMENTS.map((environment) => defineParmana(app, environment)),
    ...ENVIRONMENTS.map((environment) => defineEscrowgrid(app, environment)),
    ...ENVIRONMENTS.map((environment) => defineProject88(app, environment)),
    ...ENVIRONMENTS.flatMap((environment) => defineSrvthreds(app, environment)),
  ];
  app.synth();
  const k8sDirs = new Map<string, string>();
  for (const stack of stacks) {
    const k8sDir = path.join(outdir, stack.stackName, 'k8s');
    if (fs.existsSync(k8sDir)) k8sDirs.set(stack.stackName, k8sDir);
  }
  return k8sDirs;
}
