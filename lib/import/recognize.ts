import * as fs from 'fs';
import * as path from 'path';
import { Expr, arr, call, fromValue, lit, obj, ref } from './expr';
import { ComposeInput, ImportError, Json, Mapping, ServiceDef, dependsOnMap, isMapping, toMap } from './parse';
import { ImportFinding } from './report';
import { TypedService, typedService } from './typed-services';
import { camel, durationSeconds, interpolation, shellWords, sizeExpr } from './values';
import { ValueSite, Variables } from './variables';

/** One `const x = new Construct(stack, 'id', props)` of the generated source. */
export interface Declaration {
  readonly variable: string;
  readonly construct: string;
  readonly id: string;
  readonly props?: Expr;
  /** Comment lines above it. */
  readonly comments: string[];
  /** Keys with no construct equivalent, attached as node metadata (the escape hatch). */
  readonly unmapped?: Mapping;
  readonly service?: string;
}

export interface Plan {
  readonly stackName: string;
  readonly declarations: Declaration[];
  readonly findings: ImportFinding[];
}

const RESERVED = new Set(['app', 'stack', 'new', 'delete', 'default', 'function', 'class', 'const', 'let', 'var', 'import', 'export', 'return', 'this', 'in', 'do', 'if', 'for', 'while', 'switch', 'case', 'break', 'continue', 'with', 'void', 'typeof', 'enum', 'true', 'false', 'null', 'try', 'catch', 'finally', 'throw', 'yield', 'super', 'extends', 'instanceof', 'debugger', 'package', 'interface', 'private', 'protected', 'public', 'static', 'implements']);

/** Compose's restart policies the library takes as they are. */
const RESTART_POLICIES = ['always', 'on-failure', 'no'];

/**
 * The name docker compose gives the project: the top-level `name`, else the project folder's
 * name lower-cased with every character but letters, digits, '-' and '_' dropped. Kept as the
 * stack name, so the output's volumes are the ones the input's project already has.
 */
export function composeProjectName(input: ComposeInput, variables: Variables): string {
  const given = input.extras.find((e) => e.key === 'name');
  const raw = typeof given?.value === 'string' ? variables.literal(given.value, { file: given.file, key: 'name' }) : path.basename(input.projectDir);
  const name = raw.toLowerCase().replace(/[^a-z0-9_-]/g, '').replace(/^[-_]+/, '').replace(/[-_]+$/, '');
  return name === '' ? 'app' : name;
}

interface PortSpec {
  readonly port: number;
  readonly hostPort?: Expr;
  readonly hostIp?: string;
  readonly protocol?: 'UDP';
  /** The host port as written, to find two services that publish the same one. */
  readonly published?: string;
}

class Mapper {
  readonly findings: ImportFinding[] = [];
  readonly declarations: Declaration[] = [];
  private readonly used = new Set<string>();
  private readonly volumeVars = new Map<string, string>();
  private readonly networkVars = new Map<string, string>();
  private readonly serviceVars = new Map<string, string>();
  private readonly variables: Variables;
  /** Services others wait for to complete: one-shot jobs whatever their restart policy. */
  private readonly completed = new Set<string>();

  constructor(
    private readonly input: ComposeInput,
    /** Folder of the generated app.ts: relative paths are written relative to it. */
    private readonly appDir: string,
    private readonly stackName?: string,
  ) {
    this.variables = new Variables(input.dotEnv, (base) => this.variable(base, '', true), (site, message) =>
      this.find('note', site.file, site.service, site.key, message),
    );
  }

  variable(name: string, suffix = '', raw = false): string {
    let base = (raw ? name : camel(name)) + suffix;
    if (RESERVED.has(base)) base = `${base}Value`;
    let candidate = base;
    for (let i = 2; this.used.has(candidate); i++) candidate = `${base}${i}`;
    this.used.add(candidate);
    return candidate;
  }

  find(kind: ImportFinding['kind'], file: string, service: string | undefined, key: string, message: string): void {
    this.findings.push({ kind, file, service, key, message });
  }

  /**
   * An env file. One whose path holds a variable (`env/${ENVIRONMENT}/web.env`) is chosen at
   * deploy time: `EnvFile.chosenBy` with a choice per file the path names for some value (found
   * on disk), when the variable has a default (or a value in `.env`) among them, or else the first
   * choice as its default, with a note. Otherwise the value Compose substitutes is written.
   */
  envFile(service: ServiceDef, value: string, site: ValueSite): Expr {
    const fromFile = (p: string) => call('EnvFile', 'fromFile', lit(this.appPath(service, p)));
    const pieces = interpolation(value);
    const variables = pieces.filter((p): p is Extract<typeof p, { variable: string }> => 'variable' in p);
    if (variables.length !== 1) return fromFile(this.variables.literal(value, site));
    const at = pieces.indexOf(variables[0]);
    const before = pieces.slice(0, at).map((p) => ('text' in p ? p.text : '')).join('');
    const after = pieces.slice(at + 1).map((p) => ('text' in p ? p.text : '')).join('');
    const choices = envFileChoices(service.dir, before, after);
    const fallback = this.variables.fallback(variables[0]);
    const name = variables[0].variable;
    if (choices.length === 0) {
      const baked = `${before}${fallback ?? ''}${after}`;
      this.find('note', site.file, site.service, site.key, `${value}: no file the path names for a value of ${name} that can be a choice (a lowercase word), so it is written as ${JSON.stringify(baked)}, what Compose reads without other settings`);
      return fromFile(baked);
    }
    const chosenDefault = fallback !== undefined && choices.includes(fallback) ? fallback : choices[0];
    const parameter = this.variables.parameterWithDefault(name, chosenDefault);
    if (parameter === undefined) return fromFile(this.variables.literal(value, site));
    if (chosenDefault !== fallback) {
      this.find('note', site.file, site.service, site.key, `${value}: ${name} has no value among the files found (${choices.join(', ')}); the parameter ${name} defaults to ${chosenDefault}`);
    }
    return call('EnvFile', 'chosenBy', ref(parameter), obj(choices.map((choice) => [choice, fromFile(`${before}${choice}${after}`)] as const)));
  }

  /** A path relative to the compose file's folder, as a path relative to the app's folder. */
  appPath(service: ServiceDef, p: string): string {
    if (p.startsWith('/') || p.startsWith('~') || p.startsWith('{{') || p.startsWith('$')) return p;
    const rel = path.relative(this.appDir, path.resolve(service.dir, p)) || '.';
    return rel.startsWith('.') ? rel : `./${rel}`;
  }

  run(): Plan {
    const firstFile = this.input.files[0];
    const stackName = this.stackName ?? composeProjectName(this.input, this.variables);
    for (const extra of this.input.extras) {
      if (extra.key === 'name') this.find('note', extra.file, undefined, 'name', `the project name: the stack is named ${stackName}, so Compose names the project and its volumes as before`);
      else this.find('unmapped', extra.file, undefined, extra.key, 'a top-level extension: nothing reads it after import (anchors in it were already expanded)');
    }
    const serviceNames = new Set(this.input.services.map((s) => s.name));
    for (const [name, spec] of Object.entries(this.input.volumes)) this.volume(name, spec, serviceNames);
    for (const [name, spec] of Object.entries(this.input.networks)) this.network(name, spec);
    for (const section of ['configs', 'secrets'] as const) {
      for (const name of Object.keys(this.input[section])) {
        this.find('unmapped', firstFile, undefined, `${section}.${name}`, `top-level ${section} have no construct (use ConfigFile / Secret.fromEnv by hand)`);
      }
    }
    for (const service of this.input.services) {
      for (const [target, spec] of Object.entries(dependsOnMap(service.spec.depends_on, service.file, ''))) {
        if (spec.condition === 'service_completed_successfully') this.completed.add(target);
      }
    }
    this.checkHostPorts();
    for (const service of this.order()) this.service(service);
    const parameters: Declaration[] = this.variables.declarations().map((d) => ({ ...d, construct: 'Parameter', comments: [] }));
    return { stackName, declarations: [...parameters, ...this.declarations], findings: this.findings };
  }

  private volume(name: string, spec: Json, serviceNames: ReadonlySet<string>): void {
    const firstFile = this.input.files[0];
    const variable = this.variable(name, 'Volume');
    this.volumeVars.set(name, variable);
    const rest: Mapping = isMapping(spec) ? { ...spec } : {};
    // The local driver is Compose's default: saying so changes nothing.
    if (rest.driver === 'local' && rest.driver_opts === undefined) delete rest.driver;
    const unmapped = Object.keys(rest).length > 0 ? rest : undefined;
    if (unmapped) this.find('unmapped', firstFile, undefined, `volumes.${name}`, `${Object.keys(rest).join(', ')}: Volume has no such option (kept as metadata)`);
    // A construct id is unique among siblings; a service may share the volume's name.
    const id = serviceNames.has(name) ? `${name}-volume` : name;
    this.declarations.push({ variable, construct: 'Volume', id, props: id === name ? undefined : obj([['name', lit(name)]]), comments: [], unmapped });
  }

  private network(name: string, spec: Json): void {
    const firstFile = this.input.files[0];
    if (name === 'default') {
      this.find('unmapped', firstFile, undefined, 'networks.default', "the default network is Compose's own");
      return;
    }
    const variable = this.variable(name, 'Network');
    this.networkVars.set(name, variable);
    const rest: Mapping = isMapping(spec) ? { ...spec } : {};
    const props: [string, Expr][] = [];
    if (rest.external === true) {
      props.push(['external', lit(true)]);
      delete rest.external;
    } else if (rest.name === name) {
      props.push(['shared', lit(true)]);
      delete rest.name;
    }
    if (rest.driver === 'bridge' && rest.driver_opts === undefined) delete rest.driver;
    const unmapped = Object.keys(rest).length > 0 ? rest : undefined;
    if (unmapped) this.find('unmapped', firstFile, undefined, `networks.${name}`, `${Object.keys(rest).join(', ')}: Network has no such option (kept as metadata)`);
    this.declarations.push({ variable, construct: 'Network', id: name, props: props.length ? obj(props) : undefined, comments: [], unmapped });
  }

  /**
   * Two services that publish one host port (on the same address and protocol) cannot both
   * start: docker compose refuses the second at `up`. Services in different profiles may.
   */
  private checkHostPorts(): void {
    const seen = new Map<string, { service: string; profiles: string[] }>();
    for (const service of this.input.services) {
      const profiles = Array.isArray(service.spec.profiles) ? service.spec.profiles.map(String) : [];
      const ports = this.ports(service.spec.ports, undefined, service, false);
      ports.forEach((port) => {
        if (port.published === undefined || port.published === '' || port.published === '0') return;
        const key = `${port.hostIp ?? '*'} ${port.published}/${port.protocol ?? 'TCP'}`;
        const first = seen.get(key);
        const together = first && (first.profiles.length === 0 || profiles.length === 0 || first.profiles.some((p) => profiles.includes(p)));
        if (first && together) {
          const index = (Array.isArray(service.spec.ports) ? service.spec.ports : []).findIndex((p) => String(isMapping(p) ? p.published : p).includes(port.published as string));
          throw new ImportError(
            service.file,
            `services.${service.name}.ports${index >= 0 ? `[${index}]` : ''}`,
            `host port ${port.published} is already published by service "${first.service}"; docker compose cannot start both ` +
              '(the port is already allocated): publish another host port, or put one of them in a profile',
          );
        }
        if (!first) seen.set(key, { service: service.name, profiles });
      });
    }
  }

  /** Services with their dependencies first, otherwise in file order. */
  private order(): ServiceDef[] {
    const byName = new Map(this.input.services.map((s) => [s.name, s]));
    const done = new Set<string>();
    const result: ServiceDef[] = [];
    const visit = (s: ServiceDef): void => {
      if (done.has(s.name)) return;
      done.add(s.name);
      for (const dep of Object.keys(dependsOnMap(s.spec.depends_on, s.file, ''))) visit(byName.get(dep)!);
      result.push(s);
    };
    this.input.services.forEach(visit);
    return result;
  }

  private service(service: ServiceDef): void {
    const { name, file } = service;
    const spec: Mapping = { ...service.spec };
    const site = (key: string): ValueSite => ({ file, service: name, key });
    const props: [string, Expr][] = [];
    const comments: string[] = [];
    const take = (key: string): Json | undefined => {
      const value = spec[key];
      delete spec[key];
      return value;
    };

    const rawImage = take('image');
    const imageText = rawImage === undefined ? undefined : String(rawImage);
    const imageHasVariables = imageText !== undefined && interpolation(imageText).some((p) => 'variable' in p);
    const restart = take('restart');
    const restartText = restart === undefined ? undefined : restart === false ? 'no' : this.variables.literal(String(restart), site('restart'));
    const rawPorts = take('ports');
    const rawExpose = take('expose');
    const isJob = this.completed.has(name) || (restartText === 'no' && rawPorts === undefined && rawExpose === undefined && spec.healthcheck === undefined);
    const env = toMap(take('environment'), file, `services.${name}.environment`);
    const volumes = Array.isArray(spec.volumes) ? spec.volumes : [];
    const volumeTargets = volumes.flatMap((v) => (typeof v === 'string' ? [v.split(':')[1]] : isMapping(v) && v.type === 'volume' ? [String(v.target)] : []));
    const bindTargets = volumes.flatMap((v) =>
      typeof v === 'string' ? (/^[.~/$]/.test(v) ? [splitVolume(v)[1]] : []) : isMapping(v) && v.type === 'bind' ? [String(v.target)] : [],
    );

    const typed: TypedService | undefined =
      !isJob && imageText !== undefined && !imageHasVariables && spec.build === undefined
        ? typedService({
            image: imageText,
            env,
            command: spec.command,
            volumeTargets,
            bindTargets,
            secret: (envName, required) => this.secretProp(env, envName, required, file, name),
            plain: (envName) => (env[envName] === undefined || env[envName] === null ? undefined : lit(this.variables.literal(String(env[envName]), site(`environment.${envName}`)))),
          })
        : undefined;
    let construct = isJob ? 'MigrationJob' : typed?.construct ?? 'ContainerService';
    if (typed) {
      for (const consumed of typed.consumed) delete env[consumed];
      props.push(...typed.props);
      comments.push(`${name}: recognized ${imageText} as ${construct}; what the input sets is kept (see the import report)`);
      if (construct === 'RedisService') {
        const command = take('command');
        if (command !== undefined) comments.push(`${name}: its command ${JSON.stringify(command)} is written as serverArgs`);
      }
    } else if (imageText !== undefined) {
      props.push(['image', this.variables.text(imageText)]);
    }

    if (restartText !== undefined && !isJob && restartText !== 'unless-stopped') {
      const policy = restartText.replace(/:\d+$/, '');
      if (RESTART_POLICIES.includes(policy)) {
        props.push(['restart', lit(policy)]);
        if (policy !== restartText) this.find('note', file, name, 'restart', `${restartText}: the retry count has no construct option; written as '${policy}'`);
      } else this.find('unmapped', file, name, 'restart', `${restartText} is not a Compose restart policy`);
    }

    const ports = this.ports(rawPorts, rawExpose, service, true);
    const own = typed?.ownPorts ?? [];
    const ownPublished = ports.filter((p) => own.includes(p.port));
    const others = ports.filter((p) => !own.includes(p.port));
    if (typed) {
      for (const port of ownPublished) {
        if (port.hostPort === undefined) continue;
        const prop = port.port === 15672 ? 'managementHostPort' : 'hostPort';
        if (port.hostIp !== undefined) this.find('unmapped', file, name, 'ports', `${port.hostIp}: ${construct} publishes on every address`);
        props.push([prop, port.hostPort]);
      }
      if (others.length > 0) this.find('unmapped', file, name, 'ports', `${others.map((p) => p.port).join(', ')}: ${construct} has its own ports`);
    }

    const build = take('build');
    if (build !== undefined) props.push(['build', this.build(build, service)]);
    for (const key of ['entrypoint', 'command'] as const) {
      const value = take(key);
      if (value === undefined || construct === 'RedisService') continue;
      const words = typeof value === 'string' ? shellWords(value) : Array.isArray(value) ? value.map(String) : undefined;
      if (!words) throw new ImportError(file, `services.${name}.${key}`, 'must be a string or a list of strings');
      if (typeof value === 'string') this.find('note', file, name, key, 'a string command is written in exec form (a list of words)');
      props.push([key, arr(words.map((w) => lit(this.variables.literal(w, site(key)))))]);
    }
    const workingDir = take('working_dir');
    if (workingDir !== undefined) props.push(['workingDir', lit(this.variables.literal(String(workingDir), site('working_dir')))]);
    if (!typed && !isJob && ports.length > 0) {
      props.push(['ports', arr(ports.map((p) => obj([['port', lit(p.port)], ...(p.hostPort ? [['hostPort', p.hostPort] as [string, Expr]] : []), ...(p.hostIp ? [['hostIp', lit(p.hostIp)] as [string, Expr]] : []), ...(p.protocol ? [['protocol', lit(p.protocol)] as [string, Expr]] : [])])))]);
    }
    if (isJob && ports.length > 0) this.find('unmapped', file, name, 'ports', 'a one-shot job that others wait for has no ports');

    const envEntries: [string, Expr][] = [];
    for (const [key, value] of Object.entries(env)) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
        this.find('unmapped', file, name, `environment.${key}`, 'not a portable variable name (letters, digits and _), which the library requires; kept as metadata');
        spec[`environment.${key}`] = value;
        continue;
      }
      const text = value === null ? null : typeof value === 'object' ? JSON.stringify(value) : String(value);
      const expr = this.variables.environment(key, text, site(`environment.${key}`));
      envEntries.push([key, expr.kind === 'lit' && typeof value === 'number' && String(value) === expr.value ? lit(value) : expr]);
    }
    if (envEntries.length > 0) props.push(['env', obj(envEntries)]);
    const envFile = take('env_file');
    if (envFile !== undefined) {
      const files = ([] as Json[]).concat(envFile).map((f) => (isMapping(f) ? f.path : f));
      props.push(['envFiles', arr(files.map((f) => this.envFile(service, String(f), site('env_file'))))]);
    }

    const health = take('healthcheck');
    if (health !== undefined) {
      const check = this.healthCheck(health, file, name);
      if (check) props.push(['healthCheck', check]);
    }
    const mounts = this.mounts(take('volumes'), take('tmpfs'), service, typed?.dataDirectory);
    if (mounts.length > 0) props.push(['mounts', arr(mounts)]);

    this.deploy(take('deploy'), props, spec, { isJob, typed: typed !== undefined, construct, file, name });
    const security = this.security(spec, file, name);
    if (security.length > 0) props.push(['security', obj(security)]);

    const deps = dependsOnMap(take('depends_on'), file, `services.${name}.depends_on`);
    if (Object.keys(deps).length > 0) props.push(['after', arr(Object.keys(deps).map((d) => ref(this.serviceVars.get(d)!)))]);

    const labels = toMap(take('labels'), file, `services.${name}.labels`);
    if (Object.keys(labels).length > 0) {
      props.push(['labels', obj(Object.entries(labels).map(([k, v]) => [k, lit(this.variables.literal(String(v ?? ''), site(`labels.${k}`)))]))]);
    }
    const profiles = take('profiles');
    if (Array.isArray(profiles)) props.push(['profiles', arr(profiles.map((p) => lit(String(p))))]);
    const containerName = take('container_name');
    if (containerName !== undefined) props.push(['containerName', lit(this.variables.literal(String(containerName), site('container_name')))]);
    const networks = take('networks');
    if (networks !== undefined && networks !== null) {
      const list = Array.isArray(networks) ? networks.map(String) : Object.keys(networks as Mapping);
      if (isMapping(networks) && Object.values(networks).some((v) => v !== null && !(isMapping(v) && Object.keys(v).length === 0))) {
        spec.networks = networks;
        this.find('unmapped', file, name, 'networks', 'aliases and addresses on a network have no construct option');
      }
      const refs = list.filter((n) => this.networkVars.has(n)).map((n) => ref(this.networkVars.get(n)!));
      if (refs.length > 0) props.push(['networks', arr(refs)]);
    }
    const logging = take('logging');
    if (isMapping(logging)) {
      const options = isMapping(logging.options) ? Object.fromEntries(Object.entries(logging.options).map(([k, v]) => [k, String(v)])) : {};
      props.push(['logging', call('Logging', 'driver', lit(String(logging.driver ?? 'json-file')), fromValue(options))]);
    }

    // Everything left has no construct equivalent: reported and kept as metadata.
    const unmapped: Mapping = {};
    for (const [key, value] of Object.entries(spec)) {
      unmapped[key] = value;
      if (!this.findings.some((f) => f.service === name && f.kind === 'unmapped' && (f.key === key || f.key.startsWith(`${key}.`)))) {
        this.find('unmapped', file, name, key, 'no construct option for this key; kept as metadata in app.ts');
      }
    }
    if (construct === 'ContainerService' && ports.length === 0) construct = 'Worker';
    const variable = this.variable(name);
    this.serviceVars.set(name, variable);
    this.declarations.push({
      variable,
      construct,
      id: name,
      props: obj(props),
      comments,
      unmapped: Object.keys(unmapped).length > 0 ? unmapped : undefined,
      service: name,
    });
  }

  /** A typed construct's secret prop from the environment: the value's Secret, or `Secret.fromEnv(envName)`. */
  private secretProp(env: Mapping, envName: string, required: boolean, file: string, name: string): Expr | undefined {
    const value = env[envName];
    if (value === undefined || value === null) {
      if (!required) return undefined;
      this.find('note', file, name, `environment.${envName}`, `the construct needs a password: Secret.fromEnv('${envName}') is used`);
      return call('Secret', 'fromEnv', lit(envName));
    }
    const expr = this.variables.environment(envName, String(value), { file, service: name, key: `environment.${envName}` });
    if (expr.kind === 'lit') return call('Secret', 'unsafePlainText', expr);
    if (expr.kind === 'call' && expr.target === 'Secret') return expr;
    this.find('note', file, name, `environment.${envName}`, `a value built from several parts cannot be a Secret: Secret.fromEnv('${envName}') is used`);
    return call('Secret', 'fromEnv', lit(envName));
  }

  private deploy(deploy: Json | undefined, props: [string, Expr][], spec: Mapping, where: { isJob: boolean; typed: boolean; construct: string; file: string; name: string }): void {
    if (!isMapping(deploy)) return;
    const { file, name, construct } = where;
    const rest = { ...deploy };
    if (rest.replicas !== undefined) {
      if (where.isJob || where.typed) this.find('unmapped', file, name, 'deploy.replicas', `${construct} runs one copy`);
      else props.push(['replicas', lit(Number(rest.replicas))]);
      delete rest.replicas;
    }
    if (isMapping(rest.resources)) {
      const resources = { ...rest.resources };
      const out: [string, Expr][] = [];
      for (const [from, to] of [['limits', 'limits'], ['reservations', 'requests']] as const) {
        const amounts = resources[from];
        if (!isMapping(amounts)) continue;
        const entries: [string, Expr][] = [];
        const extra = { ...amounts };
        if (extra.cpus !== undefined) entries.push(['cpu', lit(Number(extra.cpus))]);
        if (extra.memory !== undefined) {
          const size = sizeExpr(String(extra.memory));
          if (size) entries.push(['memory', size]);
          else this.find('unmapped', file, name, `deploy.resources.${from}.memory`, `${extra.memory} is not a whole number of MiB`);
        }
        delete extra.cpus;
        delete extra.memory;
        if (Object.keys(extra).length > 0) this.find('unmapped', file, name, `deploy.resources.${from}`, `${Object.keys(extra).join(', ')}: no such resource option`);
        out.push([to, obj(entries)]);
        delete resources[from];
      }
      if (out.length > 0) props.push(['resources', obj(out)]);
      if (Object.keys(resources).length > 0) this.find('unmapped', file, name, 'deploy.resources', `${Object.keys(resources).join(', ')}: no such resource option`);
      delete rest.resources;
    }
    if (Object.keys(rest).length > 0) {
      spec.deploy = rest;
      this.find('unmapped', file, name, 'deploy', `${Object.keys(rest).join(', ')}: Compose-only deploy options`);
    }
  }

  /** `ports` and `expose` as ports; `parameters` false only reads them (no parameter declared). */
  private ports(ports: Json | undefined, expose: Json | undefined, service: ServiceDef, parameters: boolean): PortSpec[] {
    const { file, name } = service;
    const site = { file, service: name, key: 'ports' };
    const result: PortSpec[] = [];
    const add = (p: PortSpec) => {
      if (!result.some((r) => r.port === p.port && r.protocol === p.protocol)) result.push(p);
      else if (p.hostPort !== undefined && parameters) this.find('unmapped', file, name, 'ports', `container port ${p.port} is published twice; the library publishes a port once`);
    };
    const hostPort = (published: string): Expr | undefined =>
      published === '' ? lit(0) : parameters ? this.variables.port(published, site) : /^\d+$/.test(published) ? lit(Number(published)) : lit(0);
    const quiet = (text: string) => interpolation(text).map((p) => ('text' in p ? p.text : (this.variables.fallback(p) ?? ''))).join('');
    for (const item of Array.isArray(ports) ? ports : ports === undefined || ports === null ? [] : [ports]) {
      if (isMapping(item)) {
        const published = item.published === undefined ? '' : String(item.published);
        add({
          port: Number(parameters ? this.variables.literal(String(item.target), site) : quiet(String(item.target))),
          hostPort: hostPort(published),
          published: quiet(published),
          ...(item.host_ip !== undefined ? { hostIp: String(item.host_ip) } : {}),
          ...(item.protocol === 'udp' ? { protocol: 'UDP' as const } : {}),
        });
        continue;
      }
      // host_ip:published:target/protocol, where published and target may be variables.
      const text = String(item);
      const fields = splitVolume(text);
      const last = /^(.*?)(?:\/(tcp|udp))?$/.exec(fields[fields.length - 1]) as RegExpExecArray;
      const m = fields.length <= 3 ? [text, fields.length === 3 ? fields[0] : undefined, fields.length >= 2 ? fields[fields.length - 2] : undefined, last[1], last[2]] : undefined;
      const target = m ? (parameters ? this.variables.literal(m[3] as string, site) : quiet(m[3] as string)) : '';
      if (!m || !/^\d+$/.test(target) || (m[2] !== undefined && !/^\d*$/.test(quiet(m[2])))) {
        if (parameters) this.find('unmapped', file, name, 'ports', `${text}: port ranges and this syntax have no construct option`);
        continue;
      }
      add({
        port: Number(target),
        hostPort: hostPort(m[2] ?? ''),
        published: quiet(m[2] ?? ''),
        ...(m[1] ? { hostIp: m[1] } : {}),
        ...(m[4] === 'udp' ? { protocol: 'UDP' as const } : {}),
      });
    }
    for (const item of Array.isArray(expose) ? expose : []) {
      const m = /^(\d+)(?:\/(tcp|udp))?$/.exec(String(item));
      if (!m) {
        if (parameters) this.find('unmapped', file, name, 'expose', `${item}: not a single port`);
        continue;
      }
      const port = { port: Number(m[1]), ...(m[2] === 'udp' ? { protocol: 'UDP' as const } : {}) };
      if (!result.some((r) => r.port === port.port && r.protocol === port.protocol)) result.push(port);
    }
    return result;
  }

  private build(build: Json, service: ServiceDef): Expr {
    const site = { file: service.file, service: service.name, key: 'build' };
    if (typeof build === 'string') return obj([['context', lit(this.appPath(service, this.variables.literal(build, site)))]]);
    if (!isMapping(build)) throw new ImportError(service.file, `services.${service.name}.build`, 'must be a path or a mapping');
    const entries: [string, Expr][] = [['context', lit(this.appPath(service, this.variables.literal(String(build.context ?? '.'), site)))]];
    if (build.dockerfile !== undefined) entries.push(['dockerfile', lit(String(build.dockerfile))]);
    if (build.target !== undefined) entries.push(['target', lit(String(build.target))]);
    if (build.args !== undefined) {
      const args = toMap(build.args, service.file, `services.${service.name}.build.args`);
      entries.push(['args', obj(Object.entries(args).map(([k, v]) => [k, lit(this.variables.literal(String(v ?? ''), { ...site, key: `build.args.${k}` }))]))]);
    }
    const rest = Object.keys(build).filter((k) => !['context', 'dockerfile', 'target', 'args'].includes(k));
    if (rest.length > 0) this.find('unmapped', service.file, service.name, 'build', `${rest.join(', ')}: no such build option`);
    return obj(entries);
  }

  private healthCheck(health: Json, file: string, name: string): Expr | undefined {
    if (!isMapping(health)) return undefined;
    if (health.disable === true || (Array.isArray(health.test) && health.test[0] === 'NONE')) {
      this.find('unmapped', file, name, 'healthcheck', 'a disabled health check has no construct option');
      return undefined;
    }
    const options: [string, Expr][] = [];
    // What the input leaves out is what Compose runs: its own defaults, never the library's.
    for (const [key, prop, composeDefault] of [['interval', 'interval', 30], ['timeout', 'timeout', 30], ['start_period', 'startPeriod', 0]] as const) {
      const seconds = health[key] === undefined ? composeDefault : durationSeconds(String(health[key]));
      if (seconds === undefined) this.find('unmapped', file, name, `healthcheck.${key}`, `${health[key]} is not a whole number of seconds`);
      else if (seconds !== 0) options.push([prop, call('Duration', 'seconds', lit(seconds))]);
    }
    options.push(['retries', lit(health.retries === undefined ? 3 : Number(health.retries))]);
    const extra = Object.keys(health).filter((k) => !['test', 'interval', 'timeout', 'retries', 'start_period'].includes(k));
    if (extra.length > 0) this.find('unmapped', file, name, 'healthcheck', `${extra.join(', ')}: no such health check option`);
    const opts = [obj(options)];
    const site = { file, service: name, key: 'healthcheck.test' };
    const test = health.test;
    if (typeof test === 'string') return call('HealthCheck', 'shell', lit(this.variables.literal(test, site)), ...opts);
    if (Array.isArray(test) && test[0] === 'CMD-SHELL') return call('HealthCheck', 'shell', lit(this.variables.literal(test.slice(1).join(' '), site)), ...opts);
    if (Array.isArray(test) && test[0] === 'CMD') return call('HealthCheck', 'command', arr(test.slice(1).map((t) => lit(this.variables.literal(String(t), site)))), ...opts);
    this.find('unmapped', file, name, 'healthcheck.test', 'must be a string or a list starting with CMD or CMD-SHELL');
    return undefined;
  }

  private mounts(volumes: Json | undefined, tmpfs: Json | undefined, service: ServiceDef, dataTarget: string | undefined): Expr[] {
    const { file, name } = service;
    const site = { file, service: name, key: 'volumes' };
    const result: Expr[] = [];
    const readOnlyOption = (readOnly: boolean) => (readOnly ? [obj([['readOnly', lit(true)]])] : []);
    for (const item of Array.isArray(volumes) ? volumes : []) {
      let type: string;
      let source: string | undefined;
      let target: string;
      let readOnly = false;
      if (typeof item === 'string') {
        const parts = splitVolume(item);
        if (parts.length === 1) {
          this.find('unmapped', file, name, 'volumes', `${item}: an anonymous volume has no construct; use a named Volume`);
          continue;
        }
        [source, target] = parts;
        target = this.variables.literal(target, site);
        readOnly = parts[2] === 'ro';
        type = /^[.~/$]/.test(source) ? 'bind' : 'volume';
        if (parts[2] !== undefined && !['ro', 'rw'].includes(parts[2])) this.find('unmapped', file, name, 'volumes', `${item}: mode ${parts[2]} has no construct option`);
      } else if (isMapping(item)) {
        type = String(item.type);
        source = item.source === undefined ? undefined : String(item.source);
        target = String(item.target);
        readOnly = item.read_only === true;
        if (type === 'tmpfs') {
          const size = isMapping(item.tmpfs) && item.tmpfs.size !== undefined ? sizeExpr(String(item.tmpfs.size)) : undefined;
          result.push(call('Mount', 'tmpfs', lit(target), ...(size ? [obj([['size', size]])] : [])));
          continue;
        }
      } else continue;
      if (type === 'volume' && source !== undefined && this.volumeVars.has(source)) {
        if (dataTarget !== undefined && target === dataTarget) {
          this.find('note', file, name, 'volumes', `${source}:${target} keeps the data: the construct keeps it there instead of on a volume of its own`);
        }
        result.push(call('Mount', 'volume', ref(this.volumeVars.get(source)!), lit(target), ...readOnlyOption(readOnly)));
      } else if (type === 'bind' && source !== undefined) {
        if (source.startsWith('/')) {
          this.find('note', file, name, 'volumes', `${source} is a path of the host: mounted on Compose, left out on Kubernetes`);
          result.push(call('Mount', 'hostPath', lit(source), obj([['target', lit(target)], ['readOnly', lit(readOnly)], ['targets', arr([lit('compose')])]])));
          continue;
        }
        const hasVariables = interpolation(source).some((p) => 'variable' in p);
        const sourceExpr = hasVariables ? this.variables.text(source) : lit(this.appPath(service, source));
        result.push(call('Mount', 'bind', sourceExpr, lit(target), ...readOnlyOption(readOnly)));
      } else {
        this.find('unmapped', file, name, 'volumes', `${JSON.stringify(item)}: no construct for this mount`);
      }
    }
    for (const item of tmpfs === undefined ? [] : ([] as Json[]).concat(tmpfs)) {
      const [target, opts] = String(item).split(':');
      if (opts) this.find('unmapped', file, name, 'tmpfs', `${item}: tmpfs options other than size have no construct option`);
      result.push(call('Mount', 'tmpfs', lit(target)));
    }
    return result;
  }

  private security(spec: Mapping, file: string, name: string): [string, Expr][] {
    const result: [string, Expr][] = [];
    const user = spec.user;
    if (user !== undefined) {
      const text = this.variables.literal(String(user), { file, service: name, key: 'user' });
      const m = /^(\d+)(?::(\d+))?$/.exec(text);
      if (m) {
        result.push(['user', lit(Number(m[1]))]);
        if (m[2] !== undefined) result.push(['group', lit(Number(m[2]))]);
        delete spec.user;
      } else this.find('unmapped', file, name, 'user', `${user}: the library takes a numeric user id`);
    }
    const readOnly = spec.read_only === undefined ? undefined : this.variables.literal(String(spec.read_only), { file, service: name, key: 'read_only' });
    if (readOnly === 'true') result.push(['readOnlyRootFilesystem', lit(true)]);
    delete spec.read_only;
    for (const [key, prop] of [['cap_drop', 'dropCapabilities'], ['cap_add', 'addCapabilities']] as const) {
      if (Array.isArray(spec[key])) {
        result.push([prop, arr((spec[key] as Json[]).map((c) => lit(String(c).replace(/^CAP_/, ''))))]);
        delete spec[key];
      }
    }
    const opts = Array.isArray(spec.security_opt) ? (spec.security_opt as Json[]).map(String) : [];
    const nnp = opts.some((o) => /^no-new-privileges(:true)?$/.test(o));
    if (!nnp) result.push(['noNewPrivileges', lit(false)]);
    const rest = opts.filter((o) => !/^no-new-privileges(:true)?$/.test(o));
    if (rest.length > 0) {
      spec.security_opt = rest;
    } else delete spec.security_opt;
    return result;
  }
}

/** `source:target:mode` split on the colons that are not inside `${...}`. */
function splitVolume(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '$' && text[i + 1] === '{') depth++;
    else if (c === '}' && depth > 0) depth--;
    if (c === ':' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  return parts;
}

export function planImport(input: ComposeInput, appDir: string, stackName?: string): Plan {
  return new Mapper(input, appDir, stackName).run();
}

/** A value that can choose an env file: a lowercase word, as `EnvFile.chosenBy` takes. */
const CHOICE = /^[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?$/;

/**
 * The values a variable may take in an env file path `<before>${VAR}<after>` (relative to `dir`),
 * from the files there: `env/${ENV}/web.env` finds `dev` for `env/dev/web.env`. The value stays
 * within one folder name, as a choice of a file in a folder does.
 */
function envFileChoices(dir: string, before: string, after: string): string[] {
  const slash = before.lastIndexOf('/');
  const folder = path.resolve(dir, before.slice(0, slash + 1) || '.');
  const prefix = before.slice(slash + 1);
  const cut = after.indexOf('/');
  const suffix = cut < 0 ? after : after.slice(0, cut);
  const rest = cut < 0 ? '' : after.slice(cut);
  let entries: string[];
  try {
    entries = fs.readdirSync(folder);
  } catch {
    return [];
  }
  return entries
    .filter((entry) => entry.length > prefix.length + suffix.length && entry.startsWith(prefix) && entry.endsWith(suffix))
    .map((entry) => entry.slice(prefix.length, entry.length - suffix.length))
    .filter((choice) => CHOICE.test(choice) && isFile(path.join(folder, `${prefix}${choice}${suffix}${rest}`)))
    .sort();
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
