import { Construct } from 'constructs';
import { Annotations } from '../core/annotations';
import { usableId } from '../core/construct-id';
import { checkProps, knownProps } from '../core/known-props';
import { workloadNameProblem } from '../core/names';
import { NetworkModel } from '../model';

const NETWORK_SYMBOL = Symbol.for('cdk-compose.Network');

/**
 * Properties for a `Network`.
 */
export interface NetworkProps {
  /**
   * The network is created by another Compose project; this one only joins it.
   *
   * @default false
   */
  readonly external?: boolean;

  /**
   * Other Compose projects may join the network (as an `external` network of the same name):
   * it is named `<id>` on the Docker engine instead of Compose's project-scoped
   * `<project>_<id>`. Kubernetes has no networks, so this changes nothing there.
   *
   * @default false
   */
  readonly shared?: boolean;
}

const PROPS = knownProps<NetworkProps>('NetworkProps', ['external', 'shared']);

/**
 * A named Compose network that services join.
 *
 * Kubernetes has one flat network per namespace, so networks are left out there (with a note).
 */
export class Network extends Construct {
  public static isNetwork(x: unknown): x is Network {
    return typeof x === 'object' && x !== null && NETWORK_SYMBOL in x;
  }

  public readonly networkName: string;
  private readonly external: boolean;
  private readonly shared: boolean;

  constructor(scope: Construct, givenId: string, props: NetworkProps = {}) {
    const { id, standIn } = usableId(scope, givenId, { what: 'a network', example: 'backend', meaning: 'the id is its network name' });
    super(scope, id);
    checkProps(this, Network, props, PROPS);
    Object.defineProperty(this, NETWORK_SYMBOL, { value: true });
    this.networkName = id;
    this.external = props.external ?? false;
    this.shared = props.shared ?? false;
    if (this.external && this.shared) {
      Annotations.of(this).addError(
        'is both external and shared; the project that creates the network marks it shared, the projects that join it mark it external',
      );
    }
    const problem = standIn ? undefined : workloadNameProblem(id);
    if (problem) Annotations.of(this).addError(`network name ${problem}`);
  }

  /** @internal */
  public _toModel(): NetworkModel {
    return { name: this.networkName, path: this.node.path, external: this.external, ...(this.shared ? { shared: true } : {}) };
  }
}
