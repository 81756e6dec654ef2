import * as path from 'path';
import { Annotation } from '../core/annotations';
import { Finding } from '../hardening/run-rules';
import { AppSynthesis } from './synthesize';

/** What synth wrote where, and its warnings grouped by construct path. */
export function formatSummary(result: AppSynthesis, outdir: string, elapsedMs: number, kept: readonly string[] = []): string {
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
  if (kept.length > 0) {
    lines.push(`  kept, of stacks no longer in the app: ${kept.map((f) => path.join(outdir, f)).join(', ')} (your own files; delete them when you no longer need them)`);
  }
  lines.push(...formatMessages(result.messages));
  lines.push(...formatFindings(result.findings));
  return lines.join('\n');
}

/** Open findings grouped by rule, with the workloads each concerns; acknowledged ones counted. */
export function formatFindings(findings: readonly Finding[]): string[] {
  if (findings.length === 0) return [];
  const open = findings.filter((f) => f.acknowledged === undefined);
  const lines = ['', `${findings.length} hardening finding${findings.length === 1 ? '' : 's'}, ${findings.length - open.length} acknowledged:`];
  for (const [ruleId, list] of groupBy(open, (f) => f.ruleId)) {
    lines.push(`  ${ruleId} (${list.length}): ${list.map((f) => f.path).join(', ')}`);
    lines.push(`    ${list[0].message}`);
  }
  if (open.length > 0) {
    lines.push("  Fix them, or acknowledge each with Hardening.of(construct).acknowledge(ruleId, reason); synth --strict fails on open findings.");
  }
  return lines;
}

export function formatMessages(messages: readonly Annotation[]): string[] {
  if (messages.length === 0) return [];
  const lines = ['', `${messages.length} message${messages.length === 1 ? '' : 's'}:`];
  for (const [where, list] of groupBy(messages, (m) => m.path)) {
    lines.push(`  ${where}`);
    for (const message of list) lines.push(`    ${message.level}: ${message.message}`);
  }
  return lines;
}

/** Items grouped by key, groups and items in first-seen order. */
function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}
