import { WorkloadModel, envFileVariables } from '../../model';

/**
 * Where a workload's env files are written, relative to the Compose file. The variables are
 * copied into the output as they were at synth time (the same ones the Kubernetes ConfigMap
 * holds), so that both targets read the same values and the folder can be deployed alone.
 */
export function envFilePath(workload: WorkloadModel): string {
  return `env/${workload.name}.env`;
}

/** The env file of a workload: its env files merged, a later file winning, as `env_file` does. */
export function renderEnvFile(workload: WorkloadModel): string {
  const lines = [
    `# Variables of ${workload.name}, copied by synth from ${workload.envFiles.map((f) => f.path).join(', ')}.`,
    '# Edit those files and run synth again.',
    ...Object.entries(envFileVariables(workload)).map(([name, value]) => `${name}=${value}`),
  ];
  return lines.join('\n') + '\n';
}
