import { evaluate, fromValue, print, referencedNames, usedNames } from './expr';
import { Plan } from './recognize';

/** The TypeScript source of the app: deterministic, formatted, importing from 'cdk-compose'. */
export function generateSource(plan: Plan, sources: readonly string[]): string {
  const names = new Set<string>(['App', 'Stack']);
  for (const d of plan.declarations) {
    names.add(d.construct);
    if (d.props) usedNames(d.props, names);
  }
  const lines: string[] = [];
  lines.push(`// Imported by \`cdk-compose import ${sources.join(' ')}\`. Review the import report: it lists every`);
  lines.push('// key without a construct (kept below as node metadata) and every difference in the synthesized Compose file.');
  lines.push(`import { ${[...names].sort().join(', ')} } from 'cdk-compose';`);
  lines.push('');
  lines.push('const app = new App();');
  lines.push(`const stack = new Stack(app, '${plan.stackName}');`);
  for (const d of plan.declarations) {
    lines.push('');
    for (const c of d.comments) lines.push(`// ${c}`);
    const args = [`stack`, `'${d.id}'`, ...(d.props ? [print(d.props)] : [])].join(', ');
    lines.push(`const ${d.variable} = new ${d.construct}(${args});`);
    if (d.unmapped) {
      lines.push(`// Compose keys without a construct option (see the import report): kept here, not rendered.`);
      lines.push(`${d.variable}.node.addMetadata('cdk-compose:import:unmapped', ${print(fromValue(d.unmapped))});`);
    }
  }
  lines.push('');
  lines.push('app.synth();');
  // Every declared construct is used (by reference or through the tree); keep tsc's noUnusedLocals quiet.
  const unreferenced = plan.declarations.filter((d) => !isReferenced(plan, d.variable)).map((d) => d.variable);
  if (unreferenced.length > 0) lines.push(`void [${unreferenced.join(', ')}];`);
  return lines.join('\n') + '\n';
}

function isReferenced(plan: Plan, variable: string): boolean {
  return plan.declarations.some((d) => d.props !== undefined && referencedNames(d.props).has(variable)) || plan.declarations.some((d) => d.variable === variable && d.unmapped);
}

/** Builds the same construct tree in memory (what the printed source builds). */
export function buildApp(plan: Plan, lib: Record<string, any>, appProps: object): { app: any; stack: any } {
  const scope: Record<string, any> = { ...lib };
  const app = new lib.App(appProps);
  const stack = new lib.Stack(app, plan.stackName);
  for (const d of plan.declarations) {
    const props = d.props ? evaluate(d.props, scope) : undefined;
    const construct = props === undefined ? new lib[d.construct](stack, d.id) : new lib[d.construct](stack, d.id, props);
    if (d.unmapped) construct.node.addMetadata('cdk-compose:import:unmapped', d.unmapped);
    scope[d.variable] = construct;
  }
  return { app, stack };
}
