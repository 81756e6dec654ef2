import { WorkloadModel, envFileVariables, envFilesFor } from '../../model';

/**
 * Where a workload's env files are written, relative to the Compose file. The variables are
 * copied into the output as they were at synth time (the same ones the Kubernetes ConfigMap
 * holds), so that both targets read the same values and the folder can be deployed alone. A
 * workload whose file is chosen at deploy time gets one file per choice, `env/<name>.<choice>.env`.
 */
export function envFilePath(workload: WorkloadModel, choice?: string): string {
  return choice === undefined ? `env/${workload.name}.env` : `env/${workload.name}.${choice}.env`;
}

/** The env files of a workload as written: one, or one per value of its env file choice. */
export function envFilesOf(workload: WorkloadModel): { path: string; content: string }[] {
  if (workload.envFiles.length === 0) return [];
  const choice = workload.envFileChoice;
  if (!choice) return [{ path: envFilePath(workload), content: renderEnvFile(workload) }];
  return choice.options.map((option) => ({ path: envFilePath(workload, option.value), content: renderEnvFile(workload, option.value) }));
}

/** The env file of a workload: its env files merged, a later file winning, as `env_file` does. */
function renderEnvFile(workload: WorkloadModel, choice?: string): string {
  const lines = [
    `# Variables of ${workload.name}, copied by synth from ${envFilesFor(workload, choice).map((f) => f.path).join(', ')}` +
      (choice === undefined ? '.' : ` (${workload.envFileChoice?.parameter}=${choice}).`),
    '# Edit those files and run synth again.',
    ...Object.entries(envFileVariables(workload, choice)).map(([name, value]) => `${name}=${value}`),
  ];
  return lines.join('\n') + '\n';
}
