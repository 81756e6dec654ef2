import { MessageModel, ParameterModel, PortModel, WorkloadModel, everyEnvFile } from '../model';
import { HostReference, hostReferences, readsAsHost } from '../model/host-references';

/**
 * The ports a server image listens on unless told otherwise, by repository name (the last
 * path component, so `docker.io/library/mariadb` and `bitnami/mariadb` both count).
 */
const WELL_KNOWN_PORTS: Readonly<Record<string, readonly number[]>> = {
  postgres: [5432],
  postgis: [5432],
  mysql: [3306],
  mariadb: [3306],
  redis: [6379],
  redismod: [6379],
  valkey: [6379],
  keydb: [6379],
  mongo: [27017],
  mongodb: [27017],
  rabbitmq: [5672, 15672],
  clickhouse: [8123, 9000],
  'clickhouse-server': [8123, 9000],
  elasticsearch: [9200],
  opensearch: [9200],
  memcached: [11211],
  kafka: [9092],
  zookeeper: [2181],
  minio: [9000],
  'mssql/server': [1433],
  'azure-sql-edge': [1433],
  tika: [9998],
  gotenberg: [3000],
  nats: [4222],
  etcd: [2379],
  consul: [8500],
  vault: [8200],
  influxdb: [8086],
  cassandra: [9042],
  neo4j: [7474, 7687],
};

/** The well-known ports of an image reference, if its repository is a known server. */
export function wellKnownPorts(image: string | undefined): readonly number[] {
  if (!image) return [];
  const repository = image.split('@')[0].replace(/:[^/]*$/, '');
  const parts = repository.split('/');
  const lastTwo = parts.slice(-2).join('/');
  return WELL_KNOWN_PORTS[lastTwo] ?? WELL_KNOWN_PORTS[parts[parts.length - 1]] ?? [];
}

/** The text synth knows of an env value: parameters at their defaults, secrets as '*'. */
function knownText(parts: WorkloadModel['env'][number]['parts'], parameters: readonly ParameterModel[]): string {
  return parts
    .map((p) => (p.kind === 'text' ? p.text : p.kind === 'param' ? parameters.find((q) => q.name === p.param)?.default ?? '' : '*'))
    .join('');
}

/** One place a workload's configuration names another workload (or a host that is none). */
export interface Reach {
  readonly from: WorkloadModel;
  readonly host: string;
  readonly port?: number;
  /** Where: `environment FOO`, `command`. */
  readonly where: string;
  readonly reference: HostReference;
}

/** Variable names that hold a host whose port sits in a sibling variable: DB_HOST + DB_PORT. */
const HOST_VARIABLE = /^(.*?)(HOST|HOSTNAME|ADDR|ADDRESS|SERVER)$/;

/** Every host that a workload's environment values, env files, config files (in URLs) and command name, with the port when one is known. */
export function reachesOf(workload: WorkloadModel, parameters: readonly ParameterModel[]): Reach[] {
  const found: Reach[] = [];
  const values = new Map(workload.env.map((e) => [e.name, knownText(e.parts, parameters)]));
  for (const [name, text] of values) {
    for (const reference of hostReferences(text).filter((r) => readsAsHost(r, { variable: name }))) {
      let port = reference.port;
      const pair = HOST_VARIABLE.exec(name);
      if (port === undefined && reference.whole && pair) {
        const sibling = values.get(`${pair[1]}PORT`) ?? values.get(`${pair[1].replace(/_$/, '')}_PORT`);
        if (sibling !== undefined && /^\d{1,5}$/.test(sibling)) port = Number(sibling);
      }
      found.push({ from: workload, host: reference.host, port, where: `environment ${name}`, reference });
    }
  }
  // Every file a deploy may choose: a host in any of them must resolve.
  for (const file of everyEnvFile(workload)) {
    for (const entry of file.entries) {
      for (const reference of hostReferences(entry.value).filter((r) => readsAsHost(r, { variable: entry.name }))) found.push({ from: workload, host: reference.host, port: reference.port, where: `env file ${file.path} ${entry.name}`, reference });
    }
  }
  // A config file the workload reads can name a host too (nginx's proxy_pass http://api:8080).
  for (const mount of workload.mounts) {
    if (mount.kind !== 'config') continue;
    for (const reference of hostReferences(mount.content)) {
      if (reference.inUrl) found.push({ from: workload, host: reference.host, port: reference.port, where: `config file ${mount.fileName}`, reference });
    }
  }
  for (const [field, words] of [['entrypoint', workload.entrypoint], ['command', workload.command]] as const) {
    for (const [i, word] of (words ?? []).entries()) {
      for (const reference of hostReferences(word).filter((r) => readsAsHost(r, { previousWord: i > 0 ? words?.[i - 1] : undefined }))) {
        found.push({ from: workload, host: reference.host, port: reference.port, where: field, reference });
      }
    }
  }
  return found;
}

/**
 * Every workload that others reach gets the ports they reach it on, as Compose gives every
 * container on a network every port of every other: from what other workloads' environment
 * and commands name (`db:3306`, `http://tika:9998`, DB_HOST=db with DB_PORT=3306), and, for a
 * service that declares none, from the well-known ports of its image. On Kubernetes each
 * becomes a port of the workload's Service; without one, its name would not resolve there.
 */
export function withReachablePorts(
  workloads: readonly WorkloadModel[],
  parameters: readonly ParameterModel[],
  messages: MessageModel[],
): WorkloadModel[] {
  const added = new Map<string, { port: number; why: string }[]>();
  const byName = new Map(workloads.map((w) => [w.name, w]));
  const add = (target: WorkloadModel, port: number, why: string) => {
    if (target.kind === 'job') return;
    if (target.ports.some((p) => p.containerPort === port && p.protocol === 'TCP')) return;
    const list = added.get(target.name) ?? [];
    if (!list.some((a) => a.port === port)) list.push({ port, why });
    added.set(target.name, list);
  };
  for (const workload of workloads) {
    for (const reach of reachesOf(workload, parameters)) {
      const target = byName.get(reach.host);
      if (target && target !== workload && reach.port !== undefined) {
        add(target, reach.port, `${workload.name} reaches ${reach.host}:${reach.port} (${reach.where})`);
      }
    }
  }
  for (const workload of workloads) {
    if (workload.ports.length > 0 || added.has(workload.name) || workload.kind === 'job') continue;
    for (const port of wellKnownPorts(workload.image ?? workload.builtImage)) {
      add(workload, port, `its image ${workload.image} listens on ${port}`);
    }
  }
  return workloads.map((workload) => {
    const ports = added.get(workload.name);
    if (!ports) return workload;
    const names = new Set(workload.ports.map((p) => p.name));
    const more: PortModel[] = ports.map(({ port }) => {
      let name = `tcp-${port}`;
      for (let i = 2; names.has(name); i++) name = `tcp-${port}-${i}`;
      names.add(name);
      return { name, containerPort: port, protocol: 'TCP' };
    });
    messages.push({
      level: 'info',
      path: workload.path,
      message:
        `reachable on port ${ports.map((p) => p.port).join(', ')} (${ports.map((p) => p.why).join('; ')}): ` +
        'exposed on Compose and a port of its Service on Kubernetes',
    });
    return { ...workload, ports: [...workload.ports, ...more] };
  });
}
