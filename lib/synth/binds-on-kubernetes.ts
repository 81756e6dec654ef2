import * as fs from 'fs';
import * as path from 'path';
import { cutName, kubernetesName } from '../core/names';
import { Size } from '../core/size';
import { BindOnKubernetes, MessageModel, MountModel, VolumeModel, WorkloadModel } from '../model';

/** A ConfigMap holds at most 1 MiB; a larger file cannot stand for a bind mount there. */
const CONFIG_MAP_LIMIT = 1024 * 1024;

/**
 * What each bind mount of a folder of the app becomes on Kubernetes, which has none: a file
 * (read when synth runs) a ConfigMap mounted read-only, a writable folder a claim of its own
 * (one per folder, shared by every workload that binds it) that starts empty. A read-only
 * folder, an absolute path of the host and a bind left out by choice stay Compose only. Returns the workloads and the claims to add to the stack's volumes.
 */
export function bindsOnKubernetes(
  workloads: readonly WorkloadModel[],
  volumes: readonly VolumeModel[],
  sourceDir: string,
  messages: MessageModel[],
): { workloads: WorkloadModel[]; claims: VolumeModel[] } {
  const taken = new Set(volumes.map((v) => kubernetesName(v.name)));
  const claims = new Map<string, VolumeModel>();
  const claimFor = (source: string, owner: WorkloadModel): string => {
    const key = path.posix.normalize(source);
    const existing = claims.get(key);
    if (existing) return existing.name;
    // `bind-`, 50 characters and a `-<n>` that tells claims of one folder name apart stay a DNS label.
    const base = cutName(kubernetesName(path.posix.basename(key).toLowerCase().replace(/[^a-z0-9_.-]+/g, '-').replace(/^[^a-z]+/, '') || 'files'), 50);
    let name = cutName(`bind-${base}`);
    for (let i = 2; taken.has(name); i++) name = `bind-${base}-${i}`;
    taken.add(name);
    claims.set(key, { name, path: owner.path, sizeBytes: Size.gibibytes(1).bytes, accessMode: 'ReadWriteOnce', forBind: source });
    return name;
  };

  const result = workloads.map((workload) => {
    if (!workload.mounts.some((m) => m.kind === 'bind')) return workload;
    const mounts = workload.mounts.map((mount): MountModel => {
      if (mount.kind !== 'bind' || mount.leftOutOnKubernetes || mount.source.startsWith('/') || mount.source.startsWith('~')) return mount;
      const kubernetes = standIn(workload, mount, sourceDir, claimFor);
      if (!kubernetes) return mount;
      messages.push({ level: kubernetes.kind === 'claim' ? 'warning' : 'info', path: workload.path, message: describe(mount, kubernetes) });
      return { ...mount, kubernetes };
    });
    return { ...workload, mounts };
  });
  // A claim several pods mount must let them share it across nodes.
  const users = new Map<string, number>();
  for (const workload of result) {
    for (const mount of workload.mounts) {
      if (mount.kind === 'bind' && mount.kubernetes?.kind === 'claim') {
        users.set(mount.kubernetes.claim, (users.get(mount.kubernetes.claim) ?? 0) + Math.max(workload.replicas, 1));
      }
    }
  }
  const bindClaims = [...claims.values()].map((claim): VolumeModel => ((users.get(claim.name) ?? 0) > 1 ? { ...claim, accessMode: 'ReadWriteMany' } : claim));
  return { workloads: result, claims: bindClaims };
}

function standIn(
  workload: WorkloadModel,
  mount: Extract<MountModel, { kind: 'bind' }>,
  sourceDir: string,
  claimFor: (source: string, owner: WorkloadModel) => string,
): BindOnKubernetes | undefined {
  const file = path.resolve(sourceDir, mount.source);
  const stat = fs.existsSync(file) ? fs.statSync(file) : undefined;
  if (stat?.isFile() && stat.size <= CONFIG_MAP_LIMIT) {
    const bytes = fs.readFileSync(file);
    if (!bytes.includes(0)) {
      const fileName = path.basename(file);
      const slug = fileName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'file';
      return { kind: 'config', name: `${workload.name}-${slug}`, fileName, content: bytes.toString('utf8') };
    }
  }
  // An empty read-only claim would only hide what the image has there.
  if (mount.readOnly) return undefined;
  return { kind: 'claim', claim: claimFor(mount.source, workload) };
}

function describe(mount: Extract<MountModel, { kind: 'bind' }>, kubernetes: BindOnKubernetes): string {
  if (kubernetes.kind === 'config') {
    return (
      `bind mount ${mount.source} at ${mount.target} is a ConfigMap of the file on Kubernetes, read when synth runs` +
      (mount.readOnly ? '' : ' and mounted read-only there (what the container writes to it is not kept)')
    );
  }
  return (
    `bind mount ${mount.source} at ${mount.target} is claim ${kubernetes.claim} on Kubernetes, which has no folders of the app: ` +
    'it starts empty there; copy the files in, or bake them into the image'
  );
}
