import * as path from 'path';
import { Annotation } from '../core/annotations';
import { Finding } from '../hardening/run-rules';
import { MANIFEST_FILE } from './manifest';
import { AppSynthesis } from './synthesize';

/** How many paths of one message, and how many messages of one rule, the summary shows. */
const SHOWN_PATHS = 3;
const SHOWN_MESSAGES = 3;

/** What synth wrote where, and its warnings grouped by construct path. */
export function formatSummary(result: AppSynthesis, outdir: string, elapsedMs: number, kept: readonly string[] = []): string {
  const lines: string[] = [];
  const count = result.stacks.length;
  lines.push(`cdk-compose: synthesized ${counted(count, 'stack')} in ${elapsedMs} ms`);
  for (const stack of result.stacks) {
    const folder = path.join(outdir, stack.model.name);
    lines.push(`  ${stack.stack.node.path} -> ${folder}${path.sep}`);
    if (stack.compose) {
      lines.push(`    compose.yaml          ${counted(Object.keys(stack.compose.services).length, 'service')}`);
    }
    lines.push(`    .env.example          ${counted(stack.model.secrets.length, 'variable')}`);
    if (stack.kubernetes) {
      lines.push(`    k8s/                  ${counted(stack.kubernetes.files.length, 'object')} and kustomization.yaml`);
    }
  }
  if (kept.length > 0) {
    lines.push(`  kept, of stacks no longer in the app: ${kept.map((f) => path.join(outdir, f)).join(', ')} (your own files; delete them when you no longer need them)`);
  }
  lines.push(...formatMessages(result.messages));
  lines.push(...formatFindings(result.findings, path.join(outdir, MANIFEST_FILE)));
  return lines.join('\n');
}

/**
 * Open findings grouped by rule and, within a rule, by message: a few workloads of each
 * message and how many more, so that a hundred services make a few lines, not one of a hundred
 * paths. Acknowledged findings are counted. `everyFinding` names the file that lists them all.
 */
export function formatFindings(findings: readonly Finding[], everyFinding?: string): string[] {
  if (findings.length === 0) return [];
  const open = findings.filter((f) => f.acknowledged === undefined);
  const lines = ['', `${counted(findings.length, 'hardening finding')}, ${findings.length - open.length} acknowledged:`];
  let cut = false;
  for (const [ruleId, list] of groupBy(open, (f) => f.ruleId)) {
    lines.push(`  ${ruleId} (${list.length}):`);
    const byMessage = [...groupBy(list, (f) => f.message)];
    for (const [message, same] of byMessage.slice(0, SHOWN_MESSAGES)) {
      const paths = same.slice(0, SHOWN_PATHS).map((f) => f.path).join(', ');
      lines.push(`    ${paths}${same.length > SHOWN_PATHS ? ` and ${same.length - SHOWN_PATHS} more` : ''}: ${message}`);
      cut ||= same.length > SHOWN_PATHS;
    }
    const rest = byMessage.slice(SHOWN_MESSAGES).reduce((n, [, same]) => n + same.length, 0);
    if (rest > 0) {
      lines.push(`    and ${rest} more with other messages`);
      cut = true;
    }
  }
  if (cut && everyFinding) lines.push(`  Every finding, with its message, is in ${everyFinding}.`);
  if (open.length > 0) {
    lines.push("  Fix them, or acknowledge each with Hardening.of(construct).acknowledge(ruleId, reason); synth --strict fails on open findings.");
  }
  return lines;
}

export function formatMessages(messages: readonly Annotation[]): string[] {
  if (messages.length === 0) return [];
  const lines = ['', `${counted(messages.length, 'message')}:`];
  for (const [where, list] of groupBy(messages, (m) => m.path)) {
    lines.push(`  ${where}`);
    for (const message of list) lines.push(`    ${message.level}: ${message.message}`);
  }
  return lines;
}

/** `1 service`, `2 services`. */
function counted(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
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
