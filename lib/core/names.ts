const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** The name part of a Kubernetes label or annotation key (a qualified name). */
const QUALIFIED_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** True when `value` is a DNS subdomain (RFC 1123): what Kubernetes requires of most object names. */
function isDnsSubdomain(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 253 && DNS_SUBDOMAIN.test(value);
}

/**
 * Why `name` cannot name a workload, or undefined when it can.
 *
 * Workload names become Compose service names, DNS host names and Kubernetes Service
 * names; a Service name must be a DNS-1035 label (starts with a letter, at most 63).
 */
export function workloadNameProblem(name: string, maxLength = 63): string | undefined {
  if (name.length > maxLength) {
    return `"${name}" is ${name.length} characters long; the limit here is ${maxLength}`;
  }
  if (!DNS_LABEL.test(name)) {
    return `"${name}" is not a DNS label: use lower-case letters, digits and '-', starting with a letter and ending with a letter or digit`;
  }
  return undefined;
}

/** Why `name` cannot name a stack (an output folder and a Kubernetes label value), or undefined. */
export function stackNameProblem(name: string): string | undefined {
  return workloadNameProblem(name);
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
  if (!prefixOk || name.length > 63 || !QUALIFIED_NAME.test(name)) {
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
