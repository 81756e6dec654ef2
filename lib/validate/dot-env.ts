import * as fs from 'fs';
import * as path from 'path';
import { parseEnvFile } from '../services/files';

/**
 * The variables a stack needs from the env files its user fills in (`NAME=` lines of its
 * `.env.example`: secrets, and parameters without a default), that are missing or empty in
 * `.env` (read by Compose) and `k8s/.env` (read by kustomize), for the targets the stack has.
 * Checked before anyone deploys: Compose would refuse to start, kustomize would make a Secret of
 * empty strings.
 */
export function missingEnvValues(outputStackDir: string, synthesizedStackDir: string): string[] {
  const example = path.join(synthesizedStackDir, '.env.example');
  if (!fs.existsSync(example)) return [];
  const required = parseEnvFile(fs.readFileSync(example, 'utf8')).map((e) => e.name);
  if (required.length === 0) return [];
  const files = [
    ...(fs.existsSync(path.join(synthesizedStackDir, 'compose.yaml')) ? [{ file: '.env', target: 'Compose' }] : []),
    ...(fs.existsSync(path.join(synthesizedStackDir, 'k8s')) ? [{ file: 'k8s/.env', target: 'Kubernetes' }] : []),
  ];
  const problems: string[] = [];
  for (const { file, target } of files) {
    const full = path.join(outputStackDir, file);
    if (!fs.existsSync(full)) {
      problems.push(`${file} (for ${target}) does not exist: copy .env.example to ${file} and fill in ${required.join(', ')}`);
      continue;
    }
    const values = new Map(parseEnvFile(fs.readFileSync(full, 'utf8')).map((e) => [e.name, e.value]));
    const missing = required.filter((name) => !values.has(name));
    const empty = required.filter((name) => values.get(name) === '');
    if (missing.length > 0) problems.push(`${file} (for ${target}) does not set ${missing.join(', ')}`);
    if (empty.length > 0) problems.push(`${file} (for ${target}) sets ${empty.join(', ')} to an empty value`);
  }
  return problems;
}
