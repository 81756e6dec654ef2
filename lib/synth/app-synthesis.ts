import * as path from 'path';
import { IConstruct } from 'constructs';
import { Annotation } from '../core/annotations';
import { didYouMean } from '../core/command-line';
import { SynthError } from '../core/synth-error';
import { deployOrder, deployOrderNotes } from './manifest';
import { formatSummary } from './summary';
import { AppSynthesis, synthesize } from './synthesize';
import { writeOutput } from './writer';

/** What `App.synth` was asked for: where to write, which stacks, how strictly, what to print. */
export interface AppSynthesisSettings {
  readonly outdir: string;
  /** The app's folder, which relative paths in the source start from. */
  readonly sourceDir: string;
  /** The folder whose stack folders relative paths are written for (the output folder, or the one `diff` compares with). */
  readonly pathsFrom: string;
  readonly printSummary: boolean;
  /** Write only these stacks; every stack is still validated. */
  readonly selectedStacks?: readonly string[];
  readonly strict: boolean;
  /** `list`: print the stack names instead of writing them. */
  readonly listOnly: boolean;
}

/**
 * Synthesizes the app `root`: validates and renders every stack, fails with one `SynthError`
 * listing every problem (warnings and open findings too, in strict mode), and replaces the
 * output folder of each selected stack. What `App.synth` does, kept here so that the tree's
 * modules never load the synthesizer's.
 */
export function synthesizeApp(root: IConstruct, settings: AppSynthesisSettings): AppSynthesis {
  const started = Date.now();
  // Relative paths in the source are relative to the app; the Compose file sits in <outdir>/<stack>/.
  const sourceDir = toPosix(path.relative(path.resolve(settings.pathsFrom, 'stack'), settings.sourceDir)) || '.';
  const result = synthesize(root, { sourceDir });
  const selected = settings.selectedStacks;

  const problems: Annotation[] = [];
  const names = result.stacks.map((s) => s.model.name);
  const stackOrder = deployOrder(result.stacks.map((s) => ({ name: s.model.name, ...(s.model.requires.length > 0 ? { requires: s.model.requires } : {}) })));
  for (const wanted of selected ?? []) {
    if (!names.includes(wanted)) {
      problems.push({ level: 'error', path: wanted, message: `there is no stack named "${wanted}"; the app has: ${names.join(', ')}${didYouMean(wanted, names, true)}` });
    }
  }
  if (settings.listOnly) {
    if (problems.length > 0) throw new SynthError(problems);
    for (const stack of stackOrder) process.stdout.write(`${stack.name}\n`);
    process.stderr.write(deployOrderNotes(stackOrder));
    return result;
  }
  if (settings.strict) problems.push(...strictProblems(result));
  if (problems.length > 0) throw new SynthError(problems);

  const written = result.stacks.filter((s) => !selected || selected.includes(s.model.name));
  const { kept } = writeOutput(
    settings.outdir,
    written.map((s) => ({ stackName: s.model.name, files: s.files })),
    { stacks: stackOrder, messages: result.messages, findings: result.findings, complete: !selected },
  );
  if (settings.printSummary) {
    process.stderr.write(formatSummary({ ...result, stacks: written }, settings.outdir, Date.now() - started, kept) + '\n');
  }
  return result;
}

/** What strict mode fails on: warnings, and hardening findings not acknowledged. Notes pass (decision 14). */
function strictProblems(result: AppSynthesis): Annotation[] {
  return [
    ...result.messages
      .filter((m) => m.level === 'warning')
      .map((warning): Annotation => ({ ...warning, level: 'error', message: `${warning.message} (a warning; strict mode fails on warnings)` })),
    ...result.findings
      .filter((f) => f.acknowledged === undefined)
      .map((finding): Annotation => ({
        level: 'error',
        path: finding.path,
        message: `[${finding.ruleId}] ${finding.message} (strict mode fails on hardening findings that are not acknowledged with Hardening.of(construct).acknowledge('${finding.ruleId}', reason))`,
      })),
  ];
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
