import * as fs from 'fs';
import * as path from 'path';
import { buildApp, generateSource } from './generate';
import { differences, normalizeCompose } from './normalize';
import { ComposeInput, ImportError, Mapping, loadCompose, locate } from './parse';
import { Plan, planImport } from './recognize';
import { ImportFinding } from './report';

export { ImportError } from './parse';
export { ImportFinding, formatReport, formatFinding } from './report';

export interface ImportResult {
  /** The app.ts source. */
  readonly source: string;
  readonly stackName: string;
  /** Unmapped keys, notes and differences, in a stable order. */
  readonly findings: ImportFinding[];
  readonly summary: ImportSummary;
}

/** What the import made of the input, in numbers and names. */
export interface ImportSummary {
  readonly services: number;
  /** Service names by the construct each became. */
  readonly constructs: Readonly<Record<string, readonly string[]>>;
  readonly volumes: number;
  /** Compose variables that became deploy-time parameters. */
  readonly parameters: readonly string[];
}

/** Why the synthesized file differs at `key` of a service built with `construct`. */
function reason(construct: string, key: string): string {
  const top = key.split('.')[0];
  const typed = !['ContainerService', 'Worker', 'MigrationJob'].includes(construct);
  if (top === 'restart') return 'a service without a restart policy restarts unless-stopped in the library (Compose\'s default is "no"); a job never restarts';
  if (top === 'expose') return 'the library lists every container port under `expose` (they are the Kubernetes Service ports)';
  if (top === 'security_opt') return 'no-new-privileges is on by default for the constructs that set it';
  if (top === 'healthcheck') return typed ? `${construct} writes its own health check` : 'the library writes interval, timeout and retries of every health check (its defaults where the input has none), and a string test as CMD-SHELL';
  if (top === 'command' || top === 'entrypoint') return typed ? `${construct} writes its own ${top}` : 'written in exec form (a list of words)';
  if (top === 'depends_on') return 'the library derives the condition from the target: healthy when it has a health check, completed for a job, started otherwise';
  if (top === 'environment') return typed ? `${construct} sets its own environment (or the value was baked / kept as a secret variable, see the notes)` : 'a variable default was baked in or a variable kept as a Secret (see the notes)';
  if (top === 'volumes') return typed ? `${construct} mounts its own data volume <name>-data unless the input gives one` : 'mounts are rendered by the library (see the unmapped keys)';
  if (top === 'deploy') return 'the library writes memory in binary units (512m) and only replicas and resources';
  if (top === 'image') return typed ? `${construct} pins the image it was given as version` : 'the image text changed (a variable was baked, see the notes)';
  if (top === 'ports') return typed ? `${construct} publishes only its own ports` : 'ports are rendered by the library (see the unmapped keys)';
  if (top === 'user' || top === 'cap_drop' || top === 'cap_add' || top === 'read_only') return `${construct} hardens the container as the library does`;
  return typed ? `rendered by ${construct}` : 'a key without a construct option (see the unmapped keys)';
}

/** The library's public exports, loaded lazily (the CLI needs them only for import). */
function library(): Record<string, any> {
  return require('../index');
}

/**
 * Imports Compose files: reads and checks them, writes an app.ts, and synthesizes it in memory
 * to report every difference from the input (after both are normalized as `docker-compose
 * config` does).
 */
export function importCompose(files: readonly string[], options: { cwd?: string; outFile?: string; stackName?: string } = {}): ImportResult {
  const cwd = options.cwd ?? process.cwd();
  const outFile = path.resolve(cwd, options.outFile ?? 'app.ts');
  const appDir = path.dirname(outFile);
  try {
    const input = loadCompose(files, cwd);
    const plan = planImport(input, appDir, options.stackName);
    const source = generateSource(plan, files);
    const findings = [...plan.findings, ...compare(input, plan, appDir, cwd)];
    return { source, stackName: plan.stackName, findings, summary: summarize(plan) };
  } catch (error) {
    throw error instanceof ImportError ? error.located(locate) : error;
  }
}

/** What became which construct: `PostgresService: db; ContainerService: web, api`. */
function summarize(plan: Plan): ImportSummary {
  const services = plan.declarations.filter((d) => d.service !== undefined);
  const constructs: Record<string, string[]> = {};
  for (const d of services) (constructs[d.construct] ??= []).push(d.id);
  return {
    services: services.length,
    constructs,
    volumes: plan.declarations.filter((d) => d.construct === 'Volume').length,
    parameters: plan.declarations.filter((d) => d.construct === 'Parameter').map((d) => d.id),
  };
}

function compare(input: ComposeInput, plan: Plan, appDir: string, cwd: string): ImportFinding[] {
  const lib = library();
  const { stack } = buildApp(plan, lib, { outdir: 'cdk.out', printSummary: false, sourceDir: appDir });
  const synthesized = lib.Testing.synth(stack);
  const outDir = path.join(appDir, 'cdk.out', plan.stackName);
  const example = synthesized.files['.env.example'] ?? '';
  const vars = new Map<string, string>();
  for (const line of example.split('\n')) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(line);
    if (m) vars.set(m[1], dummyValue(m[1]));
  }
  const dirs = new Map(input.services.map((s) => [s.name, s.dir]));
  const firstDir = path.dirname(path.resolve(cwd, input.files[0]));
  const inputDoc: Mapping = {
    services: Object.fromEntries(input.services.map((s) => [s.name, s.spec])),
    ...(Object.keys(input.volumes).length ? { volumes: input.volumes } : {}),
    ...(Object.keys(input.networks).length ? { networks: input.networks } : {}),
    ...(Object.keys(input.configs).length ? { configs: input.configs } : {}),
    ...(Object.keys(input.secrets).length ? { secrets: input.secrets } : {}),
  };
  const readFile = (f: string) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : undefined);
  const before = normalizeCompose(inputDoc, { dir: (s) => dirs.get(s) ?? firstDir, readFile, vars });
  const after = normalizeCompose(JSON.parse(JSON.stringify(synthesized.compose)) as Mapping, {
    dir: () => outDir,
    readFile: (f) => synthesized.files[path.relative(outDir, f)] ?? readFile(f),
    vars,
  });
  const constructOf = new Map(plan.declarations.map((d) => [d.id, d.construct]));
  const fileOf = new Map(input.services.map((s) => [s.name, s.file]));
  return differences(before, after).map((p) => {
    const parts = p.split('.');
    if (parts[0] === 'services') {
      const service = parts[1];
      const key = parts.slice(2).join('.');
      return { kind: 'difference' as const, file: fileOf.get(service) ?? input.files[0], service, key, message: reason(constructOf.get(service) ?? 'ContainerService', key || 'service') };
    }
    const why = parts[0] === 'volumes' ? 'a typed construct keeps its data on a volume of its own (<name>-data) when the input gives none' : 'top-level entries are rendered by the library';
    return { kind: 'difference' as const, file: input.files[0], key: p, message: why };
  });
}

/** The value the round-trip comparison gives a variable (tests write the same into `.env`). */
export function dummyValue(name: string): string {
  return `dummy-${name.toLowerCase()}`;
}
