import { IConstruct } from 'constructs';
import { Annotations } from '../core/annotations';
import { KEPT_BEFORE_DIGEST, crossStackWaiterName, cutName, kubernetesName, startedServiceNameOf, withDigest } from '../core/names';
import { Parameter, hasParameter } from '../core/parameter';
import { Stack } from '../core/stack';
import { MessageModel, MountModel, ParameterModel, SecretModel, StackModel, WorkloadModel, isRenderedOnKubernetes, parametersIn, withDefaults } from '../model';
import { IMAGE_REFERENCE } from '../services/workload';
import { podSecurityViolations } from '../hardening/pod-security';
import { withReachablePorts } from './reachable-ports';
import { bindsOnKubernetes } from './binds-on-kubernetes';
import { connectionWarnings, withConnectionGraph, withHostsElsewhere } from './connection-graph';
import { sourceDirOf } from '../core/source-dir';
import { Network } from '../services/network';
import { Volume } from '../services/volume';
import { Workload } from '../services/workload';

/**
 * Walks one stack's tree and produces its model, recording every problem that depends on
 * the whole stack (name clashes, port clashes, cycles) as an error on the construct concerned.
 */
export function buildStackModel(stack: Stack): StackModel {
  const constructs = stack.node.findAll().filter((c) => c !== stack && Stack.of(c) === stack);
  const workloadConstructs = constructs.filter(Workload.isWorkload);
  const volumeConstructs = constructs.filter(Volume.isVolume);
  if (workloadConstructs.length === 0) {
    // Compose refuses a project without services; an empty stack is a mistake, not an output.
    Annotations.of(stack).addError('has no workloads; add a service or job to it, or remove the stack');
  }

  const contributions = workloadConstructs.map((w) => w._toModel());
  const networks = constructs.filter(Network.isNetwork).map((n) => n._toModel());
  const parameters = constructs.filter(Parameter.isParameter).map((p) => p._toModel());
  const notes: MessageModel[] = [];
  const reachable = withReachablePorts(
    uniqueConfigNames(contributions.map((c, i) => withParameterDefaults(c.workload, parameters, workloadConstructs[i]))),
    parameters,
    notes,
  );
  const owners = new Map<string, IConstruct>(workloadConstructs.map((w) => [w.node.path, w]));
  const declaredVolumes = volumeConstructs.map((v) => v._toModel());
  const kubernetes = stack.renders('kubernetes')
    ? bindsOnKubernetes(reachable, declaredVolumes, sourceDirOf(stack), notes)
    : { workloads: reachable, claims: [] };
  const workloads = withConnectionGraph(withHostsElsewhere({ workloads: kubernetes.workloads, networks }, parameters), parameters);
  const volumes = [...declaredVolumes, ...kubernetes.claims];
  notes.push(
    ...connectionWarnings(
      { workloads, networks, profiles: stack.profiles, targets: stack.targets },
      parameters,
    ),
  );
  if (!stack.networkIsolation) {
    notes.push({ level: 'info', path: stack.node.path, message: 'networkIsolation is off: every workload shares one Compose network, and no NetworkPolicy keeps pods of the namespace apart' });
  }
  for (const w of workloads.filter((w) => w.isolation === 'none')) {
    notes.push({ level: 'info', path: w.path, message: "isolation 'none': every workload of the stack reaches its ports (the default network on Compose, every pod of the namespace on Kubernetes)" });
  }
  for (const note of notes) {
    const owner = Annotations.of(owners.get(note.path) ?? stack);
    if (note.level === 'warning') owner.addWarning(note.message);
    else owner.addInfo(note.message);
  }
  checkParameters(stack, constructs, parameters, workloads);
  if (stack.renders('kubernetes')) checkExpansionNames(workloadConstructs, workloads);

  checkUniqueNames(workloadConstructs, volumeConstructs, workloads);
  if (stack.renders('kubernetes')) checkKubernetesNames(workloadConstructs, volumeConstructs, workloads);
  checkHostPorts(workloadConstructs, workloads);
  checkDependencies(workloadConstructs, workloads);
  checkCrossStackWaiters(workloadConstructs, workloads);
  checkProfiles(stack, workloadConstructs, workloads);
  if (stack.renders('kubernetes')) checkPodSecurity(stack, workloadConstructs, workloads);

  return {
    name: stack.stackName,
    path: stack.node.path,
    targets: [...stack.targets],
    namespace: stack.namespace,
    waitImage: stack.waitImage,
    kubectlImage: stack.kubectlImage,
    workloads,
    requires: stack.dependencies.map((s) => s.stackName).sort(),
    volumes,
    networks,
    secrets: mergeSecrets(contributions.flatMap((c) => c.secrets)),
    parameters,
    environment: stack.environment,
    profiles: [...stack.profiles],
    networkIsolation: stack.networkIsolation,
    ingressController: stack.ingressController,
    ...(stack.podSecurity ? { podSecurity: stack.podSecurity } : {}),
  };
}

/**
 * A namespace that enforces a Pod Security level refuses the pods that fail it: the Deployment
 * is stored, its pods never start. Synth says so first, per workload and control.
 */
function checkPodSecurity(stack: Stack, workloadConstructs: Workload[], workloads: readonly WorkloadModel[]) {
  const level = stack.podSecurity;
  if (level === undefined) return;
  workloads.forEach((workload, i) => {
    if (!isRenderedOnKubernetes(workload, stack.profiles)) return;
    for (const violation of podSecurityViolations(workload, level)) {
      Annotations.of(workloadConstructs[i]).addError(
        `its pods would be refused by Pod Security "${level}" (stack podSecurity), control "${violation.control}": ${violation.message}`,
      );
    }
  });
  if (stack.namespace === undefined) {
    Annotations.of(stack).addInfo(
      `podSecurity '${level}' is checked, but no namespace is written: label the namespace you apply to with pod-security.kubernetes.io/enforce=${level}`,
    );
  }
}

/**
 * Another stack's workload is reached by its name: no workload of this stack may have it, nor
 * the name of the service that waits for it on Compose.
 */
function checkCrossStackWaiters(workloadConstructs: Workload[], workloads: readonly WorkloadModel[]) {
  const names = new Set(workloads.map((w) => w.name));
  workloads.forEach((workload, i) => {
    for (const wait of workload.waitsAcrossStacks) {
      if (names.has(wait.target)) {
        Annotations.of(workloadConstructs[i]).addError(
          `waits for ${wait.target} of stack ${wait.stack}, but this stack has a workload named ${wait.target} too, which the name reaches first on both targets; rename one of them`,
        );
      }
      const waiter = crossStackWaiterName(wait.target);
      if (names.has(waiter)) {
        Annotations.of(workloadConstructs[i]).addError(
          `waits for ${wait.target} of stack ${wait.stack} through a service named "${waiter}" on Compose, which is the name of a workload of this stack; rename that workload`,
        );
      }
    }
  });
}

function checkUniqueNames(workloadConstructs: Workload[], volumeConstructs: Volume[], workloads: readonly WorkloadModel[]) {
  const owners = new Map<string, IConstruct>();
  const claim = (name: string, owner: IConstruct, what: string) => {
    const first = owners.get(name);
    if (first) {
      Annotations.of(owner).addError(
        `${what} "${name}" is already used by ${first.node.path}; names must be unique in a stack: rename one of them`,
      );
    } else {
      owners.set(name, owner);
    }
  };
  workloadConstructs.forEach((construct, i) => claim(workloads[i].name, construct, 'name'));
  const volumeOwners = new Map<string, IConstruct>();
  for (const volume of volumeConstructs) {
    const first = volumeOwners.get(volume.volumeName);
    if (first) {
      Annotations.of(volume).addError(`volume name "${volume.volumeName}" is already used by ${first.node.path}; rename one of them`);
    }
    volumeOwners.set(volume.volumeName, volume);
  }
  // A workload's own data volume is named `<workload>-data` on Compose.
  workloadConstructs.forEach((construct, i) => {
    const dataName = `${workloads[i].name}-data`;
    const clash = workloads[i].mounts.some((m) => m.kind === 'data') && volumeOwners.get(dataName);
    if (clash) {
      Annotations.of(clash).addError(
        `volume name "${dataName}" is the name of ${construct.node.path}'s own data volume; rename the volume`,
      );
    }
  });
}

/**
 * Two Compose names can become one Kubernetes name (`db_1` and `db-1` are both `db-1`): each
 * would replace the other's objects there.
 */
function checkKubernetesNames(workloadConstructs: Workload[], volumeConstructs: Volume[], workloads: readonly WorkloadModel[]) {
  const check = (kind: string, entries: { name: string; owner: IConstruct }[]) => {
    const first = new Map<string, { name: string; owner: IConstruct }>();
    for (const entry of entries) {
      const kube = kubernetesName(entry.name);
      const earlier = first.get(kube);
      if (earlier && earlier.name !== entry.name) {
        Annotations.of(entry.owner).addError(
          `${kind} "${entry.name}" and "${earlier.name}" (${earlier.owner.node.path}) are both named "${kube}" on Kubernetes, ` +
            "where '_' and '.' become '-'; rename one of them",
        );
      } else if (!earlier) {
        first.set(kube, entry);
      }
    }
  };
  check('name', workloadConstructs.map((owner, i) => ({ name: workloads[i].name, owner })));
  check('volume', volumeConstructs.map((owner) => ({ name: owner.volumeName, owner })));

  // The Service a wait for a workload to have started uses must not be a workload's own Service.
  const byName = new Map(workloads.map((w, i) => [kubernetesName(w.name), i]));
  const waitedToStart = new Set(workloads.flatMap((w) => w.dependsOn.filter((d) => d.condition === 'started').map((d) => d.target)));
  for (const target of workloads.filter((w) => waitedToStart.has(w.name) && w.healthCheck !== undefined && !w.resolvableBeforeReady && w.ports.length > 0)) {
    const service = startedServiceNameOf(kubernetesName(target.name));
    const clash = byName.get(service);
    if (clash !== undefined) {
      Annotations.of(workloadConstructs[clash]).addError(
        `name "${workloads[clash].name}" is the Service synth adds on Kubernetes for the workloads that wait for ${target.name} to have started (decision 15); rename it`,
      );
    }
  }
}

/**
 * Makes the name of every config file unique in the stack. A config file is named
 * `<workload>-<file name>`, the file name lower-cased with every run of other characters than
 * letters and digits turned into one '-' (`nginx.conf` -> `web-nginx-conf`), so different files
 * can get one name: `a.conf` and `a-conf`, two `app.conf` of one workload, workload `a` with
 * `b-c.conf` and workload `a-b` with `c.conf`, long names that agree in the part a ConfigMap
 * name keeps. Names that clash that way each get `-<digest of workload and mount path>`
 * (within the part kept), which is the mount's own; a name that clashes with nothing is kept.
 */
function uniqueConfigNames(workloads: WorkloadModel[]): WorkloadModel[] {
  // What a ConfigMap name keeps in front of its content digest.
  const kept = (name: string) => cutName(name, KEPT_BEFORE_DIGEST);
  const count = new Map<string, number>();
  for (const workload of workloads) {
    for (const mount of workload.mounts) {
      if (mount.kind === 'config') count.set(kept(mount.name), (count.get(kept(mount.name)) ?? 0) + 1);
    }
  }
  return workloads.map((workload) => {
    if (!workload.mounts.some((m) => m.kind === 'config' && (count.get(kept(m.name)) ?? 0) > 1)) return workload;
    const mounts = workload.mounts.map((mount): MountModel => {
      if (mount.kind !== 'config' || (count.get(kept(mount.name)) ?? 0) < 2) return mount;
      return { ...mount, name: withDigest(mount.name, [workload.name, mount.target], KEPT_BEFORE_DIGEST) };
    });
    return { ...workload, mounts };
  });
}

function checkHostPorts(workloadConstructs: Workload[], workloads: readonly WorkloadModel[]) {
  // Two bindings of one host port clash unless both name different host addresses.
  // Workloads in disjoint profiles never run together, so they may publish the same port.
  const published = new Map<string, { ip?: string; path: string; profiles: readonly string[] }[]>();
  const together = (a: readonly string[], b: readonly string[]) => a.length === 0 || b.length === 0 || a.some((p) => b.includes(p));
  workloads.forEach((workload, i) => {
    for (const port of workload.ports) {
      // Host port 0 is a free port the engine picks for each container: it never clashes.
      if (port.hostPort === undefined || port.hostPort === 0) continue;
      if (workload.replicas > 1) {
        Annotations.of(workloadConstructs[i]).addError(
          `publishes host port ${port.hostPort} from ${workload.replicas} replicas, but one host port can only reach one container on Compose; ` +
            'remove hostPort or run one replica',
        );
      }
      const key = `${port.hostPort}/${port.protocol}`;
      const bindings = published.get(key) ?? [];
      const clash = bindings.find((b) => (b.ip === undefined || port.hostIp === undefined || b.ip === port.hostIp) && together(b.profiles, workload.profiles));
      if (clash) {
        Annotations.of(workloadConstructs[i]).addError(
          `host port ${port.hostPort} is already published by ${clash.path}; publish another port or remove one`,
        );
      }
      bindings.push({ ip: port.hostIp, path: workload.path, profiles: workload.profiles });
      published.set(key, bindings);
    }
  });
}

function checkDependencies(workloadConstructs: Workload[], workloads: readonly WorkloadModel[]) {
  const byName = new Map<string, number>();
  workloads.forEach((w, i) => byName.set(w.name, i));

  workloads.forEach((workload, i) => {
    for (const dependency of workload.dependsOn) {
      if (dependency.target === workload.name) {
        Annotations.of(workloadConstructs[i]).addError('depends on itself; remove it from its own `after` or `connect()`');
      }
    }
  });

  // Depth-first search; a back edge closes a cycle, reported once on its first member.
  const state = new Array<'new' | 'open' | 'done'>(workloads.length).fill('new');
  const trail: number[] = [];
  const visit = (i: number) => {
    state[i] = 'open';
    trail.push(i);
    for (const dependency of workloads[i].dependsOn) {
      const next = byName.get(dependency.target);
      if (next === undefined || next === i) continue;
      if (state[next] === 'open') {
        const members = [...trail.slice(trail.indexOf(next)), next];
        // Each edge as the source wrote it: a cycle through `after` is broken elsewhere than one through connect().
        const edges = members.slice(0, -1).flatMap((k, at) => workloadConstructs[k]._dependencyOrigins(workloads[members[at + 1]].name));
        Annotations.of(workloadConstructs[next]).addError(
          `dependency cycle: ${members.map((k) => workloads[k].name).join(' -> ')}, made by ${edges.join(', ')}; remove one of these dependencies`,
        );
      } else if (state[next] === 'new') {
        visit(next);
      }
    }
    trail.pop();
    state[i] = 'done';
  };
  workloads.forEach((_, i) => state[i] === 'new' && visit(i));
}

/**
 * On Kubernetes a workload outside the stack's profiles is left out; one that is rendered
 * must not wait for it, or it would wait forever.
 */
function checkProfiles(stack: Stack, workloadConstructs: Workload[], workloads: readonly WorkloadModel[]) {
  const byName = new Map(workloads.map((w) => [w.name, w]));
  if (stack.renders('compose')) {
    // docker compose refuses a project whose started service depends on one a profile leaves out.
    workloads.forEach((workload, i) => {
      for (const dependency of workload.dependsOn) {
        const target = byName.get(dependency.target);
        if (!target || target.profiles.length === 0) continue;
        if (workload.profiles.length > 0 && workload.profiles.every((p) => target.profiles.includes(p))) continue;
        Annotations.of(workloadConstructs[i]).addError(
          `waits for ${target.name}, which Compose starts only with profile ${target.profiles.join(' or ')}, ` +
            `${workload.profiles.length > 0 ? `while ${workload.name} also starts with ${workload.profiles.filter((p) => !target.profiles.includes(p)).join(', ')}` : `while ${workload.name} always starts`}: ` +
            `docker compose up refuses such a project; give ${workload.name} the same profiles, or connect with waitFor: 'none'`,
        );
      }
    });
  }
  if (!stack.renders('kubernetes')) return;
  const rendered = (w: WorkloadModel) => isRenderedOnKubernetes(w, stack.profiles);
  workloads.forEach((workload, i) => {
    if (!rendered(workload)) return;
    for (const dependency of workload.dependsOn) {
      const target = byName.get(dependency.target);
      if (target && target.composeOnly !== undefined) {
        Annotations.of(workloadConstructs[i]).addError(
          `waits for ${target.name}, which exists on Compose only and is left out on Kubernetes (${target.composeOnly}); remove the dependency`,
        );
      } else if (target && !rendered(target)) {
        Annotations.of(workloadConstructs[i]).addError(
          `waits for ${target.name}, which is in profile ${target.profiles.join(', ')} and left out on Kubernetes by this stack; ` +
            `enable the profile in the stack's profiles or remove the dependency`,
        );
      }
    }
  });
}

/**
 * On Kubernetes a secret or parameter inside a larger value is spliced in as `$(NAME)`, which
 * needs a variable of that name holding it: one the workload sets to something else would be
 * read instead.
 */
function checkExpansionNames(workloadConstructs: Workload[], workloads: readonly WorkloadModel[]) {
  workloads.forEach((workload, i) => {
    const whole = new Map(workload.env.map((e) => [e.name, e.parts.length === 1 ? e.parts[0] : undefined]));
    const reported = new Set<string>();
    for (const env of workload.env) {
      if (env.parts.length < 2) continue;
      for (const part of env.parts) {
        if (part.kind === 'text') continue;
        const variable = part.kind === 'secret' ? part.secret : part.param;
        if (!whole.has(variable) || reported.has(variable)) continue;
        const own = whole.get(variable);
        const same = own !== undefined && own.kind === part.kind && (own.kind === 'secret' ? own.secret : own.kind === 'param' ? own.param : '') === variable;
        if (same) continue;
        reported.add(variable);
        Annotations.of(workloadConstructs[i]).addError(
          `environment variable ${variable} has a value other than the ${part.kind === 'secret' ? 'secret' : 'parameter'} ${variable}, ` +
            `which ${env.name} needs under that name on Kubernetes; rename the variable`,
        );
      }
    }
  });
}

/**
 * The workload with what synth knows of its deploy-time values: each parameter's default in
 * its image, bind sources and host ports (the templates keep the parameters for Compose).
 */
function withParameterDefaults(workload: WorkloadModel, parameters: readonly ParameterModel[], owner: IConstruct): WorkloadModel {
  const templated =
    workload.imageTemplate !== undefined ||
    workload.ports.some((p) => p.hostPortParameter !== undefined) ||
    workload.replicasParameter !== undefined ||
    workload.mounts.some((m) => m.kind === 'bind' && m.sourceTemplate !== undefined);
  if (!templated) return workload;
  let image = workload.image;
  if (workload.imageTemplate) {
    image = withDefaults(workload.imageTemplate, parameters);
    if (!IMAGE_REFERENCE.test(image)) {
      Annotations.of(owner).addWarning(
        `image ${JSON.stringify(image)} (its parameters' defaults) is not an image reference: Compose runs only with a value set at deploy time, ` +
          'and Kubernetes cannot pull it; give the parameters defaults that make a reference such as ghcr.io/acme/api:1.4.2',
      );
    }
  }
  const ports = workload.ports.map((port) => {
    if (port.hostPortParameter === undefined) return port;
    const fallback = parameters.find((p) => p.name === port.hostPortParameter)?.default;
    const hostPort = fallback === undefined ? undefined : Number(fallback);
    if (fallback !== undefined && !(Number.isInteger(hostPort) && (hostPort as number) >= 0 && (hostPort as number) <= 65535)) {
      Annotations.of(owner).addError(`host port parameter ${port.hostPortParameter} has the default ${JSON.stringify(fallback)}, which is not a port number; give a default from 1 to 65535`);
      return port;
    }
    return { ...port, hostPort };
  });
  const mounts = workload.mounts.map((mount): MountModel =>
    mount.kind === 'bind' && mount.sourceTemplate ? { ...mount, source: withDefaults(mount.sourceTemplate, parameters) } : mount,
  );
  let replicas = workload.replicas;
  if (workload.replicasParameter !== undefined) {
    const fallback = parameters.find((p) => p.name === workload.replicasParameter)?.default;
    const count = Number(fallback ?? '1');
    if (!Number.isInteger(count) || count < 0) {
      Annotations.of(owner).addError(`replicas parameter ${workload.replicasParameter} has the default ${JSON.stringify(fallback)}, which is not a replica count; give a whole number of at least 0`);
    } else {
      replicas = count;
    }
  }
  return { ...workload, image, ports, mounts, replicas };
}

/**
 * Every parameter a workload uses is one of its stack's, named once, and appears only where a
 * deploy-time value can go; anywhere else its token would reach the output as text.
 */
function checkParameters(stack: Stack, constructs: IConstruct[], parameters: readonly ParameterModel[], workloads: readonly WorkloadModel[]) {
  const declared = new Map<string, ParameterModel>();
  for (const parameter of parameters) {
    const first = declared.get(parameter.name);
    if (first) {
      const owner = constructs.find((c) => c.node.path === parameter.path) as IConstruct;
      Annotations.of(owner).addError(`parameter ${parameter.name} is already declared by ${first.path}; declare it once and use it everywhere`);
    } else declared.set(parameter.name, parameter);
  }
  const owners = new Map(constructs.map((c) => [c.node.path, c]));
  for (const workload of workloads) {
    const owner = owners.get(workload.path) as IConstruct;
    const used = [
      ...workload.env.flatMap((e) => parametersIn(e.parts)),
      ...parametersIn(workload.imageTemplate ?? []),
      ...workload.mounts.flatMap((m) => (m.kind === 'bind' ? parametersIn(m.sourceTemplate ?? []) : [])),
      ...workload.ports.flatMap((p) => (p.hostPortParameter ? [p.hostPortParameter] : [])),
      ...(workload.envFileChoice ? [workload.envFileChoice.parameter] : []),
    ];
    for (const name of new Set(used)) {
      if (!declared.has(name)) {
        Annotations.of(owner).addError(`uses parameter ${name}, which is not a Parameter of stack ${stack.node.path}; declare new Parameter(stack, '${name}') in it`);
      }
    }
    for (const field of fieldsWithParameters(workload)) {
      Annotations.of(owner).addError(`${field} holds a parameter, but its value must be known at synth; give it a literal value`);
    }
  }
}

/** Fields of a workload whose text still holds a parameter token: places no parameter may go. */
function fieldsWithParameters(workload: WorkloadModel): string[] {
  const found: string[] = [];
  // The path is written out only for a field found: building it for every field cost more than the check.
  interface At {
    readonly parent?: At;
    readonly key: string | number;
  }
  const text = (at: At | undefined): string =>
    at === undefined ? '' : typeof at.key === 'number' ? `${text(at.parent)}[${at.key}]` : at.parent ? `${text(at.parent)}.${at.key}` : at.key;
  const visit = (value: unknown, at: At | undefined): void => {
    if (typeof value === 'string') {
      if (hasParameter(value)) found.push(text(at));
    } else if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) visit(value[i], { parent: at, key: i });
    } else if (typeof value === 'object' && value !== null) {
      for (const key of Object.keys(value)) visit((value as Record<string, unknown>)[key], { parent: at, key });
    }
  };
  const { env: _env, imageTemplate: _image, ...rest } = workload;
  visit({ ...rest, mounts: workload.mounts.map((m) => (m.kind === 'bind' && m.sourceTemplate ? { ...m, source: '' } : m)) }, undefined);
  return found;
}

function mergeSecrets(secrets: readonly SecretModel[]): SecretModel[] {
  // Users are appended in place and looked up in a set: a secret shared by every workload of
  // a large stack costs one step per use, not a copy and a scan of its users per use.
  const merged = new Map<string, { secret: SecretModel; usedBy?: string[]; seen?: Set<string> }>();
  for (const secret of secrets) {
    const existing = merged.get(secret.name);
    if (!existing) {
      merged.set(secret.name, { secret });
      continue;
    }
    const usedBy = (existing.usedBy ??= [...existing.secret.usedBy]);
    const seen = (existing.seen ??= new Set(usedBy));
    const added = secret.usedBy.filter((p) => !seen.has(p));
    for (const p of added) {
      usedBy.push(p);
      seen.add(p);
    }
    existing.secret = { name: secret.name, description: existing.secret.description || secret.description, usedBy };
  }
  return [...merged.values()].map((m) => m.secret).sort((a, b) => a.name.localeCompare(b.name));
}
