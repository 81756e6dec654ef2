import { Construct } from 'constructs';
import { checkProps } from '../core/known-props';
import { PortOptions, PublicEndpointOptions, WorkloadOptions } from './options';
import { PORT_OPTIONS, PUBLIC_ENDPOINT_OPTIONS, workloadProps } from './private/known-options';
import { Workload } from './workload';

/**
 * Properties for a `ContainerService`.
 */
export interface ContainerServiceProps extends WorkloadOptions {
  /**
   * Ports the process listens on.
   *
   * @default - none: no Kubernetes Service is created
   */
  readonly ports?: PortOptions[];

  /**
   * Number of copies to run.
   *
   * @default 1
   */
  readonly replicas?: number;

  /**
   * Where the public reaches the service (an Ingress on Kubernetes).
   *
   * @default - not public
   */
  readonly publicEndpoint?: PublicEndpointOptions;
}

const PROPS = workloadProps<ContainerServiceProps>('ContainerServiceProps', {
  more: ['ports', 'replicas', 'publicEndpoint'],
  omitted: { hostPort: 'publish a port with ports: [{ port, hostPort }]' },
  nested: { ports: PORT_OPTIONS, publicEndpoint: PUBLIC_ENDPOINT_OPTIONS },
});

/**
 * A long-running container of any image: the escape hatch beneath the typed constructs.
 *
 * Compose: a service with `restart: unless-stopped`. Kubernetes: a Deployment, and a
 * ClusterIP Service when it has ports.
 */
export class ContainerService extends Workload {
  constructor(scope: Construct, id: string, props: ContainerServiceProps) {
    super(scope, id, props, {
      kind: 'service',
      ports: props?.ports,
      replicas: props?.replicas,
      publicEndpoint: props?.publicEndpoint,
    });
    checkProps(this, ContainerService, props, PROPS);
  }
}
