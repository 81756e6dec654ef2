import { expectedPodCount, NamespaceState, podProblems, podsOf, TOKEN_MOUNT_PATH, waitedForServices, warningsAbout } from './pods';

function state(parts: Partial<Record<keyof NamespaceState, any[]>> = {}): NamespaceState {
  const byName = (items: any[] = []) => new Map(items.map((o) => [o.metadata.name, o]));
  return {
    secrets: byName(parts.secrets),
    configMaps: byName(parts.configMaps),
    claims: byName(parts.claims),
    serviceAccounts: byName(parts.serviceAccounts ?? [{ metadata: { name: 'default' } }, { metadata: { name: 'waiter' } }]),
    services: byName(parts.services),
    jobs: byName(parts.jobs),
  };
}

const TOKEN = { name: 'kube-api-access-x', mountPath: TOKEN_MOUNT_PATH, readOnly: true };

function pod(spec: any): any {
  return { metadata: { name: 'api-1' }, spec: { serviceAccountName: 'waiter', ...spec } };
}

describe('podProblems', () => {
  it('finds nothing wrong with a pod whose references all exist', () => {
    const ready = state({
      secrets: [{ metadata: { name: 'shop-secrets' }, data: { POSTGRES_PASSWORD: 'eA==' } }],
      configMaps: [{ metadata: { name: 'conf' }, data: { 'app.conf': 'x' } }],
      claims: [{ metadata: { name: 'data-db-0' } }],
      services: [{ metadata: { name: 'db' }, spec: { ports: [{ port: 5432 }] } }],
      jobs: [{ metadata: { name: 'migrate-0123456789' } }],
    });
    const good = pod({
      initContainers: [
        { name: 'wait-for-migrate', command: ['kubectl', 'wait', '--for=condition=complete', 'job/migrate-0123456789'], volumeMounts: [TOKEN] },
        { name: 'wait-for-db', command: ['sh', '-c', 'until nc -z -w 2 db 5432; do sleep 2; done'] },
      ],
      containers: [
        { name: 'api', env: [{ name: 'POSTGRES_PASSWORD', valueFrom: { secretKeyRef: { name: 'shop-secrets', key: 'POSTGRES_PASSWORD' } } }], volumeMounts: [{ name: 'conf', mountPath: '/etc/app' }] },
      ],
      volumes: [
        { name: 'conf', configMap: { name: 'conf', items: [{ key: 'app.conf', path: 'app.conf' }] } },
        { name: 'data', persistentVolumeClaim: { claimName: 'data-db-0' } },
      ],
    });
    expect(podProblems(good, ready)).toEqual([]);
  });

  it('fails a pod whose Secret, key, ConfigMap, claim, ServiceAccount, Job or Service is missing', () => {
    const bad = pod({
      serviceAccountName: 'nobody',
      initContainers: [
        { name: 'wait-for-migrate', command: ['kubectl', 'wait', '--for=condition=complete', 'job/migrate-0123456789'] },
        { name: 'wait-for-db', command: ['sh', '-c', 'until nc -z -w 2 db 5432; do sleep 2; done'] },
      ],
      containers: [
        {
          name: 'api',
          env: [
            { name: 'A', valueFrom: { secretKeyRef: { name: 'shop-secrets', key: 'A' } } },
            { name: 'B', valueFrom: { secretKeyRef: { name: 'other', key: 'B', optional: true } } },
          ],
          envFrom: [{ configMapRef: { name: 'settings' } }],
        },
      ],
      volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data-db-0' } }],
    });
    const partial = state({ secrets: [{ metadata: { name: 'shop-secrets' }, data: {} }], services: [{ metadata: { name: 'db' }, spec: { ports: [{ port: 5433 }] } }] });
    expect(podProblems(bad, partial)).toEqual([
      'container wait-for-migrate waits for Job migrate-0123456789, which does not exist',
      `container wait-for-migrate runs kubectl but has no ServiceAccount token mounted at ${TOKEN_MOUNT_PATH}`,
      'container wait-for-db waits for db:5432, but Service db has no port 5432',
      'container api env A refers to key A of Secret shop-secrets, which it does not have',
      'container api envFrom refers to ConfigMap settings, which does not exist',
      'volume data mounts claim data-db-0, which does not exist',
      'ServiceAccount nobody does not exist',
    ]);
  });
});

describe('waitedForServices', () => {
  it('reads every host and port of a wait loop', () => {
    const container = { command: ['sh', '-c', 'until nc -z -w 2 db 5432 && nc -z redis 6379; do sleep 2; done'] };
    expect(waitedForServices(container)).toEqual([{ host: 'db', port: 5432 }, { host: 'redis', port: 6379 }]);
  });
});

describe('expectedPodCount', () => {
  it('expects every replica of a Deployment, one pod of an ordered StatefulSet, one per node of a DaemonSet', () => {
    expect(expectedPodCount({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'w' }, spec: { replicas: 3 } })).toBe(3);
    expect(expectedPodCount({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db' }, spec: { replicas: 3 } })).toBe(1);
    expect(expectedPodCount({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db' }, spec: { replicas: 3, podManagementPolicy: 'Parallel' } })).toBe(3);
    expect(expectedPodCount({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent' }, spec: {} })).toBe(1);
    expect(expectedPodCount({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'm' }, spec: {} })).toBe(1);
  });
});

describe('podsOf and warningsAbout', () => {
  const owner = (kind: string, name: string) => [{ kind, name, controller: true }];
  const replicaSets = [{ metadata: { name: 'api-5d9f', ownerReferences: owner('Deployment', 'api') } }];
  const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api' } };

  it('finds a Deployment\'s pods through its ReplicaSets, not by name', () => {
    const pods = [
      { metadata: { name: 'api-5d9f-x', ownerReferences: owner('ReplicaSet', 'api-5d9f') } },
      { metadata: { name: 'api-migrate-x', ownerReferences: owner('Job', 'api-migrate') } },
    ];
    expect(podsOf(pods, replicaSets, deployment).map((p) => p.metadata.name)).toEqual(['api-5d9f-x']);
  });

  it('gives one line per distinct complaint of the workload and its ReplicaSets', () => {
    const event = (kind: string, name: string, message: string) => ({ type: 'Warning', reason: 'FailedCreate', involvedObject: { kind, name }, message });
    const events = [
      event('ReplicaSet', 'api-5d9f', 'Error creating: pods "api-5d9f-abcde" is forbidden: violates PodSecurity'),
      event('ReplicaSet', 'api-5d9f', '(combined from similar events): Error creating: pods "api-5d9f-fghij" is forbidden: violates PodSecurity'),
      event('ReplicaSet', 'apiary-1', 'Error creating: something else'),
    ];
    expect(warningsAbout(events, replicaSets, deployment)).toEqual(['FailedCreate: Error creating: pods "…" is forbidden: violates PodSecurity']);
  });
});
