import * as path from 'path';
import { parseEnvFile } from '../services/files';
import { interpolation } from './values';
import { Json, Mapping, isMapping } from './parse';

/** What a normalization needs: the folder paths are relative to, files to read, the variables. */
export interface NormalizeContext {
  readonly dir: (service: string) => string;
  readonly readFile: (absolute: string) => string | undefined;
  readonly vars: ReadonlyMap<string, string>;
}

/** Resolves `${VAR}` as Compose does, keeping `$$` as `$$` (what `docker-compose config` prints). */
function interpolate(value: Json, vars: ReadonlyMap<string, string>): Json {
  if (typeof value === 'string') {
    if (!value.includes('$')) return value;
    return interpolation(value)
      .map((p) => ('text' in p ? p.text.replace(/\$/g, '$$$$') : (vars.get(p.variable) ?? p.default ?? '')))
      .join('');
  }
  if (Array.isArray(value)) return value.map((v) => interpolate(v, vars));
  if (isMapping(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, vars)]));
  return value;
}

function seconds(value: Json): Json {
  const m = /^((\d+)h)?((\d+)m)?((\d+)s)?$/.exec(String(value));
  if (!m || String(value) === '') return value;
  return `${Number(m[2] ?? 0) * 3600 + Number(m[4] ?? 0) * 60 + Number(m[6] ?? 0)}s`;
}

function toMap(value: Json | undefined): Mapping {
  if (Array.isArray(value)) {
    return Object.fromEntries(value.map((item) => {
      const text = String(item);
      const at = text.indexOf('=');
      return at < 0 ? [text, null] : [text.slice(0, at), text.slice(at + 1)];
    }));
  }
  return isMapping(value) ? value : {};
}

function absolute(dir: string, p: string): string {
  return p.startsWith('/') || p.startsWith('~') ? p : path.resolve(dir, p);
}

function port(item: Json): Json {
  if (isMapping(item)) {
    return `${item.host_ip ? `${item.host_ip}:` : ''}${item.published ?? ''}:${item.target}/${item.protocol ?? 'tcp'}`;
  }
  const m = /^(?:([^:]+):)?(?:(\d*):)?(\d+)(?:\/(tcp|udp))?$/.exec(String(item));
  if (!m) return String(item);
  return `${m[1] ? `${m[1]}:` : ''}${m[2] ?? ''}:${m[3]}/${m[4] ?? 'tcp'}`;
}

function volume(item: Json, dir: string): Json {
  if (typeof item !== 'string') {
    if (isMapping(item) && item.type === 'bind' && typeof item.source === 'string') return { ...item, source: absolute(dir, item.source) };
    return item;
  }
  const [source, target, mode] = item.split(':');
  if (target === undefined) return item;
  const src = /^[.~/]/.test(source) ? absolute(dir, source) : source;
  return `${src}:${target}:${mode ?? 'rw'}`;
}

function service(spec: Mapping, dir: string, ctx: NormalizeContext): Mapping {
  const out: Mapping = {};
  const envFromFiles: Mapping = {};
  for (const file of spec.env_file === undefined ? [] : ([] as Json[]).concat(spec.env_file)) {
    const text = ctx.readFile(absolute(dir, String(isMapping(file) ? file.path : file)));
    for (const { name, value } of parseEnvFile(text ?? '')) envFromFiles[name] = value;
  }
  for (const [key, value] of Object.entries(spec)) {
    switch (key) {
      case 'env_file':
        break;
      case 'environment':
      case 'labels':
        out[key] = toMap(value);
        break;
      case 'build':
        out[key] = typeof value === 'string' ? { context: absolute(dir, value) } : isMapping(value) ? { ...value, context: absolute(dir, String(value.context ?? '.')), ...(value.args ? { args: toMap(value.args) } : {}) } : value;
        break;
      case 'depends_on':
        out[key] = Array.isArray(value) ? Object.fromEntries(value.map((v) => [String(v), { condition: 'service_started' }])) : value;
        break;
      case 'ports':
        out[key] = ([] as Json[]).concat(value).map(port);
        break;
      case 'expose':
        out[key] = ([] as Json[]).concat(value).map((v) => String(v));
        break;
      case 'volumes':
        out[key] = ([] as Json[]).concat(value).map((v) => volume(v, dir));
        break;
      case 'tmpfs':
        out[key] = ([] as Json[]).concat(value);
        break;
      case 'healthcheck':
        out[key] = isMapping(value)
          ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, ['interval', 'timeout', 'start_period'].includes(k) ? seconds(v) : v]))
          : value;
        break;
      case 'deploy':
        out[key] = normalizeCpus(value);
        break;
      default:
        out[key] = value;
    }
  }
  if (Object.keys(envFromFiles).length > 0 || out.environment) out.environment = { ...envFromFiles, ...((out.environment as Mapping) ?? {}) };
  return out;
}

function normalizeCpus(value: Json): Json {
  if (Array.isArray(value)) return value.map(normalizeCpus);
  if (!isMapping(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === 'cpus' ? Number(v) : normalizeCpus(v)]));
}

/** A Compose document as `docker-compose config` would print it, as far as the comparison needs. */
export function normalizeCompose(doc: Mapping, ctx: NormalizeContext): Mapping {
  const resolved = interpolate(doc, ctx.vars) as Mapping;
  const services: Mapping = {};
  for (const [name, spec] of Object.entries((resolved.services as Mapping) ?? {})) {
    services[name] = service((spec ?? {}) as Mapping, ctx.dir(name), ctx);
  }
  const result: Mapping = { services };
  for (const section of ['volumes', 'networks', 'configs', 'secrets']) {
    const value = resolved[section];
    if (isMapping(value)) result[section] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, v ?? {}]));
  }
  return result;
}

const DEEP = new Set(['environment', 'labels', 'deploy', 'healthcheck', 'build', 'logging', 'depends_on']);

/** Paths where two normalized documents differ: `services.<s>.<key>` (one level deeper for mappings like environment). */
export function differences(a: Mapping, b: Mapping): string[] {
  const result: string[] = [];
  const same = (x: unknown, y: unknown) => JSON.stringify(sortKeys(x)) === JSON.stringify(sortKeys(y));
  const sa = (a.services ?? {}) as Mapping;
  const sb = (b.services ?? {}) as Mapping;
  for (const name of union(sa, sb)) {
    const x = sa[name] as Mapping | undefined;
    const y = sb[name] as Mapping | undefined;
    if (!x || !y) {
      result.push(`services.${name}`);
      continue;
    }
    for (const key of union(x, y)) {
      if (DEEP.has(key) && isMapping(x[key]) && isMapping(y[key])) {
        for (const sub of union(x[key] as Mapping, y[key] as Mapping)) {
          if (!same((x[key] as Mapping)[sub], (y[key] as Mapping)[sub])) result.push(`services.${name}.${key}.${sub}`);
        }
      } else if (!same(x[key], y[key])) result.push(`services.${name}.${key}`);
    }
  }
  for (const section of ['volumes', 'networks', 'configs', 'secrets']) {
    const x = (a[section] ?? {}) as Mapping;
    const y = (b[section] ?? {}) as Mapping;
    for (const name of union(x, y)) if (!same(x[name], y[name])) result.push(`${section}.${name}`);
  }
  return result.sort();
}

function union(a: object, b: object): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])];
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (isMapping(value)) return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys(value[k])]));
  return value;
}
