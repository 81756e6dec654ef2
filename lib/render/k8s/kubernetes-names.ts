import { KEPT_BEFORE_DIGEST, kubernetesName, withDigest } from '../../core/names';
import { EnvVarModel, MountModel, StackModel, WorkloadModel } from '../../model';
import { renameHosts } from '../../model/host-references';

/**
 * The stack as Kubernetes names it. Compose names may hold '_' and '.' (`db_data`), which no
 * Kubernetes object name may; each such name becomes its `kubernetesName` here, once, and so
 * does every reference to it: dependencies, mounted volumes, and the host names that
 * environment values and commands reach (`db_1:5432` -> `db-1:5432`), so that a connection
 * still resolves to the Service of the same workload.
 */
export function withKubernetesNames(model: StackModel): StackModel {
  return renamed(withBindStandIns(model));
}

/**
 * Bind mounts of the app's folders as what stands for them on Kubernetes (`BindOnKubernetes`):
 * a claim's volume mount, or a config file mount. Two files of one name a workload binds at
 * different places get ConfigMaps named apart by a digest of their place.
 */
function withBindStandIns(model: StackModel): StackModel {
  if (!model.workloads.some((w) => w.mounts.some((m) => m.kind === 'bind' && m.kubernetes))) return model;
  const names = new Set<string>();
  const workloads = model.workloads.map((workload) => ({
    ...workload,
    mounts: workload.mounts.map((mount): MountModel => {
      if (mount.kind !== 'bind' || !mount.kubernetes) return mount;
      const standIn = mount.kubernetes;
      if (standIn.kind === 'claim') {
        return { kind: 'volume', volume: standIn.claim, target: mount.target, readOnly: mount.readOnly, ...(mount.kubernetesSubPath ? { kubernetesSubPath: mount.kubernetesSubPath } : {}) };
      }
      let name = standIn.name;
      // Kept within what its ConfigMap name keeps before the content digest (configMapName).
      if (names.has(name)) name = withDigest(name, mount.target, KEPT_BEFORE_DIGEST);
      names.add(name);
      return { kind: 'config', name, fileName: standIn.fileName, content: standIn.content, target: mount.target };
    }),
  }));
  return { ...model, workloads };
}

function renamed(model: StackModel): StackModel {
  const hosts = new Map<string, string>();
  for (const workload of model.workloads) {
    if (kubernetesName(workload.name) !== workload.name) hosts.set(workload.name, kubernetesName(workload.name));
    // Another stack's workloads are Services of the same namespace, under their Kubernetes names.
    for (const { target } of workload.waitsAcrossStacks) if (kubernetesName(target) !== target) hosts.set(target, kubernetesName(target));
  }
  const volumes = model.volumes.some((v) => kubernetesName(v.name) !== v.name);
  const configs = model.workloads.some((w) => w.mounts.some((m) => m.kind === 'config' && kubernetesName(m.name) !== m.name));
  const stackRenamed = kubernetesName(model.name) !== model.name;
  if (hosts.size === 0 && !volumes && !configs && !stackRenamed) return model;

  const words = (list: readonly string[] | undefined) => list?.map((word, i) => renameHosts(word, hosts, { previousWord: list[i - 1] }));
  const env = (variable: EnvVarModel): EnvVarModel => ({
    ...variable,
    parts: variable.parts.map((part) => (part.kind === 'text' ? { ...part, text: renameHosts(part.text, hosts, { variable: variable.name }) } : part)),
  });
  const mount = (m: MountModel): MountModel =>
    m.kind === 'volume' ? { ...m, volume: kubernetesName(m.volume) } : m.kind === 'config' ? { ...m, name: kubernetesName(m.name) } : m;
  const workload = (w: WorkloadModel): WorkloadModel => ({
    ...w,
    name: kubernetesName(w.name),
    entrypoint: words(w.entrypoint),
    command: words(w.command),
    env: w.env.map(env),
    dependsOn: w.dependsOn.map((d) => ({ ...d, target: kubernetesName(d.target) })),
    waitsAcrossStacks: w.waitsAcrossStacks.map((wait) => ({ ...wait, target: kubernetesName(wait.target) })),
    mounts: w.mounts.map(mount),
  });
  return {
    ...model,
    name: kubernetesName(model.name),
    workloads: model.workloads.map(workload),
    volumes: model.volumes.map((v) => ({ ...v, name: kubernetesName(v.name) })),
  };
}
