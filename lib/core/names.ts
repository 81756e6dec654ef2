const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

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
  if (host.length > 253 || !DNS_SUBDOMAIN.test(bare)) {
    return `"${host}" is not a DNS host name: use lower-case letters, digits, '-' and '.'`;
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
