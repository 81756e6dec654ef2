import * as path from 'path';
import { IConstruct } from 'constructs';

/** Context key under which the App records the folder that relative paths in the source start from. */
export const SOURCE_DIR_CONTEXT = 'cdk-compose:sourceDir';

/** The folder that relative paths in the source are relative to: the App's, else the working directory. */
export function sourceDirOf(scope: IConstruct): string {
  const fromContext = scope.node.tryGetContext(SOURCE_DIR_CONTEXT);
  return typeof fromContext === 'string' ? fromContext : process.cwd();
}

/**
 * `p` as the output should name it: an absolute path inside the app's folder (such as
 * `path.join(__dirname, 'backend')`) becomes relative to that folder, so that the output does
 * not depend on where the project is checked out; anything else is kept as given.
 */
export function portablePath(scope: IConstruct, p: string): string {
  if (!path.isAbsolute(p)) return p;
  const relative = path.relative(sourceDirOf(scope), p);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return p;
  return relative === '' ? '.' : relative.split(path.sep).join('/');
}
