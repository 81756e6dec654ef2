import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const REPO = path.resolve(__dirname, '..', '..');
export const TS_NODE = path.join(REPO, 'node_modules', '.bin', 'ts-node');

/**
 * A temporary folder laid out like a user's project: `app.ts` (importing `cdk-compose`, which
 * resolves to this checkout), a tsconfig.json, and optionally a cdk-compose.json.
 */
export function userProject(appSource: string, config?: object): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdkc-project-'));
  fs.writeFileSync(path.join(dir, 'app.ts'), appSource.replace(/'cdk-compose'/g, JSON.stringify(path.join(REPO, 'lib'))));
  fs.writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        module: 'commonjs',
        target: 'ES2022',
        strict: true,
        esModuleInterop: true,
        types: ['node'],
        typeRoots: [path.join(REPO, 'node_modules', '@types')],
      },
    }),
  );
  if (config) fs.writeFileSync(path.join(dir, 'cdk-compose.json'), JSON.stringify(config));
  return dir;
}
