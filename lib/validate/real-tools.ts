/**
 * Checks synthesized stack output with tools and schemas that nobody on this project wrote:
 * the official Compose Specification JSON schema, Kubernetes' own OpenAPI types (as compiled by
 * the `kubernetes-models` package), Debian's `docker-compose` (Compose v1), `docker compose`
 * (Compose v2, what users run; compose-v2.ts finds it) and `kubectl kustomize`. One
 * check is ours: the API server's pod naming rules that no schema expresses (pod-rules.ts).
 *
 * A stack folder looks like:
 *   <stackDir>/compose.yaml, <stackDir>/.env.example,
 *   <stackDir>/k8s/*.yaml (one object per file), <stackDir>/k8s/kustomization.yaml,
 *   <stackDir>/chart/ (a Helm chart: Chart.yaml, values.yaml, values.schema.json, templates/)
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { parseAllDocuments, visit } from 'yaml';
import { PROFILES_FOLDER } from '../render/k8s/profile-overlays';
import { composeV2 } from './compose-v2';
import { helmBinary } from './helm';
import { composeConnections, formatConnection, kubernetesConnections } from './connections';
import { formatParityProblem, parityProblems } from './parity';
import { MissingToolError } from './missing-tool';
import { podTemplateProblems } from './pod-rules';

// ---------------------------------------------------------------------------------------------
// YAML
// ---------------------------------------------------------------------------------------------

/**
 * docker-compose (PyYAML) and kubectl (go-yaml) read YAML 1.1, where an unquoted `no` is a
 * boolean and `2222:22` a number; parsing as 1.1 makes the schema checks see what the tools see.
 */
const YAML_VERSION = '1.1';

/** Every non-empty document of a YAML stream, as plain JS; throws on a syntax error. */
function parseYamlStream(text: string, source?: string): unknown[] {
  const docs = parseAllDocuments(text, { version: YAML_VERSION });
  // parseAllDocuments returns an EmptyStream (not an array) for an empty input.
  if (!Array.isArray(docs)) return [];
  const values: unknown[] = [];
  for (const doc of docs) {
    if (doc.errors.length > 0) {
      const where = source ? ` in ${source}` : '';
      throw new Error(`invalid YAML${where}: ${doc.errors.map((e) => e.message).join('; ')}`);
    }
    // The yaml package's YAML 1.1 float pattern reads a lone `.` as NaN; PyYAML and go-yaml read text.
    visit(doc, {
      Scalar(_key, node) {
        if (typeof node.value === 'number' && Number.isNaN(node.value) && !/nan/i.test(String(node.source))) node.value = node.source;
      },
    });
    const value: unknown = doc.toJS();
    if (value !== null && value !== undefined) values.push(value);
  }
  return values;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------------------------------------
// Ajv errors
// ---------------------------------------------------------------------------------------------

/** `instancePath message`, plus the offending name or the allowed values when Ajv has them. */
function formatAjvError(error: ErrorObject): string {
  const where = error.instancePath === '' ? '/' : error.instancePath;
  const params = error.params as Record<string, unknown>;
  let detail = '';
  if (typeof params.additionalProperty === 'string') detail = ` ("${params.additionalProperty}")`;
  else if (Array.isArray(params.allowedValues)) detail = `: ${JSON.stringify(params.allowedValues)}`;
  return `${where} ${error.message ?? error.keyword}${detail}`;
}

function formatAjvErrors(errors: readonly ErrorObject[] | null | undefined): string[] {
  // oneOf branches often repeat the same complaint; once is enough.
  return [...new Set((errors ?? []).map(formatAjvError))];
}

// ---------------------------------------------------------------------------------------------
// 1. Compose Specification schema
// ---------------------------------------------------------------------------------------------

const COMPOSE_SCHEMA_FILE = path.join(__dirname, 'compose-spec.json');
let composeValidator: ValidateFunction | undefined;

function loadComposeValidator(): ValidateFunction {
  const { $schema, ...schema } = JSON.parse(fs.readFileSync(COMPOSE_SCHEMA_FILE, 'utf8')) as Record<
    string,
    unknown
  >;
  // The file names draft-07 by an https URL Ajv has no alias for; draft-07 is Ajv's default, so
  // drop the name after checking it, rather than let a future draft bump slip by unnoticed.
  if (typeof $schema !== 'string' || !$schema.includes('draft-07')) {
    throw new Error(`${COMPOSE_SCHEMA_FILE}: expected a draft-07 schema, got $schema=${String($schema)}`);
  }
  // strictTypes only judges the schema's authoring style (it has unions and untyped
  // additionalProperties); unknown keywords and formats still fail loudly.
  const Ajv = requireOptional<{ default: new (options: object) => { compile(schema: object): ValidateFunction } }>('ajv').default;
  const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false });
  return ajv.compile(schema);
}

/** Validates a parsed compose document against the official Compose Specification schema. */
export function validateComposeSchema(doc: unknown): string[] {
  composeValidator ??= loadComposeValidator();
  return composeValidator(doc) ? [] : formatAjvErrors(composeValidator.errors);
}

// ---------------------------------------------------------------------------------------------
// 2. Kubernetes objects
// ---------------------------------------------------------------------------------------------
//
// kubernetes-models ships, per kind, a validator that Ajv compiled from the official Kubernetes
// OpenAPI definitions: it enforces types, required fields and enums, but NOT unknown fields
// (`spec.replica` passes; see real-tools.test.ts). The package ships only that compiled code, not
// the OpenAPI JSON, and no npm package we could find ships the definitions of a current
// Kubernetes release (only 1.13-1.17-era swagger files), so `additionalProperties: false`
// cannot be added to a schema.
//
// Strictness is instead derived from the same compiled validators: Ajv's code reads every
// property its schema declares (`data.replicas !== undefined`, with allErrors, which
// kubernetes-models compiles with) and enumerates every key of a map (`additionalProperties:
// {type: string}`, e.g. labels). Running the validator over a proxy that records reads, any key
// that was never read is a field the schema does not declare. An object whose keys were not
// read at all, and no enumeration happened, is free-form in the schema (RawExtension, FieldsV1,
// x-kubernetes-preserve-unknown-fields) and is left alone, exactly as `additionalProperties:
// false` would only be added where a schema has `properties`.
//
// Version note: kubernetes-models 5.x is ESM-only and requires Node >= 22; this project runs
// Node 20 and Jest in CommonJS, so the 4.x line (same generator, CommonJS) is used. 4.5.1 has
// Kubernetes 1.33-era definitions (networking.k8s.io/v1 ServiceCIDR, no 1.34 restartPolicyRules).
// Like the package, this also accepts APIs that current clusters removed (extensions/v1beta1...).

/** The part of a kubernetes-models class this module relies on. */
interface ModelClass {
  apiVersion?: unknown;
  kind?: unknown;
  prototype: { validate(this: unknown): void };
}

type KindValidator = (obj: Record<string, unknown>) => string[];

/** Validators (or the reason there is none) per `apiVersion kind`, so each loads once. */
const kindValidators = new Map<string, KindValidator | string>();

/** `apps/v1` -> `apps/v1`, `v1` -> `v1`; undefined when it is not shaped like an apiVersion. */
function modelModulePath(apiVersion: string): string | undefined {
  const match = /^(?:([a-z0-9]([-a-z0-9.]*[a-z0-9])?)\/)?(v[0-9]+(?:(?:alpha|beta)[0-9]+)?)$/.exec(apiVersion);
  if (!match) return undefined;
  return match[1] ? `${match[1]}/${match[3]}` : match[3];
}

function isModuleMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'MODULE_NOT_FOUND' || code === 'ERR_PACKAGE_PATH_NOT_EXPORTED';
}

function isModelClassOf(value: unknown, apiVersion: string, kind: string): value is ModelClass {
  if (typeof value !== 'function') return false;
  const model = value as unknown as ModelClass;
  return model.apiVersion === apiVersion && model.kind === kind && typeof model.prototype.validate === 'function';
}

function loadModelClass(apiVersion: string, kind: string): ModelClass | string {
  const modulePath = modelModulePath(apiVersion);
  if (!modulePath) return `unknown apiVersion "${apiVersion}"`;
  let exported: Record<string, unknown>;
  try {
    exported = require(`kubernetes-models/${modulePath}`) as Record<string, unknown>;
  } catch (error) {
    if (!isModuleMissing(error)) throw error;
    requireOptional('kubernetes-models');
    return `unknown apiVersion "${apiVersion}"`;
  }
  const candidate: unknown = exported[kind];
  // Modules also export nested types (DeploymentSpec...): only top-level kinds carry these.
  if (!isModelClassOf(candidate, apiVersion, kind)) return `unknown kind "${kind}" in apiVersion "${apiVersion}"`;
  return candidate;
}

/** What the validator did with one object or array of the input. */
interface Visit {
  readonly value: object;
  readonly path: string;
  readonly readKeys: Set<string>;
  inspected: boolean;
}

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Wraps `root` so that every read the validator makes is recorded in the returned visits. */
function trackReads(root: object): { proxy: object; visits: Visit[] } {
  const visits: Visit[] = [];
  const proxies = new Map<object, object>();

  const wrap = (value: object, pointer: string): object => {
    const existing = proxies.get(value);
    if (existing) return existing;
    const visit: Visit = { value, path: pointer, readKeys: new Set(), inspected: false };
    visits.push(visit);
    const child = (key: string): unknown => {
      const v: unknown = Reflect.get(value, key);
      return typeof v === 'object' && v !== null ? wrap(v, `${pointer}/${escapePointer(key)}`) : v;
    };
    const proxy = new Proxy(value, {
      get(target, key, receiver) {
        if (typeof key !== 'string') return Reflect.get(target, key, receiver);
        visit.inspected = true;
        visit.readKeys.add(key);
        return Object.prototype.hasOwnProperty.call(target, key) ? child(key) : Reflect.get(target, key, receiver);
      },
      has(target, key) {
        visit.inspected = true;
        if (typeof key === 'string') visit.readKeys.add(key);
        return Reflect.has(target, key);
      },
      getOwnPropertyDescriptor(target, key) {
        visit.inspected = true;
        if (typeof key === 'string') visit.readKeys.add(key);
        return Reflect.getOwnPropertyDescriptor(target, key);
      },
      ownKeys(target) {
        visit.inspected = true;
        return Reflect.ownKeys(target);
      },
    });
    proxies.set(value, proxy);
    return proxy;
  };

  return { proxy: wrap(root, ''), visits };
}

function unknownFields(visits: readonly Visit[]): string[] {
  const errors: string[] = [];
  for (const visit of visits) {
    if (!visit.inspected || Array.isArray(visit.value)) continue;
    for (const key of Object.keys(visit.value)) {
      if (!visit.readKeys.has(key)) errors.push(`${visit.path || '/'} has unknown field "${key}"`);
    }
  }
  return errors;
}

function validationErrorsOf(error: unknown): readonly ErrorObject[] | undefined {
  const errors = (error as { errors?: unknown } | undefined)?.errors;
  return Array.isArray(errors) ? (errors as ErrorObject[]) : undefined;
}

function strictValidator(model: ModelClass): KindValidator {
  return (obj) => {
    // A private copy: proxies must be able to hand out wrapped children, which frozen input forbids.
    const { proxy, visits } = trackReads(structuredClone(obj));
    let schemaErrors: string[] = [];
    try {
      model.prototype.validate.call(proxy);
    } catch (error) {
      const errors = validationErrorsOf(error);
      if (!errors) throw error;
      schemaErrors = formatAjvErrors(errors);
    }
    return [...schemaErrors, ...unknownFields(visits)];
  };
}

function validatorFor(apiVersion: string, kind: string): KindValidator | string {
  const cacheKey = `${apiVersion} ${kind}`;
  let entry = kindValidators.get(cacheKey);
  if (entry === undefined) {
    const model = loadModelClass(apiVersion, kind);
    entry = typeof model === 'string' ? model : strictValidator(model);
    kindValidators.set(cacheKey, entry);
  }
  return entry;
}

function metadataNameErrors(obj: Record<string, unknown>): string[] {
  const metadata = obj.metadata;
  const name = isRecord(metadata) ? metadata.name : undefined;
  return typeof name === 'string' && name !== '' ? [] : ['/metadata/name is required'];
}

/**
 * Validates one Kubernetes object against the official schema of its apiVersion/kind, strict
 * about unknown fields, and its pod template against the API server's naming rules
 * (pod-rules.ts). Returns readable errors; empty when valid.
 */
export function validateKubernetesObject(obj: unknown): string[] {
  if (!isRecord(obj)) return [`expected a Kubernetes object (a mapping), got ${obj === null ? 'null' : typeof obj}`];
  const { apiVersion, kind } = obj;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
    return ['/ must have string apiVersion and kind'];
  }
  const validator = validatorFor(apiVersion, kind);
  if (typeof validator === 'string') return [validator];
  return [...validator(obj), ...metadataNameErrors(obj), ...podTemplateProblems(obj)];
}

// ---------------------------------------------------------------------------------------------
// Running the real tools
// ---------------------------------------------------------------------------------------------

export { MissingToolError };

/** An npm package a check needs; they are optional for users of the library. */
function requireOptional<T>(name: string): T {
  try {
    return require(name) as T;
  } catch (error) {
    if (isModuleMissing(error)) {
      throw new MissingToolError(`the npm package ${name} is not installed; install it with \`npm install --save-dev ${name}\``);
    }
    throw error;
  }
}

const INSTALL_HINTS: Record<string, string> = {
  'docker-compose': 'install it with `apt-get install -y docker-compose` (Debian\'s 1.29 package; .ci/run does this)',
  kubectl: 'install kubectl (it provides `kubectl kustomize`); .ci/run checks for it',
};

/**
 * Only what a tool needs to run: none of the caller's variables, so nothing in the caller's
 * shell can satisfy a `${VAR:?}` that the stack's own .env.example should have listed.
 */
function cleanEnv(home: string): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin', HOME: home, LANG: 'C.UTF-8' };
}

function runTool(command: string, args: string[], cwd: string, home: string, options: { stdoutInError?: boolean } = {}): { stdout: string; stderr: string } {
  const result = spawnSync(command, args, {
    cwd,
    env: cleanEnv(home),
    encoding: 'utf8',
    timeout: 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) {
    if ((result.error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new MissingToolError(`\`${command}\` was not found on PATH: ${INSTALL_HINTS[command] ?? 'install it'}`);
    }
    throw new Error(`${command} ${args.join(' ')}: ${result.error.message}`);
  }
  if (result.status !== 0) {
    const exit = result.status ?? result.signal;
    const output = options.stdoutInError ? `${result.stdout.trim()}\n${result.stderr.trim()}`.trim() : result.stderr.trim();
    throw new Error(`\`${command} ${args.join(' ')}\` failed (exit ${exit}):\n${output}`);
  }
  return { stdout: result.stdout, stderr: result.stderr };
}

/**
 * Runs `fn` on a throwaway copy of `srcDir` (and a throwaway HOME), then deletes both.
 * Any `.env` in the source is left behind: real secrets are never copied, and runs use dummies.
 */
function withTempCopy<T>(srcDir: string, fn: (dir: string, home: string) => T): T {
  if (!fs.statSync(srcDir).isDirectory()) throw new Error(`${srcDir} is not a directory`);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-compose-real-tools-'));
  try {
    const dir = path.join(root, 'work');
    const home = path.join(root, 'home');
    fs.mkdirSync(home);
    fs.cpSync(srcDir, dir, { recursive: true, filter: (src) => path.basename(src) !== '.env' });
    return fn(dir, home);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/** `.env.example` with every empty `VAR=` given the value `dummy-VAR`; other lines kept. */
function dummyEnv(example: string): string {
  return example
    .split(/\r?\n/)
    .map((line) => line.replace(/^(\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=)\s*$/, '$1dummy-$2'))
    .join('\n');
}

function writeDummyEnv(exampleFile: string, envFile: string): void {
  fs.writeFileSync(envFile, dummyEnv(fs.readFileSync(exampleFile, 'utf8')));
}

// ---------------------------------------------------------------------------------------------
// 3. docker-compose config
// ---------------------------------------------------------------------------------------------

/**
 * Runs `docker-compose -f compose.yaml config` in the stack's folder, with variables from
 * `.env.example` (dummy values) and a clean environment. Throws with docker-compose's stderr.
 *
 * Debian's docker-compose 1.29 predates parts of the Compose Specification. Found by experiment
 * (docker-compose 1.29.2, spec schema at compose-spec a08f8d51): each of these is ACCEPTED by the
 * spec schema and REJECTED by `docker-compose config`, so the synthesizer must not emit them
 * while v1 is checked (docs/decisions/0007 keeps it; dockerComposeV2Config checks v2):
 *   top level:  `name`, `include`, `models`; `secrets.*.environment`; `configs.*.content`;
 *               `networks.*.enable_ipv4`
 *   services.*: `depends_on.*.required`, `depends_on.*.restart`; `healthcheck.start_interval`;
 *               `develop`, `annotations`, `attach`, `post_start`, `pre_stop`, `gpus`, `uts`,
 *               `cgroup`, `label_file`, `pull_refresh_after`;
 *               `pull_policy: missing` (and the other values beyond always/never/if_not_present/build);
 *               `env_file` long syntax (`[{path, required}]`; only a string or list of strings);
 *               `ports[]` long syntax `name`, `app_protocol`, `host_ip`, and a `published` range
 *               (`"8080-8081"`; it must be a single integer);
 *               `volumes[]` long syntax `volume.subpath`, `volume.labels`, `bind.create_host_path`,
 *               `bind.selinux`, `tmpfs.mode`; `devices[]` long syntax;
 *               `networks.<net>.mac_address`; `deploy.resources.limits.pids`;
 *               `build.tags`, `build.additional_contexts`, `build.dockerfile_inline`, `build.secrets`;
 *               a boolean value in an `environment` mapping (`FLAG: true`; quote it: `"true"`)
 *   interpolation: `${VAR:+alt}` and `${VAR+alt}` ("Invalid interpolation format");
 *               `${VAR:?msg}`, `${VAR?msg}`, `${VAR:-default}` and nested defaults work.
 * Accepted by both: no top-level `version`, `depends_on.*.condition` (incl.
 * service_completed_successfully), `restart: "no"`, healthcheck interval/timeout/retries/
 * start_period, long-syntax ports (target/published/protocol/mode) and volumes (read_only,
 * volume.nocopy, tmpfs.size), `x-` extensions.
 * Not caught by 1.29's `config` (nor by the schema): a service using an undefined top-level
 * secret or network; an undefined named volume or depends_on target IS caught.
 * Passed by `config` with only a warning on stderr (exit 0), then ignored by `up` outside a
 * swarm: `configs`, top level and per service. A real engine run showed it (the mounted script
 * was missing), so config files are read-only bind mounts instead (docs/decisions/0006).
 */
export function dockerComposeConfig(stackDir: string): { stdout: string } {
  // In place, so that build contexts and bind mounts relative to the stack's folder resolve as
  // they do for the user; the dummy values come from a file of their own (--env-file), so a
  // `.env` the user filled in is neither read nor touched.
  return withTempHome((home) => {
    const example = path.join(stackDir, '.env.example');
    const envFile = path.join(home, 'dummy.env');
    if (fs.existsSync(example)) writeDummyEnv(example, envFile);
    else fs.writeFileSync(envFile, '');
    const { stdout, stderr } = runTool('docker-compose', ['--env-file', envFile, '-f', 'compose.yaml', 'config'], stackDir, home);
    // A key docker-compose accepts and then leaves out of `up` is as wrong as one it refuses.
    const ignored = stderr.split('\n').filter((line) => /will be ignored/.test(line));
    if (ignored.length > 0) throw new Error(`\`docker-compose config\` warns that it ignores part of the file:\n${ignored.join('\n')}`);
    return { stdout };
  });
}

/** Runs `fn` with a throwaway HOME folder, then deletes it. */
function withTempHome<T>(fn: (home: string) => T): T {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-compose-real-tools-home-'));
  try {
    return fn(home);
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// 3b. docker compose config (Compose v2)
// ---------------------------------------------------------------------------------------------

/** The message of each warning Compose v2 logged (`time=... level=warning msg="..."`, or `WARN[0000] ...` on a terminal). */
function composeV2Warnings(stderr: string): string[] {
  return stderr.split('\n').flatMap((line) => {
    if (/^WARN\[\d+\] /.test(line)) return [line.replace(/^WARN\[\d+\] /, '')];
    if (!/\blevel=warn(ing)?\b/.test(line)) return [];
    const message = /\bmsg="((?:[^"\\]|\\.)*)"/.exec(line)?.[1];
    return [message === undefined ? line : message.replace(/\\(.)/g, '$1')];
  });
}

/** Whether a service of the compose file is in a profile; true when the file does not parse, so that v2 says why. */
function usesProfiles(composeFile: string): boolean {
  try {
    const [doc] = parseYamlStream(fs.readFileSync(composeFile, 'utf8'));
    const services = isRecord(doc) && isRecord(doc.services) ? Object.values(doc.services) : [];
    return services.some((service) => isRecord(service) && service.profiles !== undefined);
  } catch {
    return true;
  }
}

/**
 * Runs `docker compose config` (Compose v2, found by composeV2() in compose-v2.ts) on a copy of
 * the stack, as dockerComposeConfig does Compose v1: a `.env` made from `.env.example` (dummy
 * values) and a clean environment. It runs with the default profiles (what `up` starts) and,
 * when a service is in a profile, again with every profile (`--profile '*'`), since v2 leaves
 * the services of inactive profiles out of its checks. Throws with Compose's stderr on an
 * error, and on any warning: each one Compose 5.6 prints for a file says that part of it is
 * ignored, obsolete, or read other than written.
 *
 * Found by experiment (Compose 5.6.0 with compose-go 2.16.1, against docker-compose 1.29.2;
 * docs/decisions/0007):
 *   rejected by v2, passed by v1: a service on an undefined network or secret; `container_name`
 *               with `deploy.replicas` above 1; different values in `mem_limit` and
 *               `deploy.resources.limits.memory` (also `cpus`, `mem_reservation`, `pids_limit`,
 *               `scale` against `deploy.replicas`); a service outside any profile that depends
 *               on one inside a profile.
 *   warned by v2 (exit 0), a failure here: what only a swarm honours (`deploy.mode`,
 *               `deploy.labels`, `deploy.placement`, `deploy.update_config`,
 *               `deploy.rollback_config`, `deploy.endpoint_mode`, `ports[].mode: host`, `uid`,
 *               `gid` and `mode` of a service's `configs` or `secrets`); a top-level `version`;
 *               `yes`/`no` for a boolean; an unset variable; `external.name`.
 *   accepted by v2, rejected by v1: see dockerComposeConfig (top-level `name`,
 *               `depends_on.*.required`, `healthcheck.start_interval`, `${VAR:+alt}`, a boolean
 *               `environment` value, `tmpfs.mode`...); v2 also reads an unquoted `restart: no`
 *               as the string (YAML 1.2).
 *   passed by v2, rejected by v1: two mounts at one container path (`- one:/data`,
 *               `- two:/data`); v2 keeps the last one and drops the other without a word.
 */
export function dockerComposeV2Config(stackDir: string): { stdout: string; version: string } {
  const { binary, version } = composeV2();
  // In place, as for v1: relative build contexts and binds resolve as they do for the user.
  return withTempHome((home) => {
    const example = path.join(stackDir, '.env.example');
    const envFile = path.join(home, 'dummy.env');
    if (fs.existsSync(example)) writeDummyEnv(example, envFile);
    else fs.writeFileSync(envFile, '');
    const profiles = usesProfiles(path.join(stackDir, 'compose.yaml')) ? [['--profile', '*']] : [];
    const runs = [[], ...profiles].map((options) => ['--env-file', envFile, '-f', 'compose.yaml', ...options, 'config']).map((args) => {
      try {
        return runTool(binary, args, stackDir, home);
      } catch (error) {
        if (error instanceof MissingToolError) throw error;
        throw new Error(`Compose ${version}: ${(error as Error).message}`);
      }
    });
    const warnings = [...new Set(runs.flatMap((run) => composeV2Warnings(run.stderr)))];
    if (warnings.length > 0) throw new Error(`\`docker compose config\` (Compose ${version}) warns:\n${warnings.join('\n')}`);
    return { stdout: runs[0].stdout, version };
  });
}

// ---------------------------------------------------------------------------------------------
// 4. kubectl kustomize
// ---------------------------------------------------------------------------------------------

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** Whether a secret/configMap generator of the kustomization in `dir` reads `.env`. */
function kustomizationReadsDotEnv(dir: string): boolean {
  const file = KUSTOMIZATION_FILES.map((name) => path.join(dir, name)).find((f) => fs.existsSync(f));
  if (!file) return false;
  let kustomization: unknown;
  try {
    [kustomization] = parseYamlStream(fs.readFileSync(file, 'utf8'));
  } catch {
    return false; // kubectl will report the broken file itself.
  }
  if (!isRecord(kustomization)) return false;
  const generators = [kustomization.secretGenerator, kustomization.configMapGenerator]
    .filter(Array.isArray)
    .flat()
    .filter(isRecord);
  return generators.some((generator) => {
    // `env` is the deprecated single-file form of `envs`.
    const files = [generator.envs, generator.env].flat().filter((f): f is string => typeof f === 'string');
    return files.some((f) => path.normalize(f) === '.env');
  });
}

/** The stack's `.env.example` (parent of k8s/), else one inside k8s/, else none. */
function findEnvExample(k8sDir: string): string | undefined {
  return [path.join(k8sDir, '..', '.env.example'), path.join(k8sDir, '.env.example')].find((f) =>
    fs.existsSync(f),
  );
}

/**
 * Runs `kubectl kustomize` on a copy of `k8sDir` (with a dummy `.env` when a generator reads
 * one) and returns its output, also parsed into objects. Throws with kubectl's stderr.
 */
export function kubectlKustomize(k8sDir: string): { stdout: string; objects: any[] } {
  const example = findEnvExample(k8sDir);
  return withTempCopy(k8sDir, (dir, home) => {
    if (example && kustomizationReadsDotEnv(dir)) writeDummyEnv(example, path.join(dir, '.env'));
    const { stdout } = runTool('kubectl', ['kustomize', dir], dir, home);
    return { stdout, objects: parseYamlStream(stdout, 'kubectl kustomize output') };
  });
}

/** The profile kustomizations beside a stack's k8s/ (k8s-profiles/<profile>/), by profile. */
export function profileFolders(stackDir: string): string[] {
  const root = path.join(stackDir, PROFILES_FOLDER);
  if (!fs.existsSync(root)) return [];
  return fs.readdirSync(root, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
}

/**
 * `kubectl kustomize` of one profile's kustomization, which builds on the stack's k8s/: both
 * folders are copied, keeping their places (with a dummy `.env` where k8s/ reads one).
 */
export function kubectlKustomizeProfile(stackDir: string, profile: string): { stdout: string; objects: any[] } {
  const example = findEnvExample(path.join(stackDir, 'k8s'));
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-compose-real-tools-'));
  try {
    const home = path.join(root, 'home');
    fs.mkdirSync(home);
    for (const folder of ['k8s', PROFILES_FOLDER]) {
      fs.cpSync(path.join(stackDir, folder), path.join(root, 'stack', folder), { recursive: true, filter: (src) => path.basename(src) !== '.env' });
    }
    const k8sCopy = path.join(root, 'stack', 'k8s');
    if (example && kustomizationReadsDotEnv(k8sCopy)) writeDummyEnv(example, path.join(k8sCopy, '.env'));
    const dir = path.join(root, 'stack', PROFILES_FOLDER, profile);
    const { stdout } = runTool('kubectl', ['kustomize', dir], dir, home);
    return { stdout, objects: parseYamlStream(stdout, 'kubectl kustomize output') };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// 5. helm lint and helm template
// ---------------------------------------------------------------------------------------------

/**
 * Runs `helm lint --strict` on a chart folder (found by helmBinary(), helm.ts): the chart's files,
 * its templates rendered with the default values, those values against values.schema.json.
 * `--strict` fails on warnings too. Throws with helm's output.
 */
export function helmLint(chartDir: string): { stdout: string } {
  const helm = helmBinary();
  return withTempHome((home) => {
    const { stdout } = runTool(helm, ['lint', '--strict', chartDir], chartDir, home, { stdoutInError: true });
    return { stdout };
  });
}

/**
 * Runs `helm template <release> <chart> [args...]` and returns its output, also parsed into
 * objects. `args` are helm's own (`--set key=value`, `--namespace ns`). Throws with helm's output:
 * a value that values.schema.json refuses fails here.
 */
export function helmTemplate(chartDir: string, release: string, args: readonly string[] = []): { stdout: string; objects: any[] } {
  const helm = helmBinary();
  return withTempHome((home) => {
    const { stdout } = runTool(helm, ['template', release, chartDir, ...args], chartDir, home, { stdoutInError: true });
    return { stdout, objects: parseYamlStream(stdout, 'helm template output') };
  });
}

/** The release name the checks render a chart with: not the stack's, so that every name shows the release. */
const CHECK_RELEASE = 'cdkc-check';

function helmTemplateProblems(chartDir: string): string[] {
  return problemsFrom('chart: helm template', () => {
    const { objects } = helmTemplate(chartDir, CHECK_RELEASE);
    return [...objectProblems('chart (helm template output)', objects), ...kubernetesConnections(objects).map((c) => `chart: ${formatConnection(c)}`)];
  });
}

// ---------------------------------------------------------------------------------------------
// 6. Everything on one stack
// ---------------------------------------------------------------------------------------------

/** Runs `fn`; a failure becomes a problem line, except a missing tool, which must stop the run. */
function problemsFrom(label: string, fn: () => string[]): string[] {
  try {
    return fn();
  } catch (error) {
    if (error instanceof MissingToolError) throw error;
    return [`${label}: ${error instanceof Error ? error.message : String(error)}`];
  }
}

function describeObject(obj: unknown): string {
  if (!isRecord(obj)) return '(not an object)';
  const name = isRecord(obj.metadata) ? obj.metadata.name : undefined;
  return `${String(obj.kind)}/${String(name)}`;
}

function objectProblems(label: string, objects: readonly unknown[]): string[] {
  return objects.flatMap((obj) =>
    validateKubernetesObject(obj).map((error) => `${label}: ${describeObject(obj)}: ${error}`),
  );
}

/** One real-tool check of a stack folder and what it found. */
export interface CheckResult {
  readonly check: string;
  readonly status: 'passed' | 'failed' | 'skipped';
  /** What failed, each prefixed with its file; or why the check was skipped. */
  readonly problems: readonly string[];
}

function runCheck(check: string, problems: () => string[]): CheckResult {
  try {
    const found = problems();
    return { check, status: found.length === 0 ? 'passed' : 'failed', problems: found };
  } catch (error) {
    if (error instanceof MissingToolError) return { check, status: 'skipped', problems: [error.message] };
    throw error;
  }
}

function composeSchemaProblems(file: string): string[] {
  return problemsFrom('compose.yaml', () => {
    const docs = parseYamlStream(fs.readFileSync(file, 'utf8'));
    if (docs.length !== 1) return [`compose.yaml: expected one YAML document, found ${docs.length}`];
    return validateComposeSchema(docs[0]).map((error) => `compose.yaml: schema: ${error}`);
  });
}

function k8sFileProblems(k8sDir: string): string[] {
  const files = fs
    .readdirSync(k8sDir)
    .filter((name) => name.endsWith('.yaml') && !KUSTOMIZATION_FILES.includes(name))
    .sort();
  return files.flatMap((name) => {
    const label = `k8s/${name}`;
    return problemsFrom(label, () => {
      const objects = parseYamlStream(fs.readFileSync(path.join(k8sDir, name), 'utf8'));
      if (objects.length === 0) return [`${label}: contains no Kubernetes object`];
      return objectProblems(label, objects);
    });
  });
}

/** Each profile's files and kustomize output against the schemas, and its connections. */
function profileProblems(stackDir: string): string[] {
  return profileFolders(stackDir).flatMap((profile) => {
    const folder = `${PROFILES_FOLDER}/${profile}`;
    const files = fs.readdirSync(path.join(stackDir, folder)).filter((name) => name.endsWith('.yaml') && !KUSTOMIZATION_FILES.includes(name)).sort();
    const fileProblems = files.flatMap((name) =>
      problemsFrom(`${folder}/${name}`, () => objectProblems(`${folder}/${name}`, parseYamlStream(fs.readFileSync(path.join(stackDir, folder, name), 'utf8')))),
    );
    const built = problemsFrom(`${folder}/kustomization.yaml: kubectl kustomize`, () => {
      const { objects } = kubectlKustomizeProfile(stackDir, profile);
      return [...objectProblems(`${folder} (kubectl kustomize output)`, objects), ...kubernetesConnections(objects).map((c) => `${folder}: ${formatConnection(c)}`)];
    });
    return [...fileProblems, ...built];
  });
}

function kustomizeProblems(k8sDir: string, built: (objects: unknown[]) => void): string[] {
  return problemsFrom('k8s/kustomization.yaml: kubectl kustomize', () => {
    const { objects } = kubectlKustomize(k8sDir);
    built(objects);
    try {
      return objectProblems('k8s (kubectl kustomize output)', objects);
    } catch (error) {
      // kustomize needs no schemas: without kubernetes-models its build still counts, and the
      // schema check says that it was skipped.
      if (error instanceof MissingToolError) return [];
      throw error;
    }
  });
}

/** The parity check of a stack folder (parity.ts): the Compose file against the kustomize output. */
function parityOf(stackDir: string, composeFile: string, kubernetesObjects: unknown[]): string[] {
  const envFileKeys = (file: string) => {
    const full = path.resolve(stackDir, file);
    if (!fs.existsSync(full)) return [];
    return fs.readFileSync(full, 'utf8').split('\n').map((line) => /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(line)?.[1]).filter((k): k is string => k !== undefined);
  };
  return parityProblems(parseYamlStream(fs.readFileSync(composeFile, 'utf8'))[0], kubernetesObjects, envFileKeys).map(formatParityProblem);
}

/** The connections check of a stack folder, on what the other checks read (connections.ts). */
function connectionProblems(composeFile: string, kubernetesObjects: unknown[] | undefined): string[] {
  const compose = fs.existsSync(composeFile) ? composeConnections(parseYamlStream(fs.readFileSync(composeFile, 'utf8'))[0]) : [];
  const kubernetes = kubernetesObjects ? kubernetesConnections(kubernetesObjects) : [];
  return [...compose, ...kubernetes].map(formatConnection);
}

/**
 * Runs every real-tool check that applies to a stack folder: the Compose ones when it has a
 * compose.yaml, the Kubernetes ones when it has a k8s/ folder, the Helm ones when it has a
 * chart/ folder. A check whose tool or package is not installed is reported as skipped, with how
 * to install it.
 */
export function validateStackOutput(stackDir: string): CheckResult[] {
  const composeFile = path.join(stackDir, 'compose.yaml');
  const k8sDir = path.join(stackDir, 'k8s');
  const results: CheckResult[] = [];
  if (fs.existsSync(composeFile)) {
    results.push(runCheck('Compose Specification schema', () => composeSchemaProblems(composeFile)));
    results.push(
      runCheck('docker-compose config', () =>
        problemsFrom('compose.yaml: docker-compose config', () => {
          dockerComposeConfig(stackDir);
          return [];
        }),
      ),
    );
    results.push(
      runCheck('docker compose config', () =>
        problemsFrom('compose.yaml: docker compose config', () => {
          dockerComposeV2Config(stackDir);
          return [];
        }),
      ),
    );
  }
  let kubernetesObjects: unknown[] | undefined;
  if (fs.existsSync(k8sDir)) {
    results.push(runCheck('Kubernetes object schemas', () => k8sFileProblems(k8sDir)));
    results.push(runCheck('kubectl kustomize', () => kustomizeProblems(k8sDir, (objects) => (kubernetesObjects = objects))));
    if (profileFolders(stackDir).length > 0) results.push(runCheck('kubectl kustomize of each profile', () => profileProblems(stackDir)));
  }
  const chartDir = path.join(stackDir, 'chart');
  if (fs.existsSync(chartDir)) {
    results.push(
      runCheck('helm lint --strict', () =>
        problemsFrom('chart: helm lint', () => {
          helmLint(chartDir);
          return [];
        }),
      ),
    );
    results.push(runCheck('helm template: Kubernetes object schemas and connections', () => helmTemplateProblems(chartDir)));
  }
  if (fs.existsSync(composeFile) || kubernetesObjects) {
    results.push(runCheck('connections', () => problemsFrom('connections', () => connectionProblems(composeFile, kubernetesObjects))));
  }
  if (fs.existsSync(composeFile) && kubernetesObjects) {
    const objects = kubernetesObjects;
    results.push(runCheck('parity of the two targets', () => problemsFrom('parity', () => parityOf(stackDir, composeFile, objects))));
  }
  if (results.length === 0) {
    results.push({ check: 'output present', status: 'failed', problems: [`${stackDir} has neither compose.yaml nor k8s/`] });
  }
  return results;
}

/**
 * Checks one synthesized stack folder with every real tool. Throws ONE Error listing every
 * problem, each prefixed with the file it is in; a missing tool is a failure here, never a skip.
 */
export function checkStackOutput(stackDir: string): void {
  const results = validateStackOutput(stackDir);
  const problems = results.flatMap((r) => (r.status === 'passed' ? [] : r.problems.map((p) => (r.status === 'skipped' ? `${r.check} could not run: ${p}` : p))));
  if (problems.length > 0) {
    throw new Error(
      `${stackDir}: ${problems.length} problem(s) found by the real tools:\n` +
        problems.map((problem) => `  - ${problem.replace(/\n/g, '\n      ')}`).join('\n'),
    );
  }
}
