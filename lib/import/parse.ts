import * as fs from 'fs';
import * as path from 'path';
import { Document, LineCounter, isMap, isScalar, isSeq, parseDocument, visit } from 'yaml';
import { closestName } from '../core/closest-name';
import { parseEnvFile } from '../services/files';

/** A place in a file, counted from 1. */
export interface Position {
  readonly line: number;
  readonly col: number;
}

/** Bad input: the message names the file (with line and column where known) and the path of the key. */
export class ImportError extends Error {
  constructor(
    public readonly file: string,
    public readonly keyPath: string,
    public readonly reason: string,
    public readonly position?: Position,
  ) {
    super(`${file}${position ? `:${position.line}:${position.col}` : ''}${keyPath ? `: ${keyPath}` : ''}: ${reason}`);
    this.name = 'ImportError';
  }

  /** The same error with the place of its key in the file, found by `locate`. */
  public located(locate: (file: string, keyPath: string) => Position | undefined): ImportError {
    if (this.position) return this;
    const position = locate(this.file, this.keyPath);
    return position ? new ImportError(this.file, this.keyPath, this.reason, position) : this;
  }
}

/** The parsed files, to find where a key path is. */
const parsed = new Map<string, { doc: Document; lines: LineCounter }>();

/**
 * Where `keyPath` (`services.api.volumes[0]`, `services.my.app.enviroment`) is in `file`: its
 * key, or its item in a list. Keys may hold dots, so each step takes the longest key that fits.
 */
export function locate(file: string, keyPath: string): Position | undefined {
  const entry = parsed.get(file);
  if (!entry) return undefined;
  let node: unknown = entry.doc.contents;
  let rest = keyPath;
  let found: { range?: [number, number, number] | null } | undefined;
  while (rest !== '' && node) {
    const index = /^\[(\d+)\]\.?/.exec(rest);
    if (index && isSeq(node)) {
      const item = node.items[Number(index[1])] as { range?: [number, number, number] | null } | undefined;
      if (!item) break;
      found = item;
      node = item;
      rest = rest.slice(index[0].length);
      continue;
    }
    if (isSeq(node)) {
      // A list of names (depends_on: [db]) is looked up by the name.
      const item = node.items.find((i) => isScalar(i) && (rest === String(i.value) || rest.startsWith(`${String(i.value)}.`)));
      if (!item || !isScalar(item)) break;
      found = item as { range?: [number, number, number] | null };
      rest = rest.slice(String(item.value).length).replace(/^\./, '');
      node = undefined;
      continue;
    }
    if (!isMap(node)) break;
    const pairs = node.items.map((pair) => ({ pair, key: isScalar(pair.key) ? String(pair.key.value) : '' }));
    const match = pairs
      .filter(({ key }) => rest === key || rest.startsWith(`${key}.`) || rest.startsWith(`${key}[`))
      .sort((a, b) => b.key.length - a.key.length)[0];
    if (!match) break;
    found = match.pair.key as { range?: [number, number, number] | null };
    node = match.pair.value;
    rest = rest.slice(match.key.length).replace(/^\./, '');
  }
  const offset = found?.range?.[0];
  if (offset === undefined) return undefined;
  const { line, col } = entry.lines.linePos(offset);
  return { line, col };
}

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type Mapping = { [key: string]: Json };

/** One service after merging the files and resolving `extends`. */
export interface ServiceDef {
  readonly name: string;
  /** The file that defines it (the first file that mentions it). */
  readonly file: string;
  /** The folder relative paths in it are relative to. */
  readonly dir: string;
  readonly spec: Mapping;
}

/** Compose files read, merged and checked. */
export interface ComposeInput {
  readonly files: readonly string[];
  /** The folder of the first file: Compose's project directory, which names the project. */
  readonly projectDir: string;
  /** Variables of the project directory's `.env`, which Compose interpolates from. */
  readonly dotEnv: ReadonlyMap<string, string>;
  readonly services: ServiceDef[];
  readonly volumes: Mapping;
  readonly networks: Mapping;
  readonly configs: Mapping;
  readonly secrets: Mapping;
  /** Top-level `x-` extensions and `name`, which have no construct. */
  readonly extras: { file: string; key: string; value: Json }[];
}

const TOP_LEVEL = new Set(['version', 'name', 'services', 'networks', 'volumes', 'secrets', 'configs']);

let serviceKeys: Set<string> | undefined;
/** The service keys of the Compose Specification (from the schema this repository ships). */
function knownServiceKeys(): Set<string> {
  if (!serviceKeys) {
    const candidates = [path.join(__dirname, '..', 'validate', 'compose-spec.json')];
    const file = candidates.find((f) => fs.existsSync(f));
    const schema = file ? JSON.parse(fs.readFileSync(file, 'utf8')) : undefined;
    serviceKeys = new Set(Object.keys(schema?.definitions?.service?.properties ?? {}));
  }
  return serviceKeys;
}

export function isMapping(value: unknown): value is Mapping {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads one file as YAML 1.1 (what docker-compose reads). */
function readYaml(file: string, shown: string): Mapping {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new ImportError(shown, '', 'cannot read the file (does it exist?)');
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { version: '1.1', uniqueKeys: true, lineCounter: lines });
  parsed.set(shown, { doc, lines });
  if (doc.errors.length > 0) {
    const first = doc.errors[0];
    const line = first.linePos?.[0];
    throw new ImportError(shown, '', `not valid YAML${line ? ` (line ${line.line}, column ${line.col})` : ''}: ${first.message.split('\n')[0]}`);
  }
  // The yaml package's YAML 1.1 float pattern reads a lone `.` (a build context) as NaN; PyYAML reads text.
  visit(doc, {
    Scalar(_key, node) {
      if (isScalar(node) && typeof node.value === 'number' && Number.isNaN(node.value) && !/nan/i.test(String(node.source))) node.value = node.source;
    },
  });
  const value = doc.toJS({ maxAliasCount: 1000 }) as unknown;
  if (!isMapping(value)) {
    throw new ImportError(shown, '', `not a Compose file: the top level is ${describe(value)}, not a mapping with "services"`);
  }
  if (!isMapping(value.services)) {
    throw new ImportError(shown, 'services', value.services === undefined ? 'not a Compose file: no "services" mapping' : `must be a mapping of services, got ${describe(value.services)}`);
  }
  return value;
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (Array.isArray(value)) return 'a list';
  return `a ${typeof value}`;
}

/** Checks the keys of one file; unknown keys are errors with their path. */
function checkKeys(doc: Mapping, shown: string): void {
  for (const key of Object.keys(doc)) {
    if (!TOP_LEVEL.has(key) && !key.startsWith('x-')) {
      const meant = closestName(key, [...TOP_LEVEL]);
      throw new ImportError(shown, key, `unknown top-level key "${key}"${meant ? `; did you mean "${meant}"?` : ''} (Compose knows ${[...TOP_LEVEL].join(', ')} and x- extensions)`);
    }
  }
  const known = knownServiceKeys();
  for (const [name, spec] of Object.entries(doc.services as Mapping)) {
    if (spec === null) continue;
    if (!isMapping(spec)) throw new ImportError(shown, `services.${name}`, `must be a mapping, got ${describe(spec)}`);
    for (const key of Object.keys(spec)) {
      if (!known.has(key) && !key.startsWith('x-')) {
        const meant = closestName(key, [...known]);
        throw new ImportError(shown, `services.${name}.${key}`, `unknown key "${key}"${meant ? `; did you mean "${meant}"?` : ''} (docker compose refuses it too)`);
      }
    }
  }
  for (const section of ['volumes', 'networks', 'configs', 'secrets']) {
    const value = doc[section];
    if (value !== undefined && value !== null && !isMapping(value)) {
      throw new ImportError(shown, section, `must be a mapping, got ${describe(value)}`);
    }
  }
}

/** `environment` and `labels` as mappings (list form `A=b`). */
export function toMap(value: Json | undefined, file: string, keyPath: string): Mapping {
  if (value === undefined || value === null) return {};
  if (Array.isArray(value)) {
    const result: Mapping = {};
    for (const item of value) {
      if (typeof item !== 'string') throw new ImportError(file, keyPath, `list items must be strings "NAME=value", got ${describe(item)}`);
      const at = item.indexOf('=');
      result[at < 0 ? item : item.slice(0, at)] = at < 0 ? null : item.slice(at + 1);
    }
    return result;
  }
  if (isMapping(value)) return { ...value };
  throw new ImportError(file, keyPath, `must be a list or a mapping, got ${describe(value)}`);
}

/** `depends_on` as a mapping of conditions. */
export function dependsOnMap(value: Json | undefined, file: string, keyPath: string): Record<string, Mapping> {
  if (value === undefined || value === null) return {};
  if (Array.isArray(value)) {
    return Object.fromEntries(
      value.map((item) => {
        if (typeof item !== 'string') throw new ImportError(file, keyPath, `list items must be service names, got ${describe(item)}`);
        return [item, { condition: 'service_started' }];
      }),
    );
  }
  if (isMapping(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, isMapping(v) ? { condition: 'service_started', ...v } : { condition: 'service_started' }]),
    );
  }
  throw new ImportError(file, keyPath, `must be a list or a mapping, got ${describe(value)}`);
}

const MAP_KEYS = new Set(['environment', 'labels']);
const LIST_KEYS = new Set(['ports', 'expose', 'volumes', 'dns', 'dns_search', 'tmpfs', 'cap_add', 'cap_drop', 'security_opt', 'extra_hosts', 'devices', 'env_file', 'profiles', 'configs', 'secrets']);

/** Merges an override into a service, as Compose merges several files and `extends`. */
export function mergeService(base: Mapping, override: Mapping, file: string, name: string): Mapping {
  const result: Mapping = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const keyPath = `services.${name}.${key}`;
    if (MAP_KEYS.has(key)) {
      result[key] = { ...toMap(base[key], file, keyPath), ...toMap(value, file, keyPath) };
    } else if (key === 'depends_on') {
      result[key] = { ...dependsOnMap(base[key], file, keyPath), ...dependsOnMap(value, file, keyPath) };
    } else if (LIST_KEYS.has(key) && base[key] !== undefined) {
      const before = ([] as Json[]).concat(base[key] as Json);
      const added = ([] as Json[]).concat(value).filter((v) => !before.some((b) => JSON.stringify(b) === JSON.stringify(v)));
      result[key] = [...before, ...added];
    } else if (isMapping(value) && isMapping(base[key]) && key !== 'command' && key !== 'entrypoint') {
      result[key] = deepMerge(base[key] as Mapping, value);
    } else {
      result[key] = value;
    }
  }
  return result;
}

function deepMerge(base: Mapping, override: Mapping): Mapping {
  const result: Mapping = { ...base };
  for (const [key, value] of Object.entries(override)) {
    result[key] = isMapping(value) && isMapping(base[key]) ? deepMerge(base[key] as Mapping, value) : value;
  }
  return result;
}

/** Reads the files (later ones override earlier ones), resolves `extends` and checks references. */
export function loadCompose(files: readonly string[], cwd = process.cwd()): ComposeInput {
  if (files.length === 0) throw new ImportError('(no file)', '', 'give at least one Compose file');
  const services = new Map<string, { file: string; dir: string; spec: Mapping }>();
  const top: Record<'volumes' | 'networks' | 'configs' | 'secrets', Mapping> = { volumes: {}, networks: {}, configs: {}, secrets: {} };
  const extras: ComposeInput['extras'] = [];
  const cache = new Map<string, Mapping>();
  const load = (abs: string, shown: string): Mapping => {
    if (!cache.has(abs)) {
      const doc = readYaml(abs, shown);
      checkKeys(doc, shown);
      cache.set(abs, doc);
    }
    return cache.get(abs)!;
  };

  for (const shown of files) {
    const abs = path.resolve(cwd, shown);
    const doc = load(abs, shown);
    for (const [key, value] of Object.entries(doc)) {
      if (key.startsWith('x-') || key === 'name') extras.push({ file: shown, key, value });
    }
    for (const section of ['volumes', 'networks', 'configs', 'secrets'] as const) {
      for (const [name, value] of Object.entries((doc[section] as Mapping | undefined) ?? {})) {
        top[section][name] = isMapping(top[section][name]) && isMapping(value) ? deepMerge(top[section][name] as Mapping, value) : (value ?? {});
      }
    }
    for (const [name, raw] of Object.entries(doc.services as Mapping)) {
      const spec = resolveExtends(name, (raw ?? {}) as Mapping, abs, shown, cwd, load, [`${abs}#${name}`]);
      const before = services.get(name);
      services.set(name, before ? { ...before, spec: mergeService(before.spec, spec, shown, name) } : { file: shown, dir: path.dirname(abs), spec });
    }
  }

  const result: ServiceDef[] = [...services.entries()].map(([name, s]) => ({ name, ...s }));
  checkReferences(result, top);
  const projectDir = path.dirname(path.resolve(cwd, files[0]));
  const dotEnvFile = path.join(projectDir, '.env');
  const dotEnv = new Map(fs.existsSync(dotEnvFile) ? parseEnvFile(fs.readFileSync(dotEnvFile, 'utf8')).map((e) => [e.name, e.value] as const) : []);
  return { files, projectDir, dotEnv, services: result, ...top, extras };
}

function resolveExtends(
  name: string,
  spec: Mapping,
  abs: string,
  shown: string,
  cwd: string,
  load: (abs: string, shown: string) => Mapping,
  chain: string[],
): Mapping {
  const ext = spec.extends;
  if (ext === undefined) return spec;
  const keyPath = `services.${name}.extends`;
  const target = typeof ext === 'string' ? { service: ext } : isMapping(ext) ? ext : undefined;
  if (!target || typeof target.service !== 'string') {
    throw new ImportError(shown, keyPath, 'must be a service name or {service, file}');
  }
  const baseShown = typeof target.file === 'string' ? path.join(path.dirname(shown), target.file) : shown;
  const baseAbs = typeof target.file === 'string' ? path.resolve(path.dirname(abs), target.file) : abs;
  const baseDoc = load(baseAbs, path.relative(cwd, baseAbs) || baseShown);
  const baseRaw = (baseDoc.services as Mapping)[target.service];
  if (baseRaw === undefined) {
    throw new ImportError(shown, keyPath, `extends service "${target.service}", which ${typeof target.file === 'string' ? `${target.file} does not define` : 'is not defined in this file'}`);
  }
  const id = `${baseAbs}#${target.service}`;
  if (chain.includes(id)) throw new ImportError(shown, keyPath, `extends itself through ${chain.map((c) => c.split('#')[1]).join(' -> ')} -> ${target.service}`);
  const base = resolveExtends(target.service, (baseRaw ?? {}) as Mapping, baseAbs, baseShown, cwd, load, [...chain, id]);
  const rest = { ...spec };
  delete rest.extends;
  return mergeService(base, rest, shown, name);
}

function checkReferences(services: ServiceDef[], top: { volumes: Mapping; networks: Mapping }): void {
  const names = new Set(services.map((s) => s.name));
  const edges = new Map<string, string[]>();
  for (const service of services) {
    const deps = dependsOnMap(service.spec.depends_on, service.file, `services.${service.name}.depends_on`);
    for (const [target, spec] of Object.entries(deps)) {
      if (!names.has(target)) {
        throw new ImportError(service.file, `services.${service.name}.depends_on.${target}`, `depends on service "${target}", which is not defined`);
      }
      const condition = spec.condition;
      if (!['service_started', 'service_healthy', 'service_completed_successfully'].includes(String(condition))) {
        throw new ImportError(service.file, `services.${service.name}.depends_on.${target}.condition`, `unknown condition ${JSON.stringify(condition)}`);
      }
    }
    edges.set(service.name, Object.keys(deps));
    const networks = service.spec.networks;
    for (const network of Array.isArray(networks) ? networks : isMapping(networks) ? Object.keys(networks) : []) {
      if (typeof network === 'string' && network !== 'default' && !(network in top.networks)) {
        throw new ImportError(service.file, `services.${service.name}.networks.${network}`, `uses network "${network}", which is not defined under the top-level "networks"`);
      }
    }
    const volumes = Array.isArray(service.spec.volumes) ? service.spec.volumes : [];
    volumes.forEach((volume, index) => {
      const source = typeof volume === 'string' ? volume.split(':')[0] : isMapping(volume) && volume.type === 'volume' ? volume.source : undefined;
      if (typeof source === 'string' && volume !== source && /^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(source) && !(source in top.volumes)) {
        throw new ImportError(service.file, `services.${service.name}.volumes[${index}]`, `uses volume "${source}", which is not defined under the top-level "volumes"`);
      }
    });
  }
  // A cycle in depends_on: Compose could never start it.
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, trail: string[]): void => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') {
      const cycle = [...trail.slice(trail.indexOf(name)), name];
      const service = services.find((s) => s.name === trail[trail.length - 1])!;
      throw new ImportError(service.file, `services.${service.name}.depends_on.${name}`, `depends_on has a cycle: ${cycle.join(' -> ')}`);
    }
    state.set(name, 'visiting');
    for (const next of edges.get(name) ?? []) visit(next, [...trail, name]);
    state.set(name, 'done');
  };
  for (const service of services) visit(service.name, []);
}
