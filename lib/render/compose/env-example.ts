import { StackModel } from '../../model';

/**
 * The `.env.example` of a stack: every variable the Compose file interpolates, by name only.
 * The same file, filled in, is what kustomize turns into the Kubernetes Secret.
 */
export function renderEnvExample(model: StackModel): string {
  const lines = [
    `# Variables of stack "${model.name}". Copy to .env (and to k8s/.env for kubectl apply -k),`,
    '# fill in the values, and never commit the filled-in copies.',
  ];
  for (const secret of model.secrets) {
    lines.push('');
    if (secret.description) lines.push(`# ${secret.description}`);
    lines.push(`# Used by ${secret.usedBy.join(', ')}`);
    lines.push(`${secret.name}=`);
  }
  if (model.parameters.length > 0) {
    lines.push('', '# Deploy-time parameters: Compose uses the default shown unless .env sets another value.');
    for (const parameter of model.parameters) {
      lines.push('');
      if (parameter.description) lines.push(`# ${parameter.description}`);
      lines.push(parameter.default === undefined ? `${parameter.name}=` : `# ${parameter.name}=${parameter.default}`);
    }
  }
  return lines.join('\n') + '\n';
}
