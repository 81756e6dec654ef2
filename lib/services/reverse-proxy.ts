import { Construct } from 'constructs';
import { Annotations } from '../core/annotations';
import { Duration } from '../core/duration';
import { hasParameter } from '../core/parameter';
import { Size } from '../core/size';
import { Stack } from '../core/stack';
import { checkProps, knownProps, unknownPropProblems } from '../core/known-props';
import { Hardening } from '../hardening/hardening';
import { HealthCheck } from './health-check';
import { Network } from './network';
import { WorkloadOptions } from './options';
import { Mount } from './volume';
import { officialImage, workloadProps } from './private/known-options';
import { Workload, describe } from './workload';

const WEB_PORT = 80;
const WEBSECURE_PORT = 443;
/** Traefik's own entrypoint, where `--ping` answers. */
const PING_PORT = 8080;
const ACME_DIRECTORY = '/letsencrypt';
const RESOLVER = 'letsencrypt';
const LETS_ENCRYPT_STAGING = 'https://acme-staging-v02.api.letsencrypt.org/directory';

/**
 * Certificates from Let's Encrypt for the routes with TLS.
 */
export interface LetsEncryptOptions {
  /** Address Let's Encrypt writes to about expiring certificates. */
  readonly email: string;

  /**
   * Use Let's Encrypt's staging service (untrusted certificates, generous rate limits) to
   * try a setup out.
   *
   * @default false
   */
  readonly staging?: boolean;
}

/**
 * Properties for a `TraefikProxy`.
 */
export interface TraefikProxyProps extends Omit<WorkloadOptions, 'image' | 'build' | 'command' | 'healthCheck'> {
  /**
   * Tag of the official `traefik` image.
   *
   * @default 'v3.0'
   */
  readonly version?: string;

  /**
   * Issue certificates for TLS routes with Let's Encrypt (TLS-ALPN challenge on port 443);
   * they are kept on a named volume so that a restart does not ask again.
   *
   * @default - no certificate resolver: TLS routes get Traefik's self-signed default certificate
   */
  readonly letsEncrypt?: LetsEncryptOptions;

  /**
   * Host port of the `web` entrypoint (HTTP).
   *
   * @default 80
   */
  readonly httpPort?: number;

  /**
   * Host port of the `websecure` entrypoint (HTTPS).
   *
   * @default 443
   */
  readonly httpsPort?: number;

  /**
   * The network Traefik reaches routed containers on (`traefik.docker.network`), for
   * containers on several networks. Traefik joins it; routed workloads must join it too.
   *
   * @default - the containers' only network
   */
  readonly dockerNetwork?: Network;

  /**
   * The Docker engine's socket on the host, which the Docker provider reads container labels
   * through. Rootless engines keep it elsewhere (`$XDG_RUNTIME_DIR/docker.sock`): pass a
   * `Parameter`'s value to let the deploy choose it.
   *
   * @default '/var/run/docker.sock'
   */
  readonly dockerSocket?: string;
}

/**
 * Options for `TraefikProxy.route`.
 */
export interface ProxyRouteOptions {
  /** Host name the route answers, e.g. 'app.example.com'. */
  readonly host: string;

  /**
   * Path prefix the route answers.
   *
   * @default '/'
   */
  readonly path?: string;

  /**
   * Serve the route over HTTPS, and redirect plain HTTP to it.
   *
   * @default false
   */
  readonly tls?: boolean;

  /**
   * Kubernetes TLS Secret with the certificate for `host` (for example one that
   * cert-manager keeps), used by the Ingress when `tls` is on.
   *
   * @default - '<workload>-tls'
   */
  readonly tlsSecretName?: string;

  /**
   * Ingress class that serves the route on Kubernetes.
   *
   * @default - the cluster's default ingress class
   */
  readonly ingressClassName?: string;
}

const LETS_ENCRYPT_OPTIONS = knownProps<LetsEncryptOptions>('LetsEncryptOptions', ['email', 'staging']);

/** Where the Docker provider finds the engine's socket in the container, and its usual place on the host. */
const DOCKER_SOCKET = '/var/run/docker.sock';

const PROPS = workloadProps<TraefikProxyProps>('TraefikProxyProps', {
  without: ['image', 'build', 'command', 'healthCheck'],
  more: ['version', 'letsEncrypt', 'httpPort', 'httpsPort', 'dockerNetwork', 'dockerSocket'],
  omitted: {
    ...officialImage('traefik'),
    command: 'its arguments come from letsEncrypt, httpPort, httpsPort and dockerNetwork; set those instead',
    healthCheck: 'it checks itself with traefik healthcheck --ping; remove healthCheck',
    replicas: 'one proxy publishes the host ports; remove replicas',
  },
  nested: { letsEncrypt: LETS_ENCRYPT_OPTIONS },
});

const ROUTE_OPTIONS = knownProps<ProxyRouteOptions>('ProxyRouteOptions', ['host', 'path', 'tls', 'tlsSecretName', 'ingressClassName']);

/**
 * A Traefik reverse proxy that routes public host names to workloads of the stack, with
 * TLS from Let's Encrypt.
 *
 * Compose: a `traefik` service with the Docker provider, reading the routing labels that
 * `route()` puts on each routed service; ports 80 and 443 published. Kubernetes: left out,
 * since the cluster's ingress controller does its job; each route becomes an Ingress of
 * the routed workload (see docs/decisions/0004-reverse-proxy-on-compose-ingress-on-kubernetes.md).
 */
export class TraefikProxy extends Workload {
  private readonly letsEncrypt?: LetsEncryptOptions;
  private readonly dockerNetwork?: Network;

  constructor(scope: Construct, id: string, props: TraefikProxyProps = {}) {
    const letsEncrypt = props.letsEncrypt;
    super(
      scope,
      id,
      {
        ...props,
        command: traefikArguments(Stack.of(scope).stackName, props),
        networks: props.dockerNetwork ? [...(props.networks ?? []), props.dockerNetwork] : props.networks,
      },
      {
        kind: 'service',
        stateful: letsEncrypt !== undefined,
        defaultImage: `traefik:${props.version ?? 'v3.0'}`,
        ports: [
          { port: WEB_PORT, name: 'web', hostPort: props.httpPort ?? WEB_PORT },
          { port: WEBSECURE_PORT, name: 'websecure', hostPort: props.httpsPort ?? WEBSECURE_PORT },
          { port: PING_PORT, name: 'traefik' },
        ],
        dataVolume: letsEncrypt ? { target: ACME_DIRECTORY, size: Size.mebibytes(64) } : undefined,
        composeOnly:
          'the cluster\'s ingress controller routes the public endpoints instead (each route() is an Ingress of the routed workload)',
      },
    );
    checkProps(this, TraefikProxy, props, PROPS);
    this.letsEncrypt = letsEncrypt;
    this.dockerNetwork = props.dockerNetwork;
    // The Docker provider reads container labels from the engine's API. Read-only keeps the
    // socket file from being replaced; the API itself stays fully usable.
    const socket = props.dockerSocket ?? DOCKER_SOCKET;
    // A socket chosen at deploy time is a bind, whose source may hold a parameter.
    this.addMount(
      hasParameter(socket)
        ? Mount.bind(socket, DOCKER_SOCKET, { readOnly: true, onKubernetes: 'leave-out' })
        : Mount.hostPath(socket, { target: DOCKER_SOCKET, targets: ['compose'] }),
    );
    Hardening.of(this)
      .acknowledge('CKC-DATABASE-PORT', 'a reverse proxy publishes ports 80 and 443 by design; its volume holds ACME certificates, not data')
      .acknowledge('CKC-USER', 'the Docker provider reads the engine socket, which only root (or the docker group) may open');

    if (letsEncrypt !== undefined && (typeof letsEncrypt.email !== 'string' || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(letsEncrypt.email))) {
      Annotations.of(this).addError(
        `letsEncrypt.email ${JSON.stringify(letsEncrypt.email)} is not an e-mail address; Let's Encrypt needs one, e.g. 'ops@example.com'`,
      );
    }
    if (props.dockerNetwork !== undefined && !Network.isNetwork(props.dockerNetwork)) {
      Annotations.of(this).addError(`dockerNetwork must be a Network construct, got ${describe(props.dockerNetwork)}`);
    }
  }

  /**
   * Routes `options.host` (and path) to `workload`'s first port: Traefik labels on its Compose
   * service, an Ingress on Kubernetes.
   */
  public route(workload: Workload, options: ProxyRouteOptions): this {
    if (!Workload.isWorkload(workload)) {
      Annotations.of(this).addError(`route() was given ${describe(workload)}, which is not a workload; pass a service construct`);
      return this;
    }
    const port = workload.primaryPort;
    if (port === undefined || workload.isJob) {
      Annotations.of(this).addError(`route() was given ${workload.node.path}, which has no port to route to; give it a port`);
      return this;
    }
    if (Stack.of(workload) !== Stack.of(this)) {
      Annotations.of(this).addError(
        `route() was given ${workload.node.path} of another stack; a proxy routes only the workloads of its own stack`,
      );
      return this;
    }
    for (const problem of unknownPropProblems(`route(${workload.workloadName})`, options, ROUTE_OPTIONS, 'option')) {
      Annotations.of(this).addError(problem);
    }
    const path = options.path ?? '/';
    const tls = options.tls ?? false;

    workload.addPublicEndpoint(
      {
        host: options.host,
        path,
        tlsSecretName: tls ? options.tlsSecretName ?? `${workload.workloadName}-tls` : undefined,
        ingressClassName: options.ingressClassName,
      },
      this.workloadName,
    );
    if (!tls && options.tlsSecretName !== undefined) {
      Annotations.of(this).addWarning(
        `route(${workload.workloadName}) names tlsSecretName ${options.tlsSecretName} without tls: true; the route is plain HTTP on both targets`,
      );
    }

    const router = workload.workloadName;
    const rule = path === '/' ? `Host(\`${options.host}\`)` : `Host(\`${options.host}\`) && PathPrefix(\`${path}\`)`;
    const labels: Record<string, string> = {
      'traefik.enable': 'true',
      [`traefik.http.routers.${router}.rule`]: rule,
      [`traefik.http.routers.${router}.entrypoints`]: tls ? 'websecure' : 'web',
      [`traefik.http.routers.${router}.service`]: router,
    };
    if (tls) {
      labels[`traefik.http.routers.${router}.tls`] = 'true';
      if (this.letsEncrypt) labels[`traefik.http.routers.${router}.tls.certresolver`] = RESOLVER;
      // Plain HTTP on the same rule answers with a permanent redirect to HTTPS.
      labels[`traefik.http.routers.${router}-http.rule`] = rule;
      labels[`traefik.http.routers.${router}-http.entrypoints`] = 'web';
      labels[`traefik.http.routers.${router}-http.middlewares`] = `${router}-https`;
      labels[`traefik.http.middlewares.${router}-https.redirectscheme.scheme`] = 'https';
      labels[`traefik.http.middlewares.${router}-https.redirectscheme.permanent`] = 'true';
    }
    labels[`traefik.http.services.${router}.loadbalancer.server.port`] = String(port);
    if (this.dockerNetwork && Network.isNetwork(this.dockerNetwork)) {
      labels['traefik.docker.network'] = dockerNetworkName(Stack.of(this).stackName, this.dockerNetwork);
    }
    for (const [name, value] of Object.entries(labels)) {
      workload.addLabel(name, value, { onKubernetes: false });
    }
    return this;
  }

  protected healthCheck(): HealthCheck {
    // The flags of the main process do not reach `traefik healthcheck`; `--ping` makes it
    // call /ping on the default `traefik` entrypoint, :8080, which the proxy declares.
    return HealthCheck.command(['traefik', 'healthcheck', '--ping'], {
      interval: Duration.seconds(10),
      timeout: Duration.seconds(5),
      retries: 3,
    });
  }
}

function traefikArguments(stackName: string, props: TraefikProxyProps): string[] {
  const args = [
    '--providers.docker=true',
    '--providers.docker.exposedbydefault=false',
    // The Docker provider sees every container of the engine; only this Compose project's
    // (named after the stack's folder) are routed, so two stacks on one host do not mix.
    `--providers.docker.constraints=Label(\`com.docker.compose.project\`,\`${stackName}\`)`,
    `--entrypoints.web.address=:${WEB_PORT}`,
    `--entrypoints.websecure.address=:${WEBSECURE_PORT}`,
    `--entrypoints.traefik.address=:${PING_PORT}`,
    '--ping=true',
  ];
  if (props.dockerNetwork && Network.isNetwork(props.dockerNetwork)) {
    args.push(`--providers.docker.network=${dockerNetworkName(stackName, props.dockerNetwork)}`);
  }
  const letsEncrypt = props.letsEncrypt;
  if (letsEncrypt) {
    const resolver = `--certificatesresolvers.${RESOLVER}.acme`;
    args.push(`${resolver}.email=${letsEncrypt.email}`, `${resolver}.storage=${ACME_DIRECTORY}/acme.json`, `${resolver}.tlschallenge=true`);
    if (letsEncrypt.staging) args.push(`${resolver}.caserver=${LETS_ENCRYPT_STAGING}`);
  }
  return args;
}

/**
 * The engine's name of a network, which Traefik matches: Compose prefixes the networks it
 * creates with the project's name, except external and shared ones.
 */
function dockerNetworkName(stackName: string, network: Network): string {
  const model = network._toModel();
  return model.external || model.shared ? network.networkName : `${stackName}_${network.networkName}`;
}
