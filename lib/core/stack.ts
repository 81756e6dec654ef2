import { Construct, IConstruct } from 'constructs';
import { POD_SECURITY_LEVELS, PodSecurityLevel, Target } from '../model';
import { Annotations } from './annotations';
import { assertUsableId } from './construct-id';
import { checkProps, knownProps } from './known-props';
import { namespaceNameProblem, stackNameProblem } from './names';

const STACK_SYMBOL = Symbol.for('cdk-compose.Stack');

/**
 * Properties for a `Stack`.
 */
export interface StackProps {
  /**
   * The platforms this stack is rendered for.
   *
   * A stack meant only for laptops can leave out `'kubernetes'`; then services built from
   * source need no image reference.
   *
   * @default ['compose', 'kubernetes']
   */
  readonly targets?: Target[];

  /**
   * Kubernetes namespace written into the kustomization.
   *
   * @default - none: `kubectl apply -k` uses the namespace of the current context
   */
  readonly namespace?: string;

  /**
   * Image of the init containers that wait for a dependency's TCP port on Kubernetes.
   * It must contain `sh` and `nc`.
   *
   * @default 'busybox:1.36'
   */
  readonly waitImage?: string;

  /**
   * Image of the init containers that wait for a one-shot Job to complete on Kubernetes.
   * It must contain `kubectl`.
   *
   * @default 'registry.k8s.io/kubectl:v1.32.4'
   */
  readonly kubectlImage?: string;

  /**
   * The deployment environment this stack describes, such as 'dev' or 'prod'. Constructs
   * and app code read it with `Stack.of(this).environment` to vary one source per environment.
   *
   * A development environment ('dev', 'development' or 'local', in any case, alone or as the
   * first word of a name such as 'dev-alice') may publish database ports to the host: the
   * hardening rule CKC-DATABASE-PORT finds them in every other stack.
   *
   * @default - none: the stack counts as not a development one
   */
  readonly environment?: string;

  /**
   * Compose profiles enabled on Kubernetes: workloads in other profiles are left out there.
   * (On Compose every workload is written and `--profile` chooses at start.)
   *
   * @default - none: workloads with profiles are left out on Kubernetes
   */
  readonly profiles?: string[];

  /**
   * Make each workload reachable only from the workloads that connect to it: on Compose a
   * network per workload that only its clients join (instead of one network for all), on
   * Kubernetes a NetworkPolicy that denies ingress to the stack's pods but from those clients
   * (and the ingress controller for a public endpoint). False puts every workload on one
   * network, as Compose's default does, and renders no NetworkPolicy (reported).
   *
   * @default true
   */
  readonly networkIsolation?: boolean;

  /**
   * The pods of the cluster's ingress controller, which reach the workloads with a public
   * endpoint through the NetworkPolicies.
   *
   * @default - pods of any namespace, on the public endpoint's port only
   */
  readonly ingressController?: IngressControllerSelector;

  /**
   * The Pod Security Standard the stack's namespace enforces on Kubernetes. Synth fails, naming
   * the workload and the control, when a pod would be refused at that level; with a `namespace`
   * it also writes the Namespace, labelled to enforce the level (and warn and audit on it).
   *
   * @default - none declared: nothing is checked and no Namespace is written
   */
  readonly podSecurity?: PodSecurityLevel;

  /**
   * The Helm chart written beside the Kubernetes manifests, in `<stack>/chart/`: the same
   * objects, named after the release, with typed values (docs/helm.md).
   *
   * @default - a chart of version 0.1.0 whenever the stack renders for Kubernetes, unless the
   *   context value `cdk-compose:charts` is false (`cdk-compose synth --no-charts`)
   */
  readonly chart?: HelmChartProps;
}

/**
 * Properties of a stack's Helm chart.
 */
export interface HelmChartProps {
  /**
   * Write the chart. False leaves `<stack>/chart/` out.
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * The chart's version (`version` of Chart.yaml): a SemVer 2 version such as '1.2.0'.
   *
   * @default '0.1.0'
   */
  readonly version?: string;

  /**
   * The version of the application the chart deploys (`appVersion` of Chart.yaml), such as '1.4.2'.
   *
   * @default - none: Chart.yaml has no appVersion
   */
  readonly appVersion?: string;
}

/** The context key that turns every stack's chart off when false (`cdk-compose synth --no-charts`). */
export const CHARTS_CONTEXT = 'cdk-compose:charts';

/** SemVer 2, as Helm requires of a chart version. */
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;
const CHART_PROPS = knownProps<HelmChartProps>('HelmChartProps', ['enabled', 'version', 'appVersion']);

/**
 * Where a cluster's ingress controller runs, by labels.
 */
export interface IngressControllerSelector {
  /**
   * Labels of its namespace, e.g. `{ 'kubernetes.io/metadata.name': 'ingress-nginx' }`.
   *
   * @default - any namespace
   */
  readonly namespaceLabels?: Record<string, string>;

  /**
   * Labels of its pods, e.g. `{ 'app.kubernetes.io/name': 'ingress-nginx' }`.
   *
   * @default - any pod of those namespaces
   */
  readonly podLabels?: Record<string, string>;
}

const PROPS = knownProps<StackProps>('StackProps', ['targets', 'namespace', 'waitImage', 'kubectlImage', 'environment', 'profiles', 'networkIsolation', 'ingressController', 'podSecurity', 'chart'], {
  nested: { chart: CHART_PROPS },
});

/**
 * One deployable application: rendered into one Compose project and one Kubernetes kustomization.
 */
export class Stack extends Construct {
  public static isStack(x: unknown): x is Stack {
    return typeof x === 'object' && x !== null && STACK_SYMBOL in x;
  }

  /** The stack that `construct` belongs to. */
  public static of(construct: IConstruct): Stack {
    // The nearest stack at or above `construct`, found by walking up: no copy of its scopes per call.
    for (let scope: IConstruct | undefined = construct; scope !== undefined; scope = scope.node.scope) {
      if (Stack.isStack(scope)) return scope;
    }
    throw new Error(
      `[${construct.node.path}] is not inside a Stack; create it with a Stack (or a construct inside one) as its scope`,
    );
  }

  public readonly stackName: string;
  public readonly targets: readonly Target[];
  public readonly namespace?: string;
  public readonly waitImage: string;
  public readonly kubectlImage: string;
  public readonly environment?: string;
  public readonly profiles: readonly string[];
  public readonly networkIsolation: boolean;
  public readonly ingressController: { readonly namespaceLabels: Record<string, string>; readonly podLabels: Record<string, string> };
  public readonly podSecurity?: PodSecurityLevel;
  /** The Helm chart synth writes, or undefined when it writes none. */
  public readonly chart?: { readonly version: string; readonly appVersion?: string };
  private readonly requiredStacks = new Set<Stack>();

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    assertUsableId(scope, id, { what: 'a stack', example: 'shop', meaning: 'the id names its output folder and Compose project' });
    super(scope, id);
    Object.defineProperty(this, STACK_SYMBOL, { value: true });
    checkProps(this, Stack, props, PROPS);
    this.stackName = id;
    this.targets = props.targets ?? ['compose', 'kubernetes'];
    this.namespace = props.namespace;
    this.waitImage = props.waitImage ?? 'busybox:1.36';
    this.kubectlImage = props.kubectlImage ?? 'registry.k8s.io/kubectl:v1.32.4';
    this.environment = props.environment;
    this.networkIsolation = props.networkIsolation !== false;
    this.ingressController = { namespaceLabels: { ...(props.ingressController?.namespaceLabels ?? {}) }, podLabels: { ...(props.ingressController?.podLabels ?? {}) } };
    if (props.networkIsolation !== undefined && typeof props.networkIsolation !== 'boolean') {
      Annotations.of(this).addError(`networkIsolation must be true or false, got ${JSON.stringify(props.networkIsolation)}; write the boolean without quotes`);
    }
    if (props.podSecurity !== undefined && !POD_SECURITY_LEVELS.includes(props.podSecurity)) {
      Annotations.of(this).addError(
        `podSecurity ${JSON.stringify(props.podSecurity)} is not a Pod Security Standard level; use ${POD_SECURITY_LEVELS.map((l) => `'${l}'`).join(', ')}`,
      );
    } else {
      this.podSecurity = props.podSecurity;
    }
    this.chart = this.chartOf(props.chart);
    const profiles: unknown = props.profiles ?? [];
    this.profiles = Array.isArray(profiles) ? [...profiles] : [];

    const nameProblem = stackNameProblem(id);
    if (nameProblem) {
      Annotations.of(this).addError(`stack name ${nameProblem}; it names the output folder and the Compose project`);
    }
    if (props.namespace !== undefined && namespaceNameProblem(props.namespace)) {
      Annotations.of(this).addError(`namespace ${namespaceNameProblem(props.namespace)}`);
    }
    if (!Array.isArray(profiles)) {
      Annotations.of(this).addError(`profiles must be a list, got ${JSON.stringify(profiles)}; write profiles: ['${String(profiles)}']`);
    }
    if (this.targets.length === 0 || this.targets.some((t) => t !== 'compose' && t !== 'kubernetes')) {
      Annotations.of(this).addError(
        `targets ${JSON.stringify(props.targets)} is not a non-empty list of 'compose' and 'kubernetes'`,
      );
    }
  }

  public renders(target: Target): boolean {
    return this.targets.includes(target);
  }

  /**
   * Deploys this stack after `stack`: `cdk-compose list` puts `stack` first, and both
   * renderings say so in their header. A workload that connects to (or waits for) a workload
   * of `stack` adds this dependency itself, and also waits for it (decision 16).
   */
  public addDependency(stack: Stack): void {
    if (!Stack.isStack(stack)) {
      Annotations.of(this).addError(`addDependency() was given ${JSON.stringify(stack) ?? String(stack)}, which is not a Stack; pass the Stack this one is deployed after`);
    } else if (stack === this) {
      Annotations.of(this).addError('addDependency() was given the stack itself; a stack cannot be deployed after itself');
    } else {
      this.requiredStacks.add(stack);
    }
  }

  /** The stacks this one is deployed after, in the order they were added. */
  public get dependencies(): readonly Stack[] {
    return [...this.requiredStacks];
  }

  private chartOf(props: HelmChartProps = {}): Stack['chart'] {
    const fromContext: unknown = this.node.tryGetContext(CHARTS_CONTEXT);
    if (props.enabled !== undefined && typeof props.enabled !== 'boolean') {
      Annotations.of(this).addError(`chart.enabled must be true or false, got ${JSON.stringify(props.enabled)}; write the boolean without quotes`);
    }
    const version = props.version ?? '0.1.0';
    if (typeof version !== 'string' || !SEMVER.test(version)) {
      Annotations.of(this).addError(`chart.version ${JSON.stringify(version)} is not a SemVer 2 version, which Helm requires; write one such as '1.2.0'`);
    }
    if (props.appVersion !== undefined && (typeof props.appVersion !== 'string' || props.appVersion === '')) {
      Annotations.of(this).addError(`chart.appVersion must be a non-empty string, got ${JSON.stringify(props.appVersion)}`);
    }
    if (props.enabled === false || fromContext === false || fromContext === 'false') return undefined;
    return { version: String(version), ...(props.appVersion !== undefined ? { appVersion: String(props.appVersion) } : {}) };
  }
}
