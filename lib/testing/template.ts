import { Stack } from '../core/stack';
import { StackModel, WorkloadModel } from '../model';
import { ComposeDocument } from '../render/compose';
import { KubernetesObject } from '../render/k8s';
import { StackSynthesis, synthesize } from '../synth/synthesize';
import { MatchResult, Matcher, PathSegment, toMatcher } from './match';

/** A Compose service, volume or network definition as plain data. */
export type ComposeEntry = Record<string, unknown>;

/** What one construct became on each target. */
export interface ConstructOutput {
  /** The Compose service rendered from a workload; undefined when the stack does not render Compose. */
  readonly service?: ComposeEntry;
  /** The Compose volume rendered from a `Volume`. */
  readonly volume?: ComposeEntry;
  /**
   * Every Kubernetes object rendered from the construct: its controller (the Job with its
   * digest-carrying name included), Service, Ingress, ConfigMaps, or a `Volume`'s claim.
   * Empty when the stack does not render Kubernetes or leaves the workload out there.
   */
  readonly objects: readonly KubernetesObject[];
}

/** The documents a stack synthesizes, for snapshots. */
export interface TemplateJson {
  readonly compose?: ComposeDocument;
  readonly manifests: readonly KubernetesObject[];
}

/** How many candidates a failure message shows. */
const CLOSEST = 3;
/** How many failing items an "every ... matches" failure lists before it cuts the list. */
const LISTED = 10;
/** The label the Kubernetes renderer puts on every object it renders from a workload. */
const NAME_LABEL = 'app.kubernetes.io/name';

interface Tested {
  /** How the candidate is named in a message: `service api`, `Deployment/api`. */
  readonly label: string;
  /** Path of the candidate inside the output, prefixed to each mismatch. */
  readonly root: readonly PathSegment[];
  readonly value: unknown;
  readonly result: MatchResult;
}

/**
 * Assertions on what one stack synthesizes, on both targets: the Compose project and the
 * Kubernetes objects. Each assertion throws a plain `Error` saying what was found instead,
 * so it works with any test runner.
 *
 * Patterns are plain data, `Match` matchers and `Capture`s; a plain object matches like
 * `Match.objectLike`: keys it leaves out are ignored.
 */
export class Template {
  /**
   * Synthesizes the app `stack` belongs to, in memory. Throws the `SynthError` when the app
   * has errors (assert on those with `Annotations.fromStack`).
   */
  public static fromStack(stack: Stack): Template {
    const result = synthesize(stack.node.root, { sourceDir: '../..' });
    const own = result.stacks.find((s) => s.stack === stack);
    if (!own) {
      throw new Error(`[${stack.node.path}] was not synthesized; is it inside the app?`);
    }
    return new Template(own);
  }

  private readonly model: StackModel;
  private readonly compose?: ComposeDocument;
  private readonly manifests: readonly KubernetesObject[];
  private readonly kustomization?: Record<string, unknown>;

  private constructor(synthesis: StackSynthesis) {
    this.model = synthesis.model;
    this.compose = synthesis.compose;
    this.manifests = synthesis.kubernetes?.files.map((f) => f.object) ?? [];
    this.kustomization = synthesis.kubernetes?.kustomization;
  }

  // ---------------------------------------------------------------- Compose

  /**
   * Asserts that the Compose service `name` exists and matches `props`. With a matcher for
   * the name (`Match.stringLikeRegexp('^api')`, `Match.anyValue()`), at least one service
   * whose name matches must match `props`.
   */
  public hasService(name: string | Matcher, props?: unknown): void {
    const services = this.services();
    const matcher = props === undefined ? undefined : toMatcher(props);
    if (typeof name === 'string') {
      const service = services[name];
      if (service === undefined) {
        throw new Error(`stack ${this.model.name} has no Compose service named ${name}; its services: ${list(Object.keys(services))}`);
      }
      if (!matcher) return;
      const tested = testOne(`service ${name}`, ['services', name], service, matcher);
      if (tested.result.hasFailed()) throw new Error(`Compose service ${name} does not match ${mismatches(tested)}:\n${lines(tested, '  ')}`);
      tested.result.finished();
      return;
    }
    const named = Object.entries(services).filter(([n]) => !name.test(n).hasFailed());
    if (named.length === 0) {
      throw new Error(`stack ${this.model.name} has no Compose service whose name matches ${name}; its services: ${list(Object.keys(services))}`);
    }
    this.assertSome(
      named.map(([n, service]) => testOne(`service ${n}`, ['services', n], service, matcher ?? toMatcher({}))),
      `none of the ${named.length} Compose services whose name matches ${name} matches`,
    );
  }

  /** The Compose services that match `props` (every service without it), by name. */
  public findServices(props?: unknown): Record<string, ComposeEntry> {
    return Object.fromEntries(this.matchingServices(props).map((t) => [t.label.slice('service '.length), t.value as ComposeEntry]));
  }

  /** Asserts the number of Compose services (that match `props`, when given). */
  public serviceCountIs(count: number, props?: unknown): void {
    const found = this.matchingServices(props).map((t) => t.label.slice('service '.length));
    if (found.length !== count) {
      const which = props === undefined ? '' : ` matching ${toMatcher(props)}`;
      throw new Error(`expected ${count} Compose service${count === 1 ? '' : 's'}${which}, found ${found.length}: ${list(found)}`);
    }
  }

  /** Asserts that every Compose service matches `props`. */
  public allServices(props: unknown): void {
    const services = Object.entries(this.services());
    if (services.length === 0) throw new Error(`stack ${this.model.name} has no Compose services to check`);
    const matcher = toMatcher(props);
    this.assertEvery(services.map(([n, service]) => testOne(`service ${n}`, ['services', n], service, matcher)), 'Compose services');
  }

  /** Asserts that the top-level Compose volume `name` exists (and matches `props`, when given). */
  public hasVolume(name: string, props?: unknown): void {
    this.hasTopLevel('volumes', 'volume', name, props);
  }

  /** Asserts that the top-level Compose network `name` exists (and matches `props`, when given). */
  public hasNetwork(name: string, props?: unknown): void {
    this.hasTopLevel('networks', 'network', name, props);
  }

  // ---------------------------------------------------------------- Kubernetes

  /** Asserts that at least one Kubernetes object of `kind` (`'*'`: any kind) matches `props`. */
  public hasObject(kind: string, props?: unknown): void {
    const objects = this.objectsOf(kind);
    if (objects.length === 0) {
      throw new Error(`stack ${this.model.name} has no ${ofKind('Kubernetes object', kind)}; it has: ${kindsOf(this.objects())}`);
    }
    const matcher = toMatcher(props ?? {});
    this.assertSome(
      objects.map((o) => testOne(objectLabel(o), [], o, matcher)),
      `none of the ${objects.length} ${ofKind('Kubernetes objects', kind)} matches`,
    );
  }

  /** The Kubernetes objects of `kind` (`'*'`: any kind) that match `props`, in file order. */
  public findObjects(kind: string, props?: unknown): KubernetesObject[] {
    return this.matchingObjects(kind, props).map((t) => t.value as KubernetesObject);
  }

  /** Asserts the number of Kubernetes objects of `kind` (`'*'`: any kind) that match `props`, when given. */
  public objectCountIs(kind: string, count: number, props?: unknown): void {
    const found = this.matchingObjects(kind, props).map((t) => t.label);
    if (found.length !== count) {
      const which = props === undefined ? '' : ` matching ${toMatcher(props)}`;
      const what = ofKind(`Kubernetes object${count === 1 ? '' : 's'}`, kind);
      throw new Error(`expected ${count} ${what}${which}, found ${found.length}: ${list(found)}`);
    }
  }

  /**
   * Asserts that every Kubernetes object of `kind` (`'*'`: every object) matches `props`.
   * Fails when there is no object of `kind`, which is usually a misspelt kind.
   */
  public allObjects(kind: string, props: unknown): void {
    const objects = this.objectsOf(kind);
    if (objects.length === 0) {
      throw new Error(`stack ${this.model.name} has no ${ofKind('Kubernetes object', kind)} to check; it has: ${kindsOf(this.objects())}`);
    }
    const matcher = toMatcher(props);
    this.assertEvery(objects.map((o) => testOne(objectLabel(o), [], o, matcher)), ofKind('Kubernetes objects', kind));
  }

  /** Asserts that the `kustomization.yaml` matches `props`. */
  public hasKustomization(props: unknown): void {
    this.objects();
    const tested = testOne('the kustomization', [], this.kustomization, toMatcher(props));
    if (tested.result.hasFailed()) throw new Error(`the kustomization does not match ${mismatches(tested)}:\n${lines(tested, '  ')}`);
    tested.result.finished();
  }

  // ---------------------------------------------------------------- both targets

  /**
   * What the construct at `constructPath` became: its Compose service (or volume) and every
   * Kubernetes object rendered from it. The path is the construct's `node.path`
   * (`'shop/api'`) or a path relative to the stack (`'api'`); a construct that holds exactly
   * one workload stands for it.
   */
  public fromPath(constructPath: string): ConstructOutput {
    const wanted = constructPath.replace(/^\/+|\/+$/g, '');
    const stackPath = this.model.path;
    const paths = wanted === stackPath || wanted.startsWith(`${stackPath}/`) ? [wanted, `${stackPath}/${wanted}`] : [`${stackPath}/${wanted}`];
    for (const path of paths) {
      const workload = this.model.workloads.find((w) => w.path === path);
      if (workload) return this.outputOf(workload);
      const volume = this.model.volumes.find((v) => v.path === path);
      if (volume) {
        return {
          volume: this.compose?.volumes?.[volume.name],
          objects: this.manifests.filter((o) => o.kind === 'PersistentVolumeClaim' && o.metadata.name === volume.name),
        };
      }
      const inside = this.model.workloads.filter((w) => w.path.startsWith(`${path}/`));
      if (inside.length === 1) return this.outputOf(inside[0]);
      if (inside.length > 1) {
        throw new Error(`${path} holds ${inside.length} workloads (${list(inside.map((w) => w.path))}); give the path of one of them`);
      }
    }
    const known = [...this.model.workloads, ...this.model.volumes].map((c) => c.path);
    throw new Error(`stack ${this.model.name} has no workload or volume at ${paths[0]}; it has: ${list(known)}`);
  }

  /** The Compose project and the Kubernetes objects, as plain data for a snapshot. */
  public toJSON(): TemplateJson {
    return JSON.parse(JSON.stringify({ compose: this.compose, manifests: this.manifests }));
  }

  // ---------------------------------------------------------------- private

  private services(): Record<string, ComposeEntry> {
    if (!this.compose) {
      throw new Error(`stack ${this.model.name} does not render Compose (its targets: ${this.model.targets.join(', ')})`);
    }
    return this.compose.services;
  }

  private objects(): readonly KubernetesObject[] {
    if (!this.kustomization) {
      throw new Error(`stack ${this.model.name} does not render Kubernetes (its targets: ${this.model.targets.join(', ')})`);
    }
    return this.manifests;
  }

  private objectsOf(kind: string): readonly KubernetesObject[] {
    return this.objects().filter((o) => kind === '*' || o.kind === kind);
  }

  private matchingServices(props: unknown): Tested[] {
    const matcher = toMatcher(props ?? {});
    return finishAll(Object.entries(this.services()).map(([n, service]) => testOne(`service ${n}`, ['services', n], service, matcher)));
  }

  private matchingObjects(kind: string, props: unknown): Tested[] {
    const matcher = toMatcher(props ?? {});
    return finishAll(this.objectsOf(kind).map((o) => testOne(objectLabel(o), [], o, matcher)));
  }

  private outputOf(workload: WorkloadModel): ConstructOutput {
    return {
      service: this.compose?.services[workload.name],
      objects: this.manifests.filter((o) => renderedFrom(o, workload)),
    };
  }

  private hasTopLevel(section: 'volumes' | 'networks', noun: string, name: string, props: unknown): void {
    this.services();
    const entries = this.compose?.[section] ?? {};
    const entry = entries[name];
    if (entry === undefined) {
      throw new Error(`stack ${this.model.name} has no Compose ${noun} named ${name}; its ${section}: ${list(Object.keys(entries))}`);
    }
    if (props === undefined) return;
    const tested = testOne(`${noun} ${name}`, [section, name], entry, toMatcher(props));
    if (tested.result.hasFailed()) throw new Error(`Compose ${noun} ${name} does not match ${mismatches(tested)}:\n${lines(tested, '  ')}`);
    tested.result.finished();
  }

  /** Passes when one candidate matches; otherwise shows the closest ones and how they differ. */
  private assertSome(tested: readonly Tested[], none: string): void {
    const passed = finishAll(tested);
    if (passed.length > 0) return;
    const closest = [...tested].sort((a, b) => a.result.cost - b.result.cost).slice(0, CLOSEST);
    const intro = closest.length === 1 ? 'the closest is' : `the closest ${closest.length} are`;
    throw new Error(`${none}; ${intro}:\n${closest.map((t) => describe(t, '  ')).join('\n')}`);
  }

  /** Passes when every candidate matches; otherwise lists the ones that do not. */
  private assertEvery(tested: readonly Tested[], what: string): void {
    const failed = tested.filter((t) => t.result.hasFailed());
    if (failed.length === 0) {
      tested.forEach((t) => t.result.finished());
      return;
    }
    const more = failed.length > LISTED ? `\n  ... and ${failed.length - LISTED} more` : '';
    throw new Error(
      `${failed.length} of ${tested.length} ${what} do not match:\n${failed.slice(0, LISTED).map((t) => describe(t, '  ')).join('\n')}${more}`,
    );
  }
}

function testOne(label: string, root: readonly PathSegment[], value: unknown, matcher: Matcher): Tested {
  return { label, root, value, result: matcher.test(value) };
}

/** The candidates that passed, with their captures handed over, in order. */
function finishAll(tested: readonly Tested[]): Tested[] {
  return tested.filter((t) => !t.result.hasFailed()).map((t) => ({ ...t, result: t.result.finished() }));
}

/** `Deployment/api (1 mismatch):` and one indented line per mismatch. */
function describe(tested: Tested, indent: string): string {
  return `${indent}${tested.label} ${mismatches(tested)}:\n${lines(tested, `${indent}  `)}`;
}

function mismatches(tested: Tested): string {
  const n = tested.result.cost;
  return `(${n} mismatch${n === 1 ? '' : 'es'})`;
}

function lines(tested: Tested, indent: string): string {
  return tested.result
    .toHumanStrings(tested.root)
    .map((line) => `${indent}${line}`)
    .join('\n');
}

function objectLabel(object: KubernetesObject): string {
  return `${object.kind}/${object.metadata.name}`;
}

/** Whether the Kubernetes renderer produced `object` from `workload`. */
function renderedFrom(object: KubernetesObject, workload: WorkloadModel): boolean {
  const label = object.metadata.labels?.[NAME_LABEL];
  if (label !== undefined) return label === workload.name;
  // Objects named after their content carry a digest after the workload's name.
  const name = object.metadata.name;
  return name === workload.name || new RegExp(`^${workload.name}-[0-9a-f]{10}$`).test(name);
}

function ofKind(what: string, kind: string): string {
  return kind === '*' ? what : `${what} of kind ${kind}`;
}

function kindsOf(objects: readonly KubernetesObject[]): string {
  const counts = new Map<string, number>();
  for (const object of objects) counts.set(object.kind, (counts.get(object.kind) ?? 0) + 1);
  return list([...counts].map(([kind, n]) => `${kind} (${n})`));
}

function list(items: readonly string[]): string {
  return items.length === 0 ? 'none' : items.join(', ');
}
