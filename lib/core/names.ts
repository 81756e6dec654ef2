import { createHash } from 'crypto';

/**
 * The longest DNS label (RFC 1123): the limit of the Kubernetes names the library makes
 * (Services, containers, pod volumes, ConfigMaps and Jobs it names after a workload).
 */
export const DNS_LABEL_MAX = 63;

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** The name part of a Kubernetes label or annotation key (a qualified name). */
const QUALIFIED_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** True when `value` is a DNS subdomain (RFC 1123): what Kubernetes requires of most object names. */
function isDnsSubdomain(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 253 && DNS_SUBDOMAIN.test(value);
}

/**
 * A Compose name (service, volume, network): lower-case letters, digits, '-', '_' and '.',
 * starting with a letter and ending with a letter or digit. Compose itself also takes upper
 * case, but a DNS host name does not tell `Api` from `api`, and neither can Kubernetes.
 */
const COMPOSE_NAME = /^[a-z]([-_.a-z0-9]*[a-z0-9])?$/;

/** A Compose project name, as docker compose accepts it: no '.', may start with a digit. */
const PROJECT_NAME = /^[a-z0-9]([-_a-z0-9]*[a-z0-9])?$/;

/**
 * Why `name` cannot name a workload, or undefined when it can.
 *
 * Workload names are Compose service names and DNS host names on the project network, kept
 * exactly; on Kubernetes each becomes `kubernetesName(name)`, which must fit a DNS-1035 label
 * (at most 63 characters) since it names a Service.
 */
export function workloadNameProblem(name: string, maxLength = DNS_LABEL_MAX): string | undefined {
  if (name.length > maxLength) {
    return `"${name}" is ${name.length} characters long; the limit here is ${maxLength}`;
  }
  if (!COMPOSE_NAME.test(name)) {
    return (
      `"${name}" is not a service name: use lower-case letters, digits, '-', '_' and '.', ` +
      'starting with a letter and ending with a letter or digit'
    );
  }
  return undefined;
}

/** Why `name` cannot name a stack (an output folder and a Compose project), or undefined. */
export function stackNameProblem(name: string): string | undefined {
  if (name.length > DNS_LABEL_MAX) return `"${name}" is ${name.length} characters long; the limit is ${DNS_LABEL_MAX}`;
  if (!PROJECT_NAME.test(name)) {
    return `"${name}" is not a Compose project name: use lower-case letters, digits, '-' and '_', starting and ending with a letter or digit`;
  }
  return undefined;
}

/** Why `name` cannot name a Kubernetes namespace (a DNS label), or undefined. */
export function namespaceNameProblem(name: string): string | undefined {
  if (name.length > DNS_LABEL_MAX || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name)) {
    return `"${name}" is not a DNS label: use at most ${DNS_LABEL_MAX} lower-case letters, digits and '-', starting and ending with a letter or digit`;
  }
  return undefined;
}

/**
 * The Kubernetes name of a Compose name: each '_' and '.' becomes '-' (`db_data` ->
 * `db-data`). A Compose name that is already a DNS label is its own Kubernetes name.
 */
export function kubernetesName(name: string): string {
  return name.replace(/[_.]/g, '-');
}

/** Hex digits of `nameDigest`. */
const DIGEST_LENGTH = 10;

/**
 * How many characters of a name stay in front of `-<digest>` so that the whole is a DNS
 * label: 52. A Job named `<workload>-<digest of its spec>` is why a job's name stops there.
 */
export const KEPT_BEFORE_DIGEST = DNS_LABEL_MAX - DIGEST_LENGTH - 1;

/** A short, stable digest of `value`, for names that must change when what they name changes. */
export function nameDigest(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, DIGEST_LENGTH);
}

/** `name` cut to `max` characters, without a '-' left at the end (a DNS label ends in a letter or digit). */
export function cutName(name: string, max = DNS_LABEL_MAX): string {
  return name.slice(0, max).replace(/-+$/, '');
}

/**
 * `name` cut and followed by `-<digest of key>`, at most `max` characters: a name kept apart
 * from others that agree in their first characters, or one that changes with its content.
 */
export function withDigest(name: string, key: unknown, max = DNS_LABEL_MAX): string {
  return `${cutName(name, max - DIGEST_LENGTH - 1)}-${nameDigest(key)}`;
}

/** Why `host` cannot be an Ingress host, or undefined. */
export function hostNameProblem(host: string): string | undefined {
  const bare = host.startsWith('*.') ? host.slice(2) : host;
  if (host.length > 253 || !isDnsSubdomain(bare)) {
    return `"${host}" is not a DNS host name: use lower-case letters, digits, '-' and '.'`;
  }
  return undefined;
}

/**
 * Why `name` cannot name a Kubernetes object that is not a workload's own (a StorageClass, an
 * IngressClass, a TLS Secret), or undefined.
 */
export function dnsSubdomainProblem(name: unknown): string | undefined {
  if (!isDnsSubdomain(name)) {
    return `${JSON.stringify(name)} is not a DNS subdomain: use at most 253 lower-case letters, digits, '-' and '.', each part between dots starting and ending with a letter or digit`;
  }
  return undefined;
}

/**
 * Why `key` cannot be a Kubernetes label or annotation key, or undefined: an optional prefix
 * that is a DNS subdomain and a '/', then a name of at most 63 characters.
 */
export function annotationKeyProblem(key: unknown): string | undefined {
  const parts = typeof key === 'string' ? key.split('/') : [];
  const name = parts[parts.length - 1] ?? '';
  const prefixOk = parts.length === 1 || (parts.length === 2 && isDnsSubdomain(parts[0]));
  if (!prefixOk || name.length > DNS_LABEL_MAX || !QUALIFIED_NAME.test(name)) {
    return (
      `${JSON.stringify(key)} is not a Kubernetes annotation key: use an optional DNS subdomain prefix and '/', ` +
      "then at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit (e.g. 'com.example/team')"
    );
  }
  return undefined;
}

/** Why `name` cannot name an environment variable on both targets, or undefined. */
export function envNameProblem(name: string): string | undefined {
  if (!ENV_NAME.test(name)) {
    return `"${name}" is not a portable environment variable name: use letters, digits and '_', not starting with a digit`;
  }
  return undefined;
}

/**
 * The name of what waits for `target`, a workload of another stack: the Compose service that
 * probes it, and the init container on Kubernetes (which cuts it with a digest when too long).
 */
export function crossStackWaiterName(target: string): string {
  return `wait-for-${target}`;
}

/**
 * The Service that resolves to a workload's pods once they run, ready or not, for the waits on
 * it to have started (decision 15): `<workload>-started`, or its first characters and a digest
 * of the workload's name when that is longer than a Service name may be.
 */
export function startedServiceNameOf(kubernetesWorkloadName: string): string {
  const name = `${kubernetesWorkloadName}-started`;
  return name.length <= DNS_LABEL_MAX ? name : withDigest(name, kubernetesWorkloadName);
}
