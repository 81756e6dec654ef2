import { StackModel, WorkloadModel, isRenderedOnKubernetes } from '../../model';
import type { KubernetesManifests, ManifestFile } from './index';

/**
 * Where, beside `k8s/`, each profile's kustomization is written. Not under it: kustomize refuses a
 * base folder that contains the overlay built on it.
 */
export const PROFILES_FOLDER = 'k8s-profiles';

/**
 * What Compose keeps behind a profile (`docker compose --profile dev up`) is a kustomization of
 * its own on Kubernetes, `k8s-profiles/<profile>/`, that builds on the stack's: it adds the
 * profile's objects and replaces those the profile changes (the NetworkPolicies that now admit
 * its workloads), so `kubectl apply -k k8s-profiles/dev` deploys the stack with the profile on,
 * and `kubectl apply -k k8s` without it, as on Compose.
 */
export interface ProfileOverlay {
  readonly profile: string;
  /** Objects added by the profile, then objects it replaces, by file name in the profile's folder. */
  readonly files: readonly ManifestFile[];
  readonly kustomization: Record<string, unknown>;
}

/** The profiles whose workloads the stack leaves off Kubernetes, which could be switched on there. */
export function profilesLeftOff(model: StackModel): string[] {
  const left = model.workloads.filter((w) => w.composeOnly === undefined && !isRenderedOnKubernetes(w, model.profiles));
  return [...new Set(left.flatMap((w) => w.profiles))].sort();
}

/** The profile whose kustomization deploys `workload`, when it is left off for its profiles. */
export function profileOverlayOf(workload: WorkloadModel, model: StackModel): string | undefined {
  return profilesLeftOff(model).find((profile) => workload.profiles.includes(profile));
}

function objectKey(file: ManifestFile): string {
  return `${file.object.kind}/${file.object.metadata.name}`;
}

/** The kustomization that turns `base` into `withProfile`: what is new is added, what differs replaces. */
export function profileOverlay(model: StackModel, profile: string, base: Omit<KubernetesManifests, 'profileOverlays'>, withProfile: Omit<KubernetesManifests, 'profileOverlays'>): ProfileOverlay {
  const before = new Map(base.files.map((f) => [objectKey(f), JSON.stringify(f.object)]));
  const added = withProfile.files.filter((f) => !before.has(objectKey(f)));
  const changed = withProfile.files.filter((f) => before.has(objectKey(f)) && before.get(objectKey(f)) !== JSON.stringify(f.object));
  const images = withProfile.kustomization.images;
  // The profile's workloads choose their env files as the base's do; applied again, the base's change nothing.
  const replacements = withProfile.kustomization.replacements;
  return {
    profile,
    files: [...added, ...changed],
    kustomization: {
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      ...(model.namespace ? { namespace: model.namespace } : {}),
      resources: ['../../k8s', ...added.map((f) => f.fileName)],
      ...(changed.length > 0 ? { patches: changed.map((f) => ({ path: f.fileName })) } : {}),
      ...(images ? { images } : {}),
      ...(replacements ? { replacements } : {}),
    },
  };
}
