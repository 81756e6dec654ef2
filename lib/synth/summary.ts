import * as path from 'path';
import { Annotation } from '../core/annotations';
import { AppSynthesis } from './synthesize';

/** What synth wrote where, and its warnings grouped by construct path. */
export function formatSummary(result: AppSynthesis, outdir: string, elapsedMs: number): string {
  const lines: string[] = [];
  const count = result.stacks.length;
  lines.push(`cdk-compose: synthesized ${count} stack${count === 1 ? '' : 's'} in ${elapsedMs} ms`);
  for (const stack of result.stacks) {
    const folder = path.join(outdir, stack.model.name);
    lines.push(`  ${stack.stack.node.path} -> ${folder}${path.sep}`);
    if (stack.compose) {
      lines.push(`    compose.yaml          ${Object.keys(stack.compose.services).length} services`);
    }
    lines.push(`    .env.example          ${stack.model.secrets.length} variables`);
    if (stack.kubernetes) {
      lines.push(`    k8s/                  ${stack.kubernetes.files.length} objects and kustomization.yaml`);
    }
  }
  lines.push(...formatMessages(result.messages));
  return lines.join('\n');
}

export function formatMessages(messages: readonly Annotation[]): string[] {
  if (messages.length === 0) return [];
  const lines = ['', `${messages.length} message${messages.length === 1 ? '' : 's'}:`];
  const byPath = new Map<string, Annotation[]>();
  for (const message of messages) {
    byPath.set(message.path, [...(byPath.get(message.path) ?? []), message]);
  }
  for (const [where, list] of byPath) {
    lines.push(`  ${where}`);
    for (const message of list) lines.push(`    ${message.level}: ${message.message}`);
  }
  return lines;
}
