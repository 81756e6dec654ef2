import { Construct, IConstruct } from 'constructs';
import { Target } from '../model';
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
   * @default - none
   */
  readonly environment?: string;

  /**
   * Compose profiles enabled on Kubernetes: workloads in other profiles are left out there.
   * (On Compose every workload is written and `--profile` chooses at start.)
   *
   * @default - none: workloads with profiles are left out on Kubernetes
   */
  readonly profiles?: string[];
}

const PROPS = knownProps<StackProps>('StackProps', ['targets', 'namespace', 'waitImage', 'kubectlImage', 'environment', 'profiles']);

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
}
