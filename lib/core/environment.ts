/**
 * Names of development environments: a laptop or a shared dev box, where publishing a
 * database's port to the host is how people reach it.
 */
export const DEVELOPMENT_ENVIRONMENTS: readonly string[] = ['dev', 'development', 'local'];

/**
 * True when `environment` names a development environment: one of `DEVELOPMENT_ENVIRONMENTS`,
 * in any case, alone or as the first word of a longer name (`dev-alice`, `local_eu`).
 */
export function isDevelopmentEnvironment(environment: string | undefined): boolean {
  if (environment === undefined) return false;
  const firstWord = environment.toLowerCase().split(/[-_.\s]/)[0];
  return DEVELOPMENT_ENVIRONMENTS.includes(firstWord);
}
