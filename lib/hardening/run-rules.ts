import { IConstruct } from 'constructs';
import { StackModel } from '../model';
import { Hardening } from './hardening';
import { HARDENING_RULES } from './rules';

/** A hardening rule a workload does not meet. */
export interface Finding {
  readonly ruleId: string;
  readonly path: string;
  readonly message: string;
  /** The written reason, when the finding was acknowledged. */
  readonly acknowledged?: string;
}

/** Runs every rule on every workload of a stack; `constructAt` finds the construct of a path. */
export function runHardeningRules(stack: StackModel, constructAt: (path: string) => IConstruct | undefined): Finding[] {
  const findings: Finding[] = [];
  for (const workload of stack.workloads) {
    const construct = constructAt(workload.path);
    const acknowledgements = construct ? Hardening.acknowledgementsOf(construct) : [];
    for (const rule of HARDENING_RULES) {
      const problem = rule.check(workload, stack);
      if (problem === undefined) continue;
      const acknowledged = acknowledgements.find((a) => a.ruleId === rule.id)?.reason;
      findings.push({ ruleId: rule.id, path: workload.path, message: problem, ...(acknowledged ? { acknowledged } : {}) });
    }
  }
  return findings;
}
