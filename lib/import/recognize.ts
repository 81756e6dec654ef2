import * as path from 'path';
import { Expr, arr, call, fromValue, lit, obj, ref } from './expr';
import { ComposeInput, ImportError, Json, Mapping, ServiceDef, dependsOnMap, isMapping, toMap } from './parse';
import { ImportFinding } from './report';
import { camel, camelToDns, durationSeconds, interpolation, shellWords, sizeExpr, splitImage } from './values';

const SENSITIVE = /(PASSWORD|PASSWD|SECRET|TOKEN|PRIVATE_KEY|API_KEY|ACCESS_KEY|CREDENTIALS)/i;

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

/** The typed construct for an image, by repository name. */
const TYPED: Record<string, string> = {
  postgres: 'PostgresService',
  redis: 'RedisService',
  mongo: 'MongoService',
  rabbitmq: 'RabbitMqService',
  'opensearchproject/opensearch': 'OpenSearchService',
  nginx: 'StaticSite',
};

const DISALLOWED: Record<string, string[]> = {
  RedisService: ['healthCheck', 'command', 'image', 'build'],
  MongoService: ['command', 'image', 'build'],
  OpenSearchService: ['command', 'image', 'build'],
  PostgresService: ['image', 'build'],
  RabbitMqService: ['image', 'build'],
};

const RESERVED = new Set(['app', 'stack', 'new', 'delete', 'default', 'function', 'class', 'const', 'let', 'var', 'import', 'export', 'return', 'this', 'in', 'do', 'if', 'for', 'while', 'switch', 'case', 'break', 'continue', 'with', 'void', 'typeof', 'enum', 'true', 'false', 'null', 'try', 'catch', 'finally', 'throw', 'yield', 'super', 'extends', 'instanceof', 'debugger', 'package', 'interface', 'private', 'protected', 'public', 'static', 'implements']);

class Mapper {
  readonly findings: ImportFinding[] = [];
  readonly declarations: Declaration[] = [];
  private readonly used = new Set<string>();
  private readonly volumeVars = new Map<string, string>();
  private readonly networkVars = new Map<string, string>();
  private readonly serviceVars = new Map<string, string>();
  private readonly jobs = new Set<string>();

  constructor(
    private readonly input: ComposeInput,
    /** Folder of the generated app.ts: relative paths are written relative to it. */
    private readonly appDir: string,
    private readonly stackName?: string,
  ) {}

  variable(name: string, suffix = ''): string {
    let base = camel(name) + suffix;
    if (RESERVED.has(base)) base = `${base}Service`;
    let candidate = base;
    for (let i = 2; this.used.has(candidate); i++) candidate = `${base}${i}`;
    this.used.add(candidate);
    return candidate;
  }

  find(kind: ImportFinding['kind'], file: string, service: string | undefined, key: string, message: string): void {
    this.findings.push({ kind, file, service, key, message });
  }

  /** A literal for a non-environment field; variables are baked to their default (noted) or kept as text. */
  literal(value: Json, file: string, service: string | undefined, key: string): string {
    const text = String(value);
    if (!text.includes('$')) return text;
    const pieces = interpolation(text);
    const vars = pieces.filter((p) => 'variable' in p) as { variable: string; default?: string }[];
    if (vars.length === 0) return pieces.map((p) => ('text' in p ? p.text : '')).join('');
    if (vars.every((v) => v.default !== undefined)) {
      this.find('note', file, service, key, `${text}: the library takes no variable here, so it is written as its default ${JSON.stringify(pieces.map((p) => ('text' in p ? p.text : p.default)).join(''))}`);
      return pieces.map((p) => ('text' in p ? p.text : p.default)).join('');
    }
    this.find('unmapped', file, service, key, `${text}: the library takes no variable here; written as literal text, set the value in app.ts`);
    return pieces.map((p) => ('text' in p ? p.text : `\${${p.variable}}`)).join('');
  }

  /** An environment value: variables become Secret.fromEnv, defaults become literals (noted). */
  envValue(name: string, value: Json, file: string, service: string): Expr | undefined {
    if (value === null) {
      this.find('unmapped', file, service, `environment.${name}`, 'takes its value from the shell running Compose; the library has no pass-through variable');
      return undefined;
    }
    const text = typeof value === 'string' ? value : String(value);
    const pieces = interpolation(text);
    const exprs: Expr[] = [];
    let literal = true;
    for (const piece of pieces) {
      if ('text' in piece) exprs.push(lit(piece.text));
      else if (piece.default !== undefined) {
        this.find('note', file, service, `environment.${name}`, `\${${piece.variable}:-${piece.default}} is written as its default ${JSON.stringify(piece.default)}: the library has no variable with a default`);
        exprs.push(lit(piece.default));
      } else {
        literal = false;
        if (!SENSITIVE.test(piece.variable)) {
          this.find('note', file, service, `environment.${name}`, `\${${piece.variable}} is kept as a variable with Secret.fromEnv('${piece.variable}'), the library's only deploy-time variable (a Kubernetes Secret too)`);
        }
        exprs.push(call('Secret', 'fromEnv', lit(piece.variable)));
      }
    }
    if (literal) {
      const joined = pieces.map((p) => ('text' in p ? p.text : p.default)).join('');
      if (SENSITIVE.test(name) && joined !== '') {
        this.find('note', file, service, `environment.${name}`, 'a sensitive-looking variable with a literal value: kept with Secret.unsafePlainText (move it to Secret.fromEnv)');
        return call('Secret', 'unsafePlainText', lit(joined));
      }
      return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? lit(typeof value === 'string' ? joined : value) : lit(joined);
    }
    const merged = exprs.filter((e) => !(e.kind === 'lit' && e.value === ''));
    return merged.length === 1 ? merged[0] : call('Env', 'concat', ...merged);
  }

  /** A path relative to the compose file's folder, as a path relative to the app's folder. */
  appPath(service: ServiceDef, p: string): string {
    if (p.startsWith('/') || p.startsWith('~')) return p;
    const rel = path.relative(this.appDir, path.resolve(service.dir, p)) || '.';
    return rel.startsWith('.') ? rel : `./${rel}`;
  }

  run(): Plan {
    const stackName = camelToDns(path.basename(path.dirname(path.resolve(this.input.files[0]))) || 'app');
    for (const extra of this.input.extras) {
      this.find('unmapped', extra.file, undefined, extra.key, extra.key === 'name' ? 'the project name: the stack name names the project' : 'a top-level extension: nothing reads it after import (anchors in it were already expanded)');
    }
    const firstFile = this.input.files[0];
    const ownDataVolumes = new Set(
      this.input.services
        .filter((s) => typeof s.spec.image === 'string' && TYPED[splitImage(s.spec.image).repo] && s.spec.restart !== 'no')
        .map((s) => `${s.name}-data`),
    );
    for (const [name, spec] of Object.entries(this.input.volumes)) {
      const variable = this.variable(name, 'Volume');
      if (ownDataVolumes.has(name)) {
        this.find('note', firstFile, undefined, `volumes.${name}`, `the name of a typed construct's own data volume: declared as Volume '${name}-vol' unless it is that data volume`);
      }
      this.volumeVars.set(name, variable);
      const rest = isMapping(spec) ? { ...spec } : {};
      const unmapped = Object.keys(rest).length > 0 ? (rest as Mapping) : undefined;
      if (unmapped) this.find('unmapped', firstFile, undefined, `volumes.${name}`, `${Object.keys(rest).join(', ')}: Volume has no such option (kept as metadata)`);
      this.declarations.push({ variable, construct: 'Volume', id: ownDataVolumes.has(name) ? `${name}-vol` : name, comments: [], unmapped });
    }
    for (const [name, spec] of Object.entries(this.input.networks)) {
      if (name === 'default') {
        this.find('unmapped', firstFile, undefined, 'networks.default', 'the default network is Compose\'s own');
        continue;
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
      const unmapped = Object.keys(rest).length > 0 ? rest : undefined;
      if (unmapped) this.find('unmapped', firstFile, undefined, `networks.${name}`, `${Object.keys(rest).join(', ')}: Network has no such option (kept as metadata)`);
      this.declarations.push({ variable, construct: 'Network', id: name, props: props.length ? obj(props) : undefined, comments: [], unmapped });
    }
    for (const section of ['configs', 'secrets'] as const) {
      for (const name of Object.keys(this.input[section])) {
        this.find('unmapped', firstFile, undefined, `${section}.${name}`, `top-level ${section} have no construct (use ConfigFile / Secret.fromEnv by hand)`);
      }
    }
    for (const service of this.order()) this.service(service);
    // A volume used only as a typed construct's data volume is replaced by the construct's own.
    const referenced = new Set<string>();
    const collect = (e: Expr | undefined): void => {
      if (!e) return;
      if (e.kind === 'ref') referenced.add(e.name);
      else if (e.kind === 'arr') e.items.forEach(collect);
      else if (e.kind === 'obj') e.entries.forEach(([, v]) => collect(v));
      else if (e.kind === 'call') e.args.forEach(collect);
    };
    this.declarations.forEach((d) => collect(d.props));
    const declarations = this.declarations.filter((d) => {
      if (d.construct !== 'Volume' || referenced.has(d.variable) || d.unmapped) return true;
      this.find('note', firstFile, undefined, `volumes.${d.id}`, 'used only as the data volume of a typed construct, which names its own volume <service>-data; not declared');
      return false;
    });
    return { stackName: this.stackName ?? stackName, declarations, findings: this.findings };
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
    const props: [string, Expr][] = [];
    const comments: string[] = [];
    const take = (key: string): Json | undefined => {
      const value = spec[key];
      delete spec[key];
      return value;
    };
    const image = spec.image !== undefined ? this.literal(take('image')!, file, name, 'image') : undefined;
    const restart = take('restart');
    const isJob = restart === 'no' || restart === false;
    const recognized = image ? TYPED[splitImage(image).repo] : undefined;
    let construct = isJob ? 'MigrationJob' : recognized ?? 'ContainerService';
    if (restart !== undefined && !isJob && restart !== 'unless-stopped') {
      this.find('unmapped', file, name, 'restart', `restart: ${restart}: every long-running construct restarts unless-stopped`);
    }
    const env = toMap(take('environment'), file, `services.${name}.environment`);
    const ports = this.ports(take('ports'), take('expose'), file, name);

    // Typed constructs: their own props from the image, environment and ports.
    const typedProps: [string, Expr][] = [];
    const typed = construct !== 'ContainerService' && construct !== 'MigrationJob';
    const tag = image ? splitImage(image).tag : undefined;
    const secretProp = (propName: string, envName: string, required: boolean): void => {
      const value = env[envName];
      delete env[envName];
      if (value === undefined || value === null) {
        if (required) {
          typedProps.push([propName, call('Secret', 'fromEnv', lit(envName))]);
          this.find('note', file, name, `environment.${envName}`, `${construct} needs a password: Secret.fromEnv('${envName}') is used`);
        }
        return;
      }
      const expr = this.envValue(envName, value, file, name)!;
      if (expr.kind === 'lit') typedProps.push([propName, call('Secret', 'unsafePlainText', lit(String(expr.value)))]);
      else if (expr.kind === 'call' && expr.target === 'Secret') typedProps.push([propName, expr]);
      else {
        typedProps.push([propName, call('Secret', 'fromEnv', lit(envName))]);
        this.find('note', file, name, `environment.${envName}`, `a value built from several parts cannot be a Secret: Secret.fromEnv('${envName}') is used`);
      }
    };
    const plainProp = (propName: string, envName: string): void => {
      const value = env[envName];
      if (value === undefined || value === null) return;
      delete env[envName];
      typedProps.push([propName, lit(this.literal(value, file, name, `environment.${envName}`))]);
    };
    const hostPortOf = (container: number, propName: string): void => {
      const index = ports.findIndex((p) => p.port === container);
      if (index < 0) return;
      const [port] = ports.splice(index, 1);
      if (port.hostPort !== undefined) typedProps.push([propName, lit(port.hostPort)]);
    };
    let dataTarget: string | undefined;
    if (typed && tag) typedProps.push(['version', lit(tag)]);
    switch (construct) {
      case 'PostgresService':
        plainProp('database', 'POSTGRES_DB');
        plainProp('user', 'POSTGRES_USER');
        secretProp('password', 'POSTGRES_PASSWORD', true);
        hostPortOf(5432, 'hostPort');
        dataTarget = tag && /^\d+/.test(tag) && Number(/^\d+/.exec(tag)![0]) < 18 ? '/var/lib/postgresql/data' : '/var/lib/postgresql';
        break;
      case 'RedisService':
        hostPortOf(6379, 'hostPort');
        dataTarget = '/data';
        break;
      case 'MongoService':
        plainProp('rootUsername', 'MONGO_INITDB_ROOT_USERNAME');
        secretProp('rootPassword', 'MONGO_INITDB_ROOT_PASSWORD', false);
        hostPortOf(27017, 'hostPort');
        dataTarget = '/data/db';
        break;
      case 'RabbitMqService':
        plainProp('user', 'RABBITMQ_DEFAULT_USER');
        secretProp('password', 'RABBITMQ_DEFAULT_PASS', true);
        hostPortOf(5672, 'hostPort');
        hostPortOf(15672, 'managementHostPort');
        dataTarget = '/var/lib/rabbitmq';
        break;
      case 'OpenSearchService':
        secretProp('adminPassword', 'OPENSEARCH_INITIAL_ADMIN_PASSWORD', false);
        hostPortOf(9200, 'hostPort');
        dataTarget = '/usr/share/opensearch/data';
        break;
      case 'StaticSite': {
        typedProps.length = 0;
        typedProps.push(['image', lit(image!)]);
        const first = ports.shift();
        if (first && first.port !== 80) typedProps.push(['port', lit(first.port)]);
        if (first?.hostPort !== undefined) typedProps.push(['hostPort', lit(first.hostPort)]);
        if (first?.hostIp !== undefined) typedProps.push(['hostIp', lit(first.hostIp)]);
        break;
      }
      default:
    }
    if (typed) {
      comments.push(`${name}: recognized ${image} as ${construct}; it renders its own health check, volume and settings (see the import report)`);
      if (construct === 'RedisService' || construct === 'MongoService' || construct === 'OpenSearchService') {
        const command = take('command');
        if (command !== undefined) this.find('unmapped', file, name, 'command', `${construct} writes its own command; ${JSON.stringify(command)} is kept as metadata`);
        if (command !== undefined) spec['command'] = command as Json;
      }
      if (construct === 'RedisService' && !this.hasVolumeAt(spec, '/data')) {
        typedProps.push(['persistence', call('RedisPersistence', 'none')]);
      }
      if (ports.length > 0) this.find('unmapped', file, name, 'ports', `${ports.map((p) => p.port).join(', ')}: ${construct} has its own ports`);
    } else {
      if (image) props.push(['image', lit(image)]);
    }

    props.push(...typedProps);
    const build = take('build');
    if (build !== undefined) {
      if (typed && construct !== 'StaticSite') this.find('unmapped', file, name, 'build', `${construct} runs the official image`);
      else props.push(['build', this.build(build, service)]);
    }
    for (const [key, prop] of [['entrypoint', 'entrypoint'], ['command', 'command']] as const) {
      const value = take(key);
      if (value === undefined) continue;
      if (typed && construct !== 'StaticSite' && construct !== 'PostgresService' && construct !== 'RabbitMqService') {
        spec[key] = value;
        continue;
      }
      const words = typeof value === 'string' ? shellWords(value) : Array.isArray(value) ? value.map((v) => this.literal(v, file, name, key)) : undefined;
      if (!words) throw new ImportError(file, `services.${name}.${key}`, 'must be a string or a list of strings');
      if (typeof value === 'string') this.find('note', file, name, key, 'a string command is written in exec form (a list of words)');
      props.push([prop, arr(words.map(lit))]);
    }
    const workingDir = take('working_dir');
    if (workingDir !== undefined) props.push(['workingDir', lit(this.literal(workingDir, file, name, 'working_dir'))]);
    if (!typed && ports.length > 0) {
      props.push(['ports', arr(ports.map((p) => obj(Object.entries(p).filter(([, v]) => v !== undefined).map(([k, v]) => [k, lit(v as string | number)]))))]);
    }
    if (isJob && ports.length > 0) this.find('unmapped', file, name, 'ports', 'a one-shot job has no ports');

    const envEntries: [string, Expr][] = [];
    for (const [key, value] of Object.entries(env)) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
        this.find('unmapped', file, name, `environment.${key}`, 'not a portable variable name (letters, digits and _), which the library requires; kept as metadata');
        spec[`environment.${key}`] = value;
        continue;
      }
      const expr = this.envValue(key, value, file, name);
      if (expr) envEntries.push([key, expr]);
    }
    if (envEntries.length > 0) props.push(['env', obj(envEntries)]);
    const envFile = take('env_file');
    if (envFile !== undefined) {
      const files = ([] as Json[]).concat(envFile).map((f) => (isMapping(f) ? f.path : f));
      props.push(['envFiles', arr(files.map((f) => call('EnvFile', 'fromFile', lit(this.appPath(service, String(f))))))]);
    }

    const health = take('healthcheck');
    if (health !== undefined) {
      const check = this.healthCheck(health, file, name);
      if (check) props.push(['healthCheck', check]);
    }
    const mounts = this.mounts(take('volumes'), take('tmpfs'), service, dataTarget);
    if (mounts.length > 0) props.push(['mounts', arr(mounts)]);

    const deploy = take('deploy');
    if (isMapping(deploy)) {
      const rest = { ...deploy };
      if (rest.replicas !== undefined) {
        if (isJob || (typed && construct !== 'StaticSite')) this.find('unmapped', file, name, 'deploy.replicas', `${construct} runs one copy`);
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

    const security = this.security(spec, file, name);
    if (security.length > 0) props.push(['security', obj(security)]);

    const deps = dependsOnMap(take('depends_on'), file, `services.${name}.depends_on`);
    if (Object.keys(deps).length > 0) props.push(['after', arr(Object.keys(deps).map((d) => ref(this.serviceVars.get(d)!)))]);

    const labels = toMap(take('labels'), file, `services.${name}.labels`);
    if (Object.keys(labels).length > 0) {
      props.push(['labels', obj(Object.entries(labels).map(([k, v]) => [k, lit(this.literal(v ?? '', file, name, `labels.${k}`))]))]);
    }
    const profiles = take('profiles');
    if (Array.isArray(profiles)) props.push(['profiles', arr(profiles.map((p) => lit(String(p))))]);
    const containerName = take('container_name');
    if (containerName !== undefined) props.push(['containerName', lit(this.literal(containerName, file, name, 'container_name'))]);
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
    const disallowed = DISALLOWED[construct] ?? [];
    for (let i = props.length - 1; i >= 0; i--) {
      if (!disallowed.includes(props[i][0])) continue;
      this.find('unmapped', file, name, props[i][0], `${construct} has no ${props[i][0]} option; kept as metadata`);
      unmapped[props[i][0]] = props[i][0] === 'healthCheck' ? (service.spec.healthcheck as Json) : (service.spec[props[i][0]] as Json) ?? null;
      props.splice(i, 1);
    }
    if (construct === 'ContainerService' && ports.length === 0 && !isJob) construct = 'Worker';
    const variable = this.variable(name);
    this.serviceVars.set(name, variable);
    if (isJob) this.jobs.add(name);
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

  private hasVolumeAt(spec: Mapping, target: string): boolean {
    return Array.isArray(spec.volumes) && spec.volumes.some((v) => (typeof v === 'string' ? v.split(':')[1] === target : isMapping(v) && v.target === target));
  }

  private ports(ports: Json | undefined, expose: Json | undefined, file: string, name: string) {
    const result: { port: number; hostPort?: number; hostIp?: string; protocol?: 'UDP' }[] = [];
    const add = (p: { port: number; hostPort?: number; hostIp?: string; protocol?: 'UDP' }) => {
      if (!result.some((r) => r.port === p.port && r.protocol === p.protocol)) result.push(p);
      else if (p.hostPort !== undefined) this.find('unmapped', file, name, 'ports', `container port ${p.port} is published twice; the library publishes a port once`);
    };
    for (const item of Array.isArray(ports) ? ports : ports === undefined ? [] : [ports]) {
      if (isMapping(item)) {
        add({
          port: Number(item.target),
          ...(item.published !== undefined ? { hostPort: Number(item.published) } : { hostPort: 0 }),
          ...(item.host_ip !== undefined ? { hostIp: String(item.host_ip) } : {}),
          ...(item.protocol === 'udp' ? { protocol: 'UDP' as const } : {}),
        });
        continue;
      }
      const text = this.literal(item, file, name, 'ports');
      const m = /^(?:(\d+\.\d+\.\d+\.\d+|\[[^\]]+\]):)?(?:(\d*):)?(\d+)(?:\/(tcp|udp))?$/.exec(text);
      if (!m) {
        this.find('unmapped', file, name, 'ports', `${text}: port ranges and this syntax have no construct option`);
        continue;
      }
      add({
        port: Number(m[3]),
        hostPort: m[2] ? Number(m[2]) : 0,
        ...(m[1] ? { hostIp: m[1] } : {}),
        ...(m[4] === 'udp' ? { protocol: 'UDP' as const } : {}),
      });
    }
    for (const item of Array.isArray(expose) ? expose : []) {
      const m = /^(\d+)(?:\/(tcp|udp))?$/.exec(String(item));
      if (!m) {
        this.find('unmapped', file, name, 'expose', `${item}: not a single port`);
        continue;
      }
      const port = { port: Number(m[1]), ...(m[2] === 'udp' ? { protocol: 'UDP' as const } : {}) };
      if (!result.some((r) => r.port === port.port && r.protocol === port.protocol)) result.push(port);
    }
    return result;
  }

  private build(build: Json, service: ServiceDef): Expr {
    if (typeof build === 'string') return obj([['context', lit(this.appPath(service, build))]]);
    if (!isMapping(build)) throw new ImportError(service.file, `services.${service.name}.build`, 'must be a path or a mapping');
    const entries: [string, Expr][] = [['context', lit(this.appPath(service, String(build.context ?? '.')))]];
    if (build.dockerfile !== undefined) entries.push(['dockerfile', lit(String(build.dockerfile))]);
    if (build.target !== undefined) entries.push(['target', lit(String(build.target))]);
    if (build.args !== undefined) {
      const args = toMap(build.args, service.file, `services.${service.name}.build.args`);
      entries.push(['args', obj(Object.entries(args).map(([k, v]) => [k, lit(this.literal(v ?? '', service.file, service.name, `build.args.${k}`))]))]);
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
    const opts = options.length > 0 ? [obj(options)] : [];
    const test = health.test;
    if (typeof test === 'string') return call('HealthCheck', 'shell', lit(this.literal(test, file, name, 'healthcheck.test')), ...opts);
    if (Array.isArray(test) && test[0] === 'CMD-SHELL') return call('HealthCheck', 'shell', lit(this.literal(test.slice(1).join(' '), file, name, 'healthcheck.test')), ...opts);
    if (Array.isArray(test) && test[0] === 'CMD') return call('HealthCheck', 'command', arr(test.slice(1).map((t) => lit(this.literal(t, file, name, 'healthcheck.test')))), ...opts);
    this.find('unmapped', file, name, 'healthcheck.test', 'must be a string or a list starting with CMD or CMD-SHELL');
    return undefined;
  }

  private mounts(volumes: Json | undefined, tmpfs: Json | undefined, service: ServiceDef, dataTarget: string | undefined): Expr[] {
    const { file, name } = service;
    const result: Expr[] = [];
    for (const item of Array.isArray(volumes) ? volumes : []) {
      let type: string, source: string | undefined, target: string, readOnly = false;
      if (typeof item === 'string') {
        const parts = this.literal(item, file, name, 'volumes').split(':');
        if (parts.length === 1) {
          this.find('unmapped', file, name, 'volumes', `${item}: an anonymous volume has no construct; use a named Volume`);
          continue;
        }
        [source, target] = parts;
        readOnly = parts[2] === 'ro';
        type = /^[.~/]/.test(source) ? 'bind' : 'volume';
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
      if (source !== undefined && dataTarget !== undefined && target === dataTarget) {
        this.find(type === 'volume' ? 'note' : 'unmapped', file, name, 'volumes', `${source}:${target} is the data directory: the construct mounts its own volume ${name}-data there${type === 'volume' ? '' : ' (a host folder as data directory has no construct option)'}`);
        continue;
      }
      if (type === 'volume' && source !== undefined && this.volumeVars.has(source)) {
        result.push(call('Mount', 'volume', ref(this.volumeVars.get(source)!), lit(target), ...(readOnly ? [obj([['readOnly', lit(true)]])] : [])));
      } else if (type === 'bind' && source !== undefined) {
        result.push(call('Mount', 'bind', lit(this.appPath(service, source)), lit(target), ...(readOnly ? [obj([['readOnly', lit(true)]])] : [])));
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
      const m = /^(\d+)(?::(\d+))?$/.exec(String(user));
      if (m) {
        result.push(['user', lit(Number(m[1]))]);
        if (m[2] !== undefined) result.push(['group', lit(Number(m[2]))]);
        delete spec.user;
      } else this.find('unmapped', file, name, 'user', `${user}: the library takes a numeric user id`);
    }
    if (spec.read_only === true) {
      result.push(['readOnlyRootFilesystem', lit(true)]);
      delete spec.read_only;
    }
    for (const [key, prop] of [['cap_drop', 'dropCapabilities'], ['cap_add', 'addCapabilities']] as const) {
      if (Array.isArray(spec[key])) {
        result.push([prop, arr((spec[key] as Json[]).map((c) => lit(String(c))))]);
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

export function planImport(input: ComposeInput, appDir: string, stackName?: string): Plan {
  return new Mapper(input, appDir, stackName).run();
}
