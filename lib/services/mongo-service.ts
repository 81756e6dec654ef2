import { Construct } from 'constructs';
import { Annotations } from '../core/annotations';
import { Duration } from '../core/duration';
import { Size } from '../core/size';
import { checkProps } from '../core/known-props';
import { Hardening } from '../hardening/hardening';
import { ConnectOptions } from './connectable';
import { Env, EnvPiece, EnvValue } from './env-value';
import { HealthCheck, HealthCheckOptions } from './health-check';
import { WorkloadOptions } from './options';
import { Secret } from './secret';
import { imageUserSecurity } from './private/image-user';
import { SINGLE_INSTANCE, officialImage, workloadProps } from './private/known-options';
import { Workload, describe } from './workload';

const MONGO_PORT = 27017;
const KEY_FILE = '/tmp/mongodb-keyfile';
const REPLICA_SET_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

/** The seed's timings: a check every 10s, and 30s for mongod to start before failures count. */
const CHECK_TIMINGS: HealthCheckOptions = {
  interval: Duration.seconds(10),
  timeout: Duration.seconds(10),
  retries: 5,
  startPeriod: Duration.seconds(30),
};

/**
 * Properties for a `MongoService`.
 */
export interface MongoServiceProps extends Omit<WorkloadOptions, 'image' | 'build' | 'healthCheck' | 'command'> {
  /**
   * Tag of the official `mongo` image.
   *
   * @default '7.0'
   */
  readonly version?: string;

  /**
   * Name of a single-node replica set to run (change streams and transactions need one).
   * mongod starts with `--replSet <name> --bind_ip_all`, and the health check initiates the
   * set with the one member `<name of this service>:27017`, which resolves on both targets.
   * A client on the developer's machine reaching a published port must add
   * `directConnection=true`, since the member's name resolves only inside the stack.
   * On Kubernetes the name must resolve before the pod is ready (its Service publishes
   * not-ready addresses), so consumers' init containers wait for the port, not for the set to
   * have a primary; MongoDB drivers wait for one (`serverSelectionTimeoutMS`).
   *
   * @default - a standalone server
   */
  readonly replicaSet?: string;

  /**
   * Name of the root user created on first start (`MONGO_INITDB_ROOT_USERNAME`); it turns on
   * access control. Give it together with `rootPassword`.
   *
   * @default - no user and no access control: reachable by every workload of the stack
   */
  readonly rootUsername?: string | Secret;

  /**
   * Password of `rootUsername` (`MONGO_INITDB_ROOT_PASSWORD`); supplied at deploy time.
   *
   * @default - no user and no access control
   */
  readonly rootPassword?: Secret;

  /**
   * Shared key of the replica set's members (6 to 1024 base64 characters, e.g. from
   * `openssl rand -base64 756`). mongod refuses a replica set with access control but no key
   * file, so it is required with both `replicaSet` and root credentials, and used only then.
   *
   * @default - none
   */
  readonly replicaSetKey?: Secret;

  /**
   * Size of the data volume claimed on Kubernetes.
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
   * Publish the port on the developer's machine (Compose). Leave it out in production.
   *
   * @default - not published
   */
  readonly hostPort?: number;

  /**
   * Replaces the built-in check.
   *
   * @default - the image's shell (`mongo` before 5.0, `mongosh` since) every 10s (10s timeout,
   * 5 retries, 30s start period): a ping, or with
   * `replicaSet`, initiating the set when it is not yet and healthy once this member is primary
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

const PROPS = workloadProps<MongoServiceProps>('MongoServiceProps', {
  without: ['image', 'build', 'healthCheck', 'command'],
  more: ['version', 'replicaSet', 'rootUsername', 'rootPassword', 'replicaSetKey', 'storage', 'storageClass', 'hostPort', 'healthCheck', 'startAsRoot'],
  omitted: {
    ...officialImage('mongo'),
    command: 'it runs mongod itself, with the flags that replicaSet needs; use a ContainerService for another command',
    replicas: SINGLE_INSTANCE,
  },
});

/**
 * A MongoDB server from the official image, with its data in /data/db on a persistent volume.
 *
 * Compose: a service with a named volume. Kubernetes: a StatefulSet with a headless Service
 * and a volume claim template.
 */
export class MongoService extends Workload {
  public readonly replicaSet?: string;
  private readonly rootUsername?: string | Secret;
  private readonly rootPassword?: Secret;
  private readonly replicaSetKey?: Secret;
  private readonly customHealthCheck?: HealthCheck;
  /** The shell the image has: `mongo` before 5.0, `mongosh` since (6.0 dropped `mongo`). */
  private readonly shell: string;

  constructor(scope: Construct, id: string, props: MongoServiceProps = {}) {
    const version = props.version ?? '7.0';
    const keyed = props.replicaSet !== undefined && props.rootPassword !== undefined && props.replicaSetKey !== undefined;
    super(
      scope,
      id,
      { ...props, security: imageUserSecurity(props.security, { uid: 999, gid: 999 }, props.startAsRoot), command: mongodCommand(props.replicaSet, keyed) },
      {
        kind: 'service',
        stateful: true,
        defaultImage: `mongo:${version}`,
        ports: [{ port: MONGO_PORT, name: 'mongodb', hostPort: props.hostPort }],
        dataVolume: { target: '/data/db', size: props.storage ?? Size.gibibytes(1), storageClass: props.storageClass, chosen: props.storage !== undefined || props.storageClass !== undefined },
        // The member name the health check initiates the set with is this service's own name,
        // which mongod resolves to check it is the member before it is ready.
        resolvableBeforeReady: props.replicaSet !== undefined,
      },
    );
    checkProps(this, MongoService, props, PROPS);
    this.replicaSet = props.replicaSet;
    this.rootUsername = props.rootUsername;
    this.rootPassword = props.rootPassword;
    this.replicaSetKey = keyed ? props.replicaSetKey : undefined;
    this.customHealthCheck = props.healthCheck;
    const major = /^(\d+)/.exec(version);
    this.shell = major && Number(major[1]) < 5 ? 'mongo' : 'mongosh';
    if (props.startAsRoot === true) {
      Hardening.of(this)
        .acknowledge('CKC-USER', 'startAsRoot: the official mongo image starts as root to take ownership of /data/db, then runs mongod as the mongodb user (gosu)')
        .acknowledge('CKC-CAPABILITIES', 'startAsRoot: the entrypoint needs CHOWN, SETUID and SETGID to prepare /data/db and drop to the mongodb user');
    }
    Hardening.of(this)
      .acknowledge('CKC-READ-ONLY', 'mongod keeps its socket in /tmp, where the entrypoint also writes its start-up config (and the replica set key file)');
    this.validate(props);
  }

  /**
   * A `mongodb://` URL in `options.env` (default `MONGODB_URI`): with the root credentials
   * when there are any, and `?replicaSet=<name>` for a replica set. A user given as text is
   * percent-encoded; a user or password from a Secret is the deploy-time value as it is, which
   * breaks the URL when it holds `@ / : % # ?`.
   */
  public connectionEnv(options: ConnectOptions): Record<string, EnvValue> | string {
    if (options.database !== undefined) {
      return `MongoDB has no numbered databases (database: ${JSON.stringify(options.database)}); the application names its database`;
    }
    const host = `${this.workloadName}:${MONGO_PORT}${this.replicaSet ? `/?replicaSet=${this.replicaSet}` : ''}`;
    const scheme = `${options.scheme ?? 'mongodb'}://`;
    const credentials = this.credentials;
    const user = typeof credentials?.user === 'string' ? encodeURIComponent(credentials.user) : credentials?.user;
    const pieces: EnvPiece[] = credentials && user !== undefined ? [scheme, user, ':', credentials.password, '@', host] : [scheme + host];
    return { [options.env ?? 'MONGODB_URI']: pieces.length === 1 ? pieces[0] : Env.concat(...pieces) };
  }

  protected healthCheck(): HealthCheck {
    if (this.customHealthCheck) return this.customHealthCheck;
    if (!this.replicaSet) {
      return HealthCheck.command([this.shell, '--quiet', '--eval', 'db.adminCommand("ping").ok'], CHECK_TIMINGS);
    }
    // Initiating from the health check needs no extra container and is idempotent; the member
    // counts as healthy only once it is primary, so dependents start against a writable set.
    const script =
      `try { rs.status() } catch (e) { if (e.codeName !== "NotYetInitialized") throw e; ` +
      `rs.initiate({ _id: "${this.replicaSet}", members: [{ _id: 0, host: "${this.workloadName}:${MONGO_PORT}" }] }) }; ` +
      'quit(db.hello().isWritablePrimary ? 0 : 1)';
    if (!this.credentials) {
      return HealthCheck.command([this.shell, '--quiet', '--eval', script], CHECK_TIMINGS);
    }
    // With access control rs.status() needs a user; the shell reads it from the container's environment.
    return HealthCheck.shell(
      `${this.shell} --quiet -u "$MONGO_INITDB_ROOT_USERNAME" -p "$MONGO_INITDB_ROOT_PASSWORD" --authenticationDatabase admin ` +
        `--eval '${script}'`,
      CHECK_TIMINGS,
    );
  }

  protected builtInEnv(): Record<string, EnvValue> {
    const env: Record<string, EnvValue> = {};
    if (this.credentials) {
      env.MONGO_INITDB_ROOT_USERNAME = this.credentials.user;
      env.MONGO_INITDB_ROOT_PASSWORD = this.credentials.password;
    }
    if (this.replicaSetKey) env.MONGO_REPLICA_SET_KEY = this.replicaSetKey;
    return env;
  }

  private get credentials(): { user: string | Secret; password: Secret } | undefined {
    return this.rootUsername !== undefined && this.rootPassword !== undefined
      ? { user: this.rootUsername, password: this.rootPassword }
      : undefined;
  }

  private validate(props: MongoServiceProps): void {
    const errors: string[] = [];
    if (props.replicaSet !== undefined && (typeof props.replicaSet !== 'string' || !REPLICA_SET_NAME.test(props.replicaSet))) {
      errors.push(`replicaSet ${JSON.stringify(props.replicaSet)} is not a replica set name; use letters, digits, '_' and '-', e.g. 'rs0'`);
    }
    if ((props.rootUsername === undefined) !== (props.rootPassword === undefined)) {
      errors.push(
        `has ${props.rootUsername === undefined ? 'rootPassword without rootUsername' : 'rootUsername without rootPassword'}; ` +
          'the image refuses one without the other: give both, or neither',
      );
    }
    const user = props.rootUsername;
    if (user !== undefined && !Secret.isSecret(user) && (typeof user !== 'string' || user === '')) {
      errors.push(`rootUsername must be a non-empty string or a Secret, got ${describe(user)}`);
    }
    for (const [field, value] of [['rootPassword', props.rootPassword], ['replicaSetKey', props.replicaSetKey]] as const) {
      if (value !== undefined && !Secret.isSecret(value)) {
        errors.push(
          `${field} must be a Secret, got ${typeof value === 'string' ? 'a literal string' : describe(value)}; ` +
            `use Secret.fromEnv('${field === 'rootPassword' ? 'MONGO_ROOT_PASSWORD' : 'MONGO_REPLICA_SET_KEY'}')`,
        );
      }
    }
    const secured = props.rootPassword !== undefined;
    if (props.replicaSet !== undefined && secured && props.replicaSetKey === undefined) {
      errors.push(
        'runs a replica set with access control, which mongod refuses without a key file; ' +
          "add replicaSetKey: Secret.fromEnv('MONGO_REPLICA_SET_KEY') (a value from `openssl rand -base64 756`)",
      );
    }
    if (props.replicaSetKey !== undefined && (props.replicaSet === undefined || !secured)) {
      errors.push('has a replicaSetKey, which only a replica set with root credentials uses; remove it, or add replicaSet and the root credentials');
    }
    for (const message of errors) Annotations.of(this).addError(message);
  }
}

/** `mongod` with the replica set flags; through a shell that writes the key file first when the set is keyed. */
function mongodCommand(replicaSet: string | undefined, keyed: boolean): string[] | undefined {
  if (replicaSet === undefined) return undefined; // the image's `mongod`, to which its entrypoint adds --bind_ip_all
  const mongod = ['mongod', '--replSet', replicaSet, '--bind_ip_all'];
  if (!keyed) return mongod;
  // mongod wants the key in a file only its user can read. The image's entrypoint starts as
  // root and drops to `mongodb` (uid 999) for mongod, so the file must be theirs; run through
  // the entrypoint again so that this step-down and the first-start user creation still happen.
  return [
    'sh',
    '-c',
    `umask 077 && printf '%s\\n' "$MONGO_REPLICA_SET_KEY" > ${KEY_FILE} && ` +
      `if [ "$(id -u)" = 0 ]; then chown mongodb:mongodb ${KEY_FILE}; fi && ` +
      `exec docker-entrypoint.sh ${mongod.join(' ')} --keyFile ${KEY_FILE}`,
  ];
}
