import { Construct } from 'constructs';
import { Annotations } from '../core/annotations';
import { checkProps } from '../core/known-props';
import { ConnectOptions, httpConnectionEnv } from './connectable';
import { EnvValue } from './env-value';
import { ConfigFile } from './files';
import { HealthCheck, ProbeTool } from './health-check';
import { PublicEndpointOptions, WorkloadOptions } from './options';
import { Mount } from './volume';
import { Hardening } from '../hardening/hardening';
import { PUBLIC_ENDPOINT_OPTIONS, workloadProps } from './private/known-options';
import { Workload } from './workload';

/**
 * Properties for a `StaticSite`.
 */
export interface StaticSiteProps extends Omit<WorkloadOptions, 'healthCheck'> {
  /**
   * The port nginx listens on inside the container.
   *
   * @default 80
   */
  readonly port?: number;

  /**
   * Publish the port on the developer's machine (Compose).
   *
   * @default - not published
   */
  readonly hostPort?: number;

  /**
   * Host address the published port binds to: '127.0.0.1' keeps the site off the network
   * (an operator's UI reached through an SSH tunnel).
   *
   * @default - all interfaces
   */
  readonly hostIp?: string;

  /**
   * Number of copies to run.
   *
   * @default 1
   */
  readonly replicas?: number;

  /**
   * Where the public reaches the site: an Ingress on Kubernetes.
   *
   * @default - reachable inside the stack only
   */
  readonly publicEndpoint?: PublicEndpointOptions;

  /**
   * An nginx server configuration, mounted as /etc/nginx/conf.d/default.conf (for SPA
   * fallback routing or an API proxy).
   *
   * @default - the image's own configuration
   */
  readonly nginxConfig?: ConfigFile;

  /**
   * Replaces the built-in health check.
   *
   * @default - `wget -q --spider http://localhost:<port>/` every 30s (nginx's Alpine and Debian images both have wget or curl; Alpine's BusyBox wget is the common one)
   */
  readonly healthCheck?: HealthCheck;
}

const PROPS = workloadProps<StaticSiteProps>('StaticSiteProps', {
  without: ['healthCheck'],
  more: ['port', 'hostPort', 'hostIp', 'replicas', 'publicEndpoint', 'nginxConfig', 'healthCheck'],
  nested: { publicEndpoint: PUBLIC_ENDPOINT_OPTIONS },
});

/**
 * A static site or single-page app served by nginx (its files baked into the image).
 *
 * The same shape as a `WebApp`, with nginx's conventions: port 80, a wget health check, and an
 * optional server configuration file.
 */
export class StaticSite extends Workload {
  private readonly port: number;
  private readonly customHealthCheck?: HealthCheck;

  constructor(scope: Construct, id: string, props: StaticSiteProps) {
    const port = props?.port ?? 80;
    super(scope, id, props, {
      kind: 'service',
      defaultImage: 'nginx:1.27-alpine',
      ports: [{ port, name: 'http', hostPort: props?.hostPort, hostIp: props?.hostIp }],
      replicas: props?.replicas,
      publicEndpoint: props?.publicEndpoint,
    });
    checkProps(this, StaticSite, props, PROPS);
    this.port = port;
    this.customHealthCheck = props?.healthCheck;
    Hardening.of(this)
      .acknowledge('CKC-USER', 'the nginx master process binds the port as root and runs its workers as the nginx user; for a fully non-root site use nginxinc/nginx-unprivileged on port 8080')
      .acknowledge('CKC-CAPABILITIES', 'nginx needs CHOWN, SETUID, SETGID and NET_BIND_SERVICE to bind port 80 and start its workers as nginx');
    if (props?.hostIp !== undefined && props.hostPort === undefined) {
      Annotations.of(this).addError(
        `hostIp ${JSON.stringify(props.hostIp)} is given without a hostPort, so nothing is published on it; add hostPort or remove hostIp`,
      );
    }
    if (props?.nginxConfig) {
      this.addMount(Mount.config(props.nginxConfig, '/etc/nginx/conf.d/default.conf'));
    }
  }

  /** `http://<name>:<port>` in the variable `options.env` (default `<NAME>_URL`). */
  public connectionEnv(options: ConnectOptions): Record<string, EnvValue> {
    return httpConnectionEnv(this.workloadName, this.port, options);
  }

  protected healthCheck(): HealthCheck {
    return this.customHealthCheck ?? HealthCheck.http('/', { probeTool: ProbeTool.WGET });
  }
}
