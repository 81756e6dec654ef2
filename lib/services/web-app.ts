import { Construct } from 'constructs';
import { Annotations } from '../core/annotations';
import { checkProps } from '../core/known-props';
import { ConnectOptions, httpConnectionEnv } from './connectable';
import { EnvValue } from './env-value';
import { PublicEndpointOptions, WorkloadOptions } from './options';
import { PUBLIC_ENDPOINT_OPTIONS, workloadProps } from './private/known-options';
import { Workload } from './workload';

/**
 * Properties for a `WebApp`.
 */
export interface WebAppProps extends WorkloadOptions {
  /** The port the HTTP server listens on. */
  readonly port: number;

  /**
   * Publish the port on the developer's machine (Compose). 0 publishes it on a free port the
   * engine picks, so that several copies of the stack never clash.
   *
   * @default - not published
   */
  readonly hostPort?: number;

  /**
   * Number of copies to run.
   *
   * @default 1
   */
  readonly replicas?: number;

  /**
   * Where the public reaches the app: an Ingress on Kubernetes.
   *
   * @default - reachable inside the stack only
   */
  readonly publicEndpoint?: PublicEndpointOptions;
}

const PROPS = workloadProps<WebAppProps>('WebAppProps', {
  more: ['port', 'hostPort', 'replicas', 'publicEndpoint'],
  omitted: { ports: 'a WebApp listens on one port: give it as port (use a ContainerService for several)' },
  nested: { publicEndpoint: PUBLIC_ENDPOINT_OPTIONS },
});

/**
 * A long-running HTTP service.
 *
 * Compose: a service with its port on the project network, published when `hostPort` is
 * given. Kubernetes: a Deployment, a ClusterIP Service, and an Ingress for a public endpoint.
 */
export class WebApp extends Workload {
  private readonly port: number;

  constructor(scope: Construct, id: string, props: WebAppProps) {
    super(scope, id, props, {
      kind: 'service',
      ports: [{ port: props?.port, name: 'http', hostPort: props?.hostPort }],
      replicas: props?.replicas,
      publicEndpoint: props?.publicEndpoint,
    });
    checkProps(this, WebApp, props, PROPS);
    this.port = props?.port;
    if (props?.port === undefined) {
      Annotations.of(this).addError('WebApp needs the port its HTTP server listens on; add `port: 8080` (or the real port)');
    }
  }

  /** `http://<name>:<port>` in the variable `options.env` (default `<NAME>_URL`). */
  public connectionEnv(options: ConnectOptions): Record<string, EnvValue> {
    return httpConnectionEnv(this.workloadName, this.port, options);
  }
}
