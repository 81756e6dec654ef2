import { isIP } from 'net';
import { IConstruct } from 'constructs';
import { annotationKeyProblem, dnsSubdomainProblem, envNameProblem, hostNameProblem } from '../../core/names';
import { Parameter, hasParameter, numberParameter } from '../../core/parameter';
import { portablePath } from '../../core/source-dir';
import { Stack } from '../../core/stack';
import { Size } from '../../core/size';
import {
  BuildModel,
  EnvFileChoiceModel,
  EnvFileModel,
  EnvVarModel,
  LabelModel,
  LoggingModel,
  MountModel,
  PortModel,
  PublicEndpointModel,
  ResourcesModel,
  SecretModel,
  SecurityModel,
} from '../../model';
import { EnvValue, resolveEnvValue, textParts } from '../env-value';
import { BuildOptions, PortOptions, PublicEndpointOptions, ResourceAmounts, ResourceOptions, SecurityOptions } from '../options';
import { ConfigFile, EnvFile } from '../files';
import { Logging } from '../logging';
import { Network } from '../network';
import { Mount } from '../volume';
import { SENSITIVE_NAME } from '../env-value';

// Each function turns one group of props into model data and pushes what is wrong into
// `errors`, so that synth can report every problem at once.

const PORT_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function resolvePorts(ports: readonly PortOptions[], errors: string[]): PortModel[] {
  const resolved: PortModel[] = [];
  for (const port of ports) {
    if (numberParameter(port?.port) !== undefined) {
      errors.push(`container port of parameter ${numberParameter(port.port)}: a container port must be known at synth (it names the Kubernetes Service port); give a number`);
      continue;
    }
    if (!isPortNumber(port?.port)) {
      errors.push(`container port ${JSON.stringify(port?.port)} is not a port number; use a whole number from 1 to 65535`);
      continue;
    }
    const hostPortParameter = numberParameter(port.hostPort);
    if (port.hostPort !== undefined && port.hostPort !== 0 && hostPortParameter === undefined && !isPortNumber(port.hostPort)) {
      errors.push(
        `host port ${JSON.stringify(port.hostPort)} for container port ${port.port} is not a port number; ` +
          'use a whole number from 1 to 65535, or 0 to let the engine pick a free one',
      );
    }
    const protocol = port.protocol ?? 'TCP';
    if (protocol !== 'TCP' && protocol !== 'UDP') {
      errors.push(`port ${port.port} has protocol ${JSON.stringify(protocol)}; use 'TCP' or 'UDP'`);
    }
    const name = port.name ?? `${protocol === 'UDP' ? 'udp' : 'tcp'}-${port.port}`;
    // Kubernetes port names are IANA service names: at most 15 characters, at least one letter.
    if (name.length > 15 || !PORT_NAME.test(name) || !/[a-z]/.test(name) || name.includes('--')) {
      errors.push(`port name "${name}" is not a valid port name; use at most 15 lower-case letters, digits and single '-'s, with a letter`);
    }
    if (resolved.some((other) => other.containerPort === port.port && other.protocol === protocol)) {
      errors.push(`container port ${port.port}/${protocol} is declared twice; declare it once`);
    }
    if (resolved.some((other) => other.name === name)) {
      errors.push(`port name "${name}" is used twice; give each port its own name`);
    }
    if (port.hostIp !== undefined && isIP(String(port.hostIp)) === 0) {
      errors.push(`host address ${JSON.stringify(port.hostIp)} for port ${port.port} is not an IP address; use e.g. '127.0.0.1'`);
    }
    resolved.push({
      name,
      containerPort: port.port,
      protocol,
      hostPort: hostPortParameter === undefined ? port.hostPort : undefined,
      ...(hostPortParameter !== undefined ? { hostPortParameter } : {}),
      hostIp: port.hostIp,
    });
  }
  return resolved;
}

export function isPortNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 65535;
}

interface EnvEntry {
  readonly name: string;
  readonly value: EnvValue;
  readonly origin: string;
}

export function resolveEnv(
  entries: readonly EnvEntry[],
  path: string,
  errors: string[],
  warnings: string[],
): { vars: EnvVarModel[]; secrets: SecretModel[] } {
  const vars = new Map<string, { model: EnvVarModel; origin: string }>();
  const secrets = new Map<string, SecretModel>();
  for (const entry of entries) {
    const nameProblem = envNameProblem(entry.name);
    if (nameProblem) {
      errors.push(`environment variable ${nameProblem}`);
      continue;
    }
    const resolved = resolveEnvValue(entry.name, entry.value);
    errors.push(...resolved.problems);
    if (resolved.unsafePlainText) {
      warnings.push(`environment variable ${entry.name} holds a secret written in plain text to the output (Secret.unsafePlainText)`);
    }
    const existing = vars.get(entry.name);
    if (existing && existing.origin !== 'built-in') {
      errors.push(`environment variable ${entry.name} is set by both ${existing.origin} and ${entry.origin}; set it once`);
      continue;
    }
    vars.set(entry.name, { model: { name: entry.name, parts: resolved.parts }, origin: entry.origin });
    for (const secret of resolved.secrets) {
      const name = secret.envName as string;
      if (!secrets.has(name)) {
        secrets.set(name, { name, description: secret.description ?? '', usedBy: [path] });
      }
    }
  }
  return { vars: [...vars.values()].map((v) => v.model), secrets: [...secrets.values()] };
}

export function resolveMounts(scope: IConstruct, mounts: readonly Mount[], errors: string[]): MountModel[] {
  const resolved: MountModel[] = [];
  for (const mount of mounts) {
    if (!Mount.isMount(mount)) {
      errors.push(`mounts must be made with Mount.volume/bind/tmpfs, got ${JSON.stringify(mount)}`);
      continue;
    }
    errors.push(...(mount._problems?.() ?? []));
    const spec = mount.spec;
    // Checked before the target, which defaults to the source.
    if (spec.kind === 'hostPath' && (typeof spec.source !== 'string' || !spec.source.startsWith('/'))) {
      errors.push(
        `host path ${JSON.stringify(spec.source)} is not an absolute path of the host; use e.g. Mount.hostPath('/var/log/pods'), ` +
          "or Mount.bind('./dir', '/target') for a folder of the app",
      );
      continue;
    }
    if (typeof spec.target !== 'string' || !spec.target.startsWith('/')) {
      errors.push(`mount target ${JSON.stringify(spec.target)} is not an absolute path; use e.g. '/app/data'`);
      continue;
    }
    if ('readOnly' in spec && typeof spec.readOnly !== 'boolean') {
      errors.push(`mount at ${spec.target}: ${notBoolean('readOnly', spec.readOnly)}`);
      continue;
    }
    switch (spec.kind) {
      case 'volume': {
        const elsewhere = otherStackProblem(scope, spec.volume, `mounts volume "${spec.volume.volumeName}"`);
        if (elsewhere) {
          errors.push(elsewhere);
          continue;
        }
        resolved.push({ kind: 'volume', volume: spec.volume.volumeName, target: spec.target, readOnly: spec.readOnly });
        break;
      }
      case 'bind':
        if (typeof spec.source !== 'string' || spec.source === '') {
          errors.push(`bind mount at ${spec.target} has no source path; use e.g. Mount.bind('./src', '${spec.target}')`);
          continue;
        }
        if (spec.onKubernetes !== 'stand-in' && spec.onKubernetes !== 'leave-out') {
          errors.push(`bind mount at ${spec.target}: onKubernetes ${JSON.stringify(spec.onKubernetes)} is not 'stand-in' or 'leave-out'`);
          continue;
        }
        resolved.push({
          kind: 'bind',
          source: hasParameter(spec.source) ? spec.source : portablePath(scope, spec.source),
          ...(hasParameter(spec.source) ? { sourceTemplate: textParts(spec.source) } : {}),
          target: spec.target,
          readOnly: spec.readOnly,
          ...(spec.onKubernetes === 'leave-out' ? { leftOutOnKubernetes: true } : {}),
        });
        break;
      case 'hostPath': {
        const targets = Array.isArray(spec.targets) ? spec.targets : [];
        if (targets.length === 0 || targets.some((t) => t !== 'compose' && t !== 'kubernetes')) {
          errors.push(
            `host path ${spec.source} has targets ${JSON.stringify(spec.targets)}; use a non-empty list of 'compose' and 'kubernetes'`,
          );
          continue;
        }
        resolved.push({ kind: 'hostPath', source: spec.source, target: spec.target, readOnly: spec.readOnly, targets: [...targets] });
        break;
      }
      case 'tmpfs': {
        const sizeProblem = spec.size && (Size.isSize(spec.size) ? spec.size._problem() : 'size must be a Size');
        if (sizeProblem) errors.push(`tmpfs at ${spec.target}: ${sizeProblem}`);
        resolved.push({ kind: 'tmpfs', target: spec.target, sizeBytes: spec.size?.bytes });
        break;
      }
      case 'config': {
        if (!ConfigFile.isConfigFile(spec.file)) {
          errors.push(`Mount.config at ${spec.target} needs a ConfigFile (ConfigFile.fromFile or ConfigFile.fromString)`);
          continue;
        }
        const read = spec.file._read(scope);
        if (typeof read === 'string') {
          errors.push(read);
          continue;
        }
        if (spec.mode !== undefined && (!Number.isInteger(spec.mode) || spec.mode < 0 || spec.mode > 0o777)) {
          errors.push(`config file mode ${JSON.stringify(spec.mode)} is not a permission mode; use e.g. 0o755`);
        }
        resolved.push({
          kind: 'config',
          name: `${(scope as { workloadName?: string }).workloadName ?? 'config'}-${configNameOf(spec.file.fileName)}`,
          fileName: spec.file.fileName,
          content: read.content,
          target: spec.target,
          mode: spec.mode,
        });
        break;
      }
    }
  }
  return resolved;
}

export function resolveBuild(scope: IConstruct, build: BuildOptions | undefined, errors: string[]): BuildModel | undefined {
  if (build === undefined) return undefined;
  if (typeof build?.context !== 'string' || build.context === '') {
    errors.push(`build needs a context directory, got ${JSON.stringify(build)}; use e.g. build: { context: './backend' }`);
    return undefined;
  }
  return {
    context: portablePath(scope, build.context),
    dockerfile: build.dockerfile,
    target: build.target,
    args: Object.entries(build.args ?? {}).map(([name, value]) => ({ name, value: String(value) })),
  };
}

/** More cores than this for one container is more likely millicores written as cores (500 for 0.5). */
const PLAUSIBLE_CORES = 64;

export function resolveResources(
  field: string,
  amounts: ResourceAmounts | undefined,
  errors: string[],
  warnings: string[] = [],
): ResourcesModel {
  if (!amounts) return {};
  let cpuMillis: number | undefined;
  if (amounts.cpu !== undefined) {
    const millis = typeof amounts.cpu === 'number' ? Math.round(amounts.cpu * 1000) : NaN;
    if (!(millis > 0) || Math.abs(millis - amounts.cpu * 1000) > 1e-6) {
      errors.push(`resources.${field}.cpu must be a number of cores above 0 in steps of 0.001 (0.5 is half a core), got ${JSON.stringify(amounts.cpu)}`);
    } else {
      cpuMillis = millis;
      if (amounts.cpu > PLAUSIBLE_CORES) {
        warnings.push(
          `resources.${field}.cpu is ${amounts.cpu} cores, more than the ${PLAUSIBLE_CORES} one container plausibly gets; ` +
            `the value is in cores: ${Number.isInteger(amounts.cpu) ? `write ${amounts.cpu / 1000} for ${amounts.cpu} millicores` : 'write 0.5 for 500 millicores'}`,
        );
      }
    }
  }
  let memoryBytes: number | undefined;
  if (amounts.memory !== undefined) {
    if (!Size.isSize(amounts.memory)) {
      errors.push(`resources.${field}.memory must be a Size such as Size.mebibytes(512), got ${JSON.stringify(amounts.memory)}`);
    } else {
      const problem = amounts.memory._problem();
      if (problem) errors.push(`resources.${field}.memory: ${problem}`);
      else memoryBytes = amounts.memory.bytes;
    }
  }
  return { cpuMillis, memoryBytes };
}

/** The message for a prop that must be a boolean, given something else (`'false'` from a JavaScript caller). */
function notBoolean(field: string, value: unknown): string {
  return `${field} must be true or false, got ${JSON.stringify(value)}; write the boolean without quotes`;
}

const CAPABILITY = /^[A-Z_]+$/;

export function resolveSecurity(security: SecurityOptions | undefined, errors: string[]): SecurityModel {
  const s = security ?? {};
  for (const [field, id] of [['user', s.user], ['group', s.group], ['fsGroup', s.fsGroup]] as const) {
    if (id !== undefined && (!Number.isInteger(id) || id < 0)) {
      errors.push(`security.${field} must be a numeric id (Kubernetes cannot check a user name is not root), got ${JSON.stringify(id)}`);
    }
  }
  for (const [field, flag] of [['readOnlyRootFilesystem', s.readOnlyRootFilesystem], ['noNewPrivileges', s.noNewPrivileges]] as const) {
    if (flag !== undefined && typeof flag !== 'boolean') errors.push(`security.${notBoolean(field, flag)}`);
  }
  const capabilities = (field: string, list: string[] | undefined) => {
    if (list !== undefined && !Array.isArray(list)) {
      errors.push(`security.${field} must be a list, got ${JSON.stringify(list)}; write [${typeof list === 'string' ? `'${list}'` : '...'}]`);
      return [];
    }
    for (const cap of list ?? []) {
      if (typeof cap !== 'string' || !CAPABILITY.test(cap) || cap.startsWith('CAP_')) {
        errors.push(`security.${field} has ${JSON.stringify(cap)}; write capabilities without the CAP_ prefix, in capitals (e.g. 'NET_BIND_SERVICE', 'ALL')`);
      }
    }
    return [...(list ?? [])];
  };
  return {
    runAsUser: s.user,
    runAsGroup: s.group,
    readOnlyRootFilesystem: s.readOnlyRootFilesystem ?? false,
    dropCapabilities: capabilities('dropCapabilities', s.dropCapabilities),
    addCapabilities: capabilities('addCapabilities', s.addCapabilities),
    noNewPrivileges: s.noNewPrivileges ?? true,
    fsGroup: s.fsGroup,
  };
}

export function resolvePublicEndpoint(
  endpoint: PublicEndpointOptions,
  portName: string | undefined,
  errors: string[],
): PublicEndpointModel | undefined {
  if (portName === undefined) {
    errors.push('has a public endpoint but no port to route it to; give it a port');
    return undefined;
  }
  const hostProblem = typeof endpoint.host === 'string' ? hostNameProblem(endpoint.host) : 'host must be a string';
  if (hostProblem) {
    errors.push(`public endpoint host ${hostProblem}`);
  }
  const path = endpoint.path ?? '/';
  if (!path.startsWith('/')) {
    errors.push(`public endpoint path ${JSON.stringify(path)} must start with '/'`);
  }
  const names = [
    ['ingressClassName', endpoint.ingressClassName, "a Kubernetes IngressClass, e.g. 'nginx'"],
    ['tlsSecretName', endpoint.tlsSecretName, "the Kubernetes Secret holding the certificate, e.g. 'shop-example-com-tls'"],
  ] as const;
  for (const [field, name, what] of names) {
    const problem = name !== undefined ? dnsSubdomainProblem(name) : undefined;
    if (problem) errors.push(`public endpoint ${field} ${problem}; it names ${what}`);
  }
  return {
    host: endpoint.host,
    path,
    portName,
    tlsSecretName: endpoint.tlsSecretName,
    ingressClassName: endpoint.ingressClassName,
  };
}

/** `nginx.conf` -> `nginx-conf`: config names become ConfigMap names. */
function configNameOf(fileName: string): string {
  return fileName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'file';
}

const PROFILE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

export function resolveProfiles(profiles: readonly string[] | undefined, errors: string[]): string[] {
  for (const profile of profiles ?? []) {
    if (typeof profile !== 'string' || !PROFILE.test(profile)) {
      errors.push(`profile ${JSON.stringify(profile)} is not a Compose profile name: use letters, digits, '_', '.' and '-'`);
    }
  }
  return [...(profiles ?? [])];
}

export function resolveNetworks(scope: IConstruct, networks: readonly Network[] | undefined, errors: string[]): string[] {
  const names: string[] = [];
  for (const network of networks ?? []) {
    if (!Network.isNetwork(network)) {
      errors.push(`networks must hold Network constructs, got ${JSON.stringify(network)}`);
      continue;
    }
    const elsewhere = otherStackProblem(scope, network, `joins network "${network.networkName}"`);
    if (elsewhere) errors.push(elsewhere);
    else names.push(network.networkName);
  }
  return names;
}

export function resolveLogging(logging: Logging | undefined, errors: string[]): LoggingModel | undefined {
  if (logging === undefined) return undefined;
  if (!Logging.isLogging(logging)) {
    errors.push('logging must be made with Logging.jsonFile(...) or Logging.driver(...)');
    return undefined;
  }
  errors.push(...(logging._problems?.() ?? []));
  return logging._toModel();
}

/**
 * The env files of a workload, and the names of the variables in them that look like secrets:
 * those are left out of the files (which are copied into the output and become ConfigMaps)
 * and reach the container as secrets of the same name instead. A file chosen at deploy time
 * (`EnvFile.chosenBy`) reads every option; `files` holds the one its parameter's default chooses.
 */
export function resolveEnvFiles(
  scope: IConstruct,
  envFiles: readonly EnvFile[] | undefined,
  errors: string[],
  infos: string[],
): { files: EnvFileModel[]; secrets: string[]; choice?: EnvFileChoiceModel } {
  const resolved: EnvFileModel[] = [];
  const secrets: string[] = [];
  let choice: EnvFileChoiceModel | undefined;
  const read = (envFile: EnvFile): EnvFileModel | undefined => {
    const content = envFile._read(scope);
    if (typeof content === 'string') {
      errors.push(content);
      return undefined;
    }
    const entries: { name: string; value: string }[] = [];
    for (const entry of content.entries) {
      const nameProblem = envNameProblem(entry.name);
      if (nameProblem) {
        errors.push(`env file ${envFile.path}: variable ${nameProblem}`);
      } else if (SENSITIVE_NAME.test(entry.name)) {
        if (!secrets.includes(entry.name)) secrets.push(entry.name);
        infos.push(
          `env file ${envFile.path} sets ${entry.name}, which looks like a secret: it is not copied into the output, and reaches the container ` +
            `as the secret ${entry.name} (put its value in the stack's .env, as for Secret.fromEnv('${entry.name}'))`,
        );
      } else {
        entries.push(entry);
      }
    }
    return { path: portablePath(scope, envFile.path), entries };
  };
  for (const envFile of envFiles ?? []) {
    if (!EnvFile.isEnvFile(envFile)) {
      errors.push(`envFiles must hold EnvFile.fromFile(...) values, got ${JSON.stringify(envFile)}`);
      continue;
    }
    const chosen = envFile._choice;
    if (chosen === undefined) {
      const file = read(envFile);
      if (file) resolved.push(file);
      continue;
    }
    if (choice !== undefined) {
      errors.push(`envFiles holds two files chosen at deploy time (by ${choice.parameter} and by ${parameterNameOf(chosen.parameter)}); choose between whole sets with one parameter`);
      continue;
    }
    const options = resolveEnvFileChoice(chosen.parameter, chosen.choices, read, errors);
    if (!options) continue;
    choice = { parameter: options.parameter, defaultValue: options.defaultValue, options: options.options, index: resolved.length };
    resolved.push(options.options.find((o) => o.value === options.defaultValue)!.file);
  }
  return { files: resolved, secrets, ...(choice ? { choice } : {}) };
}

/** A choice's value is part of a file name and an object name: a DNS label. */
const CHOICE_VALUE = /^[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?$/;

function parameterNameOf(parameter: unknown): string {
  return Parameter.isParameter(parameter) ? parameter.parameterName : JSON.stringify(parameter);
}

function resolveEnvFileChoice(
  parameter: unknown,
  choices: unknown,
  read: (envFile: EnvFile) => EnvFileModel | undefined,
  errors: string[],
): { parameter: string; defaultValue: string; options: { value: string; file: EnvFileModel }[] } | undefined {
  if (!Parameter.isParameter(parameter)) {
    errors.push(`EnvFile.chosenBy needs a Parameter as its first argument, got ${JSON.stringify(parameter)}; e.g. new Parameter(stack, 'ENVIRONMENT', { default: 'dev' })`);
    return undefined;
  }
  const name = parameter.parameterName;
  const entries = typeof choices === 'object' && choices !== null && !Array.isArray(choices) ? Object.entries(choices) : [];
  if (entries.length === 0) {
    errors.push(`EnvFile.chosenBy(${name}, ...) has no choices; give { value: EnvFile.fromFile('...') } for each value of ${name}`);
    return undefined;
  }
  let problem = false;
  const options: { value: string; file: EnvFileModel }[] = [];
  for (const [value, envFile] of entries) {
    if (!CHOICE_VALUE.test(value)) {
      errors.push(
        `EnvFile.chosenBy(${name}, ...): the choice ${JSON.stringify(value)} is not a lowercase word of letters, digits and '-' (at most 32), ` +
          'which file and object names need; rename it, e.g. "staging"',
      );
      problem = true;
      continue;
    }
    if (!EnvFile.isEnvFile(envFile) || envFile._choice !== undefined) {
      errors.push(`EnvFile.chosenBy(${name}, ...): the choice ${value} must be an EnvFile.fromFile(...), got ${EnvFile.isEnvFile(envFile) ? 'another choice' : JSON.stringify(envFile)}`);
      problem = true;
      continue;
    }
    const file = read(envFile);
    if (file) options.push({ value, file });
    else problem = true;
  }
  const values = entries.map(([value]) => value);
  if (parameter.default === undefined || !values.includes(parameter.default)) {
    errors.push(
      `EnvFile.chosenBy(${name}, ...): the parameter's default ${parameter.default === undefined ? 'is not set' : JSON.stringify(parameter.default) + ' is none of the choices'}; ` +
        `give ${name} one of ${values.map((v) => JSON.stringify(v)).join(', ')} as its default, which synth renders and checks`,
    );
    problem = true;
  }
  return problem ? undefined : { parameter: name, defaultValue: parameter.default as string, options };
}

/**
 * Labels as text. On Kubernetes they become annotations (label values are too restricted for
 * arbitrary text), so the keys of those that go there must be annotation keys.
 */
export function resolveLabels(
  labels: readonly { name: string; value: unknown; onKubernetes: boolean }[],
  rendersKubernetes: boolean,
  errors: string[],
): LabelModel[] {
  const resolved: LabelModel[] = [];
  for (const { name, value, onKubernetes } of labels) {
    const keyProblem = onKubernetes && rendersKubernetes ? annotationKeyProblem(name) : undefined;
    if (keyProblem) {
      errors.push(`label ${keyProblem}; labels become annotations on Kubernetes`);
      continue;
    }
    if (typeof value !== 'string') {
      errors.push(`label ${JSON.stringify(name)} has the value ${describeValue(value)}, which is not a string; give the label's text as a string`);
      continue;
    }
    resolved.push({ name, value, onKubernetes });
  }
  return resolved;
}

/** `value` as the user wrote it, as far as JSON shows it (`{"b":1}`, `8080`, `undefined`). */
function describeValue(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * Why `scope` cannot use `construct`: it belongs to another stack (each stack is a separate
 * Compose project and kustomization, so nothing can reach across), or undefined.
 */
export function otherStackProblem(scope: IConstruct, construct: IConstruct, what: string): string | undefined {
  const own = Stack.of(scope);
  let theirs: IConstruct | undefined = construct;
  while (theirs !== undefined && !Stack.isStack(theirs)) theirs = theirs.node.scope;
  if (theirs === own) return undefined;
  return (
    `${what}, which is ${construct.node.path} of ${theirs ? `stack ${theirs.node.path}` : 'no stack'}, not of stack ${own.node.path}; ` +
    'a stack can only use its own constructs: create it in this stack'
  );
}

/** Limits and requests; a request above its limit is refused by Kubernetes, so it is an error here. */
export function resolveLimitsAndRequests(
  resources: ResourceOptions | undefined,
  errors: string[],
  warnings: string[] = [],
): { limits: ResourcesModel; requests: ResourcesModel } {
  const limits = resolveResources('limits', resources?.limits, errors, warnings);
  const requests = resolveResources('requests', resources?.requests, errors, warnings);
  const above = (field: 'cpuMillis' | 'memoryBytes') =>
    limits[field] !== undefined && requests[field] !== undefined && (requests[field] as number) > (limits[field] as number);
  if (above('cpuMillis')) {
    errors.push(`resources.requests.cpu (${requests.cpuMillis! / 1000}) is above resources.limits.cpu (${limits.cpuMillis! / 1000}); request at most the limit`);
  }
  if (above('memoryBytes')) {
    errors.push(`resources.requests.memory (${requests.memoryBytes} bytes) is above resources.limits.memory (${limits.memoryBytes} bytes); request at most the limit`);
  }
  return { limits, requests };
}
