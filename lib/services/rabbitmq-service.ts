import { Construct } from 'constructs';
import { Annotations } from '../core/annotations';
import { Duration } from '../core/duration';
import { Size } from '../core/size';
import { checkProps } from '../core/known-props';
import { Hardening } from '../hardening/hardening';
import { ConnectOptions } from './connectable';
import { Env, EnvValue } from './env-value';
import { HealthCheck } from './health-check';
import { PortOptions, WorkloadOptions } from './options';
import { Secret } from './secret';
import { imageUserSecurity } from './private/image-user';
import { SINGLE_INSTANCE, officialImage, workloadProps } from './private/known-options';
import { Workload, describe } from './workload';

const AMQP_PORT = 5672;
const MANAGEMENT_PORT = 15672;

/**
 * Properties for a `RabbitMqService`.
 */
export interface RabbitMqServiceProps extends Omit<WorkloadOptions, 'image' | 'build' | 'healthCheck'> {
  /** Password of `user` (`RABBITMQ_DEFAULT_PASS`); supplied at deploy time, never written to the output. */
  readonly password: Secret;

  /**
   * The user created on first start (`RABBITMQ_DEFAULT_USER`), instead of the image's
   * `guest`/`guest`: the official image lets `guest` in from anywhere on the network
   * (its `loopback_users.guest = false`), with a password everyone knows.
   *
   * @default 'app'
   */
  readonly user?: string | Secret;

  /**
   * Tag of the official `rabbitmq` image. Tags ending in `-management` include the
   * management UI on port 15672.
   *
   * @default '3.13-management'
   */
  readonly version?: string;

  /**
   * Publish the AMQP port on the developer's machine (Compose). Leave it out in production.
   *
   * @default - not published
   */
  readonly hostPort?: number;

  /**
   * Publish the management UI on the developer's machine (Compose). Needs a `-management` tag.
   *
   * @default - not published
   */
  readonly managementHostPort?: number;

  /**
   * Size of the data volume (/var/lib/rabbitmq) claimed on Kubernetes.
   * A Volume mounted at the data directory replaces that volume: size it instead.
   *
   * @default Size.gibibytes(1)
   */
  readonly storage?: Size;

  /**
   * Kubernetes storage class of the data volume.
   *
   * @default - the cluster's default storage class
   */
  readonly storageClass?: string;

  /**
   * Replaces the built-in check.
   *
   * @default - `rabbitmq-diagnostics -q check_port_connectivity` every 10s (10s timeout, 5 retries, 30s start period)
   */
  readonly healthCheck?: HealthCheck;

  /**
   * Start the image's entrypoint as root, as the image does by default: it takes ownership of
   * the data directory, then drops to the server's own user. Only for a data directory that
   * user cannot write (a host folder owned by root); it keeps the capabilities the entrypoint
   * needs, so a namespace enforcing the restricted Pod Security Standard refuses the pod.
   *
   * @default false - the server runs as the image's own non-root user from the start
   */
  readonly startAsRoot?: boolean;
}

const PROPS = workloadProps<RabbitMqServiceProps>('RabbitMqServiceProps', {
  without: ['image', 'build', 'healthCheck'],
  more: ['password', 'user', 'version', 'hostPort', 'managementHostPort', 'storage', 'storageClass', 'healthCheck', 'startAsRoot'],
  omitted: { ...officialImage('rabbitmq'), replicas: SINGLE_INSTANCE },
});

/**
 * A RabbitMQ broker from the official image, with its data on a persistent volume.
 *
 * Compose: a service with a named volume. Kubernetes: a StatefulSet with a headless Service
 * and a volume claim template.
 */
export class RabbitMqService extends Workload {
  public readonly user: string | Secret;
  public readonly password: Secret;
  private readonly customHealthCheck?: HealthCheck;

  constructor(scope: Construct, id: string, props: RabbitMqServiceProps) {
    const version = props?.version ?? '3.13-management';
    const management = version.includes('management');
    const ports: PortOptions[] = [{ port: AMQP_PORT, name: 'amqp', hostPort: props?.hostPort }];
    if (management) ports.push({ port: MANAGEMENT_PORT, name: 'management', hostPort: props?.managementHostPort });
    // The rabbitmq user is 999 in the Debian images, 100 (group 101) in the Alpine ones.
    const security = imageUserSecurity(props?.security, version.includes('alpine') ? { uid: 100, gid: 101 } : { uid: 999, gid: 999 }, props?.startAsRoot);
    super(scope, id, { ...props, security }, {
      kind: 'service',
      stateful: true,
      defaultImage: `rabbitmq:${version}`,
      ports,
      dataVolume: { target: '/var/lib/rabbitmq', size: props?.storage ?? Size.gibibytes(1), storageClass: props?.storageClass, chosen: props?.storage !== undefined || props?.storageClass !== undefined },
    });
    checkProps(this, RabbitMqService, props, PROPS);
    this.user = props?.user ?? 'app';
    this.password = props?.password;
    this.customHealthCheck = props?.healthCheck;
    if (props?.startAsRoot === true) {
      Hardening.of(this)
        .acknowledge('CKC-USER', 'startAsRoot: the official rabbitmq image starts as root to take ownership of /var/lib/rabbitmq, then runs the broker as the rabbitmq user (gosu)')
        .acknowledge('CKC-CAPABILITIES', 'startAsRoot: the entrypoint needs CHOWN, SETUID and SETGID to prepare /var/lib/rabbitmq and drop to the rabbitmq user');
    }

    if (!Secret.isSecret(props?.password)) {
      Annotations.of(this).addError(
        `password must be a Secret, got ${typeof props?.password === 'string' ? 'a literal string' : describe(props?.password)}; ` +
          "use Secret.fromEnv('RABBITMQ_PASSWORD')",
      );
    }
    if (!Secret.isSecret(this.user) && (typeof this.user !== 'string' || this.user === '')) {
      Annotations.of(this).addError(`user must be a non-empty string or a Secret, got ${describe(this.user)}`);
    }
    if (!management && props?.managementHostPort !== undefined) {
      Annotations.of(this).addError(
        `managementHostPort is ${props.managementHostPort}, but rabbitmq:${version} has no management UI; ` +
          "use a '-management' tag (e.g. '3.13-management') or remove managementHostPort",
      );
    }
  }

  /**
   * `amqp://<user>:<password>@<name>:5672` in `options.env` (default `RABBITMQ_URL`); the
   * default vhost `/`. A user given as text is percent-encoded; a user or password from a Secret
   * is the deploy-time value as it is, which breaks the URL when it holds `@ / : % # ?`.
   */
  public connectionEnv(options: ConnectOptions): Record<string, EnvValue> | string {
    if (options.database !== undefined) {
      return `RabbitMQ has no numbered databases (database: ${JSON.stringify(options.database)}); remove database`;
    }
    const scheme = options.scheme ?? 'amqp';
    const user = typeof this.user === 'string' ? encodeURIComponent(this.user) : this.user;
    return {
      [options.env ?? 'RABBITMQ_URL']: Env.concat(`${scheme}://`, user, ':', this.password, `@${this.workloadName}:${AMQP_PORT}`),
    };
  }

  protected healthCheck(): HealthCheck {
    // Unlike `ping`, which answers once the Erlang node is up, this waits until the listeners
    // accept connections: what a dependent needs.
    return (
      this.customHealthCheck ??
      HealthCheck.command(['rabbitmq-diagnostics', '-q', 'check_port_connectivity'], {
        interval: Duration.seconds(10),
        timeout: Duration.seconds(10),
        retries: 5,
        startPeriod: Duration.seconds(30),
      })
    );
  }

  protected builtInEnv(): Record<string, EnvValue> {
    return {
      RABBITMQ_DEFAULT_USER: this.user,
      RABBITMQ_DEFAULT_PASS: this.password,
      // RabbitMQ keeps its data in /var/lib/rabbitmq/mnesia/<node name>, and the node name
      // defaults to rabbit@<host name>: a container's random host name (a recreated Compose
      // container) would start an empty broker beside the old data. localhost always resolves
      // to the container itself, on both targets, and never changes.
      RABBITMQ_NODENAME: 'rabbit@localhost',
    };
  }
}
