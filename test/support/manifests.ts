import { SynthesizedStack } from '../../lib';

/** The Kubernetes object of `kind` named `name`; the error lists what there is instead. */
export function manifest(out: SynthesizedStack, kind: string, name: string): any {
  const found = out.manifests.find((m) => m.kind === kind && m.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} among ${out.manifests.map((m) => `${m.kind}/${m.metadata.name}`).join(', ')}`);
  return found;
}

/** The main container of a controller's pod template. */
export function container(object: any): any {
  return object.spec.template.spec.containers[0];
}
