import { IConstruct } from 'constructs';

/** Context key under which the App records the folder that relative paths in the source start from. */
export const SOURCE_DIR_CONTEXT = 'cdk-compose:sourceDir';

/** The folder that relative paths in the source are relative to: the App's, else the working directory. */
export function sourceDirOf(scope: IConstruct): string {
  const fromContext = scope.node.tryGetContext(SOURCE_DIR_CONTEXT);
  return typeof fromContext === 'string' ? fromContext : process.cwd();
}
