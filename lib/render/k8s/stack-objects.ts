import { MessageModel, StackModel, WorkloadModel, isRenderedOnKubernetes } from '../../model';
import { objectLabels, quantity } from './format';
import { JOB_WAITER } from './wait-containers';
import { KubernetesObject } from './workload-objects';

/** A PersistentVolumeClaim for each named volume that some workload mounts. */
export function renderVolumeClaims(model: StackModel, messages: MessageModel[]): KubernetesObject[] {
  const usersOf = new Map<string, Set<WorkloadModel>>();
  // Only workloads rendered on Kubernetes claim a volume there.
  for (const workload of model.workloads.filter((w) => isRenderedOnKubernetes(w, model.profiles))) {
    for (const mount of workload.mounts) {
      if (mount.kind !== 'volume') continue;
      const users = usersOf.get(mount.volume) ?? new Set<WorkloadModel>();
      usersOf.set(mount.volume, users.add(workload));
    }
  }
  return model.volumes.flatMap((volume) => {
    const users = [...(usersOf.get(volume.name) ?? [])];
    if (users.length === 0) return [];
    const pods = users.reduce((sum, w) => sum + Math.max(w.replicas, 1), 0);
    if (pods > 1 && volume.accessMode === 'ReadWriteOnce') {
      messages.push({
        level: 'warning',
        path: volume.path,
        message:
          `volume ${volume.name} is mounted by ${pods} pods (${users.map((u) => u.name).join(', ')}) but is ReadWriteOnce; ` +
          "on Kubernetes they must share a node; use accessMode 'ReadWriteMany' with a storage class that offers it",
      });
    }
    return [
      {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name: volume.name, labels: objectLabels(model) },
        spec: {
          accessModes: [volume.accessMode],
          ...(volume.storageClass ? { storageClassName: volume.storageClass } : {}),
          resources: { requests: { storage: quantity(volume.sizeBytes) } },
        },
      },
    ];
  });
}

/**
 * Lets pods that wait for a Job read those Jobs by name, and nothing else: `kubectl wait` gets
 * the Job and watches it with a field selector on its name, which a rule limited to names allows.
 */
export function renderJobWaiterAccess(model: StackModel, jobNames: readonly string[]): KubernetesObject[] {
  const labels = objectLabels(model);
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: JOB_WAITER, labels } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: JOB_WAITER, labels },
      rules: [{ apiGroups: ['batch'], resources: ['jobs'], resourceNames: [...jobNames], verbs: ['get', 'list', 'watch'] }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: JOB_WAITER, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: JOB_WAITER },
      subjects: [{ kind: 'ServiceAccount', name: JOB_WAITER }],
    },
  ];
}

/**
 * The stack's namespace, labelled so the Pod Security admission enforces the declared level, and
 * warns and audits on it (kubectl shows the warnings at apply): written only when the stack names
 * its namespace and declares a level, since `kubectl delete -k` then deletes the namespace too.
 */
export function renderNamespace(model: StackModel): KubernetesObject | undefined {
  if (model.namespace === undefined || model.podSecurity === undefined) return undefined;
  const level = model.podSecurity;
  const podSecurityLabels = Object.fromEntries(
    ['enforce', 'warn', 'audit'].flatMap((mode) => [
      [`pod-security.kubernetes.io/${mode}`, level],
      [`pod-security.kubernetes.io/${mode}-version`, 'latest'],
    ]),
  );
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name: model.namespace, labels: { ...objectLabels(model), ...podSecurityLabels } } };
}
