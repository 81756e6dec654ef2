import { Construct } from 'constructs';
import { Annotations } from '../core/annotations';
import { Duration } from '../core/duration';
import { Size } from '../core/size';
import { ConnectOptions } from './connectable';
import { Env, EnvValue } from './env-value';
import { HealthCheck } from './health-check';
import { WorkloadOptions } from './options';
import { Secret } from './secret';
import { Hardening } from '../hardening/hardening';
import { checkProps } from '../core/known-props';
import { imageUserSecurity } from './private/image-user';
import { SINGLE_INSTANCE, officialImage, workloadProps } from './private/known-options';
import { Workload } from './workload';

const REDIS_PORT = 6379;

/**
 * How Redis keeps its data across restarts.
 */
export class RedisPersistence {
  /** Nothing is written to disk: a cache that may be lost. No volume is created. */
  public static none(): RedisPersistence {
    return new RedisPersistence(['--save', '', '--appendonly', 'no'], false);
  }

  /**
   * What the image does with no persistence flags: redis-server's default snapshots (RDB)
   * into /data, on a persistent volume. For a server moved from a Compose file that gave none.
   */
  public static imageDefault(): RedisPersistence {
    return new RedisPersistence([], true);
  }

  /** Every write is logged to an append-only file (AOF) on a persistent volume. */
  public static appendOnly(): RedisPersistence {
    return new RedisPersistence(['--appendonly', 'yes'], true);
  }

  /** A snapshot every `every` if at least `changes` keys changed (RDB). */
  public static snapshots(every: Duration, changes: number): RedisPersistence {
    const problems: string[] = [];
    const everyProblem = Duration.isDuration(every) ? every._problem() : `${JSON.stringify(every)} is not a Duration`;
    if (everyProblem) problems.push(`RedisPersistence.snapshots interval: ${everyProblem}; snapshot e.g. every Duration.minutes(5)`);
    if (!Number.isInteger(changes) || changes < 1) {
      problems.push(
        `RedisPersistence.snapshots changes must be a whole number of at least 1, got ${JSON.stringify(changes)}; ` +
          'give how many keys must change before a snapshot, e.g. 100',
      );
    }
    const seconds = Duration.isDuration(every) ? every.totalSeconds : every;
    return new RedisPersistence(['--save', `${seconds} ${changes}`, '--appendonly', 'no'], true, problems);
  }

  private constructor(
    public readonly serverArgs: readonly string[],
    public readonly needsVolume: boolean,
    private readonly found: readonly string[] = [],
  ) {}

  /** @internal What is wrong with the values given (a snapshot interval of 0 s, -1 changes), if anything. */
  public _problems(): readonly string[] {
    return this.found;
  }
}

/**
 * Properties for a `RedisService`.
 */
export interface RedisServiceProps extends Omit<WorkloadOptions, 'image' | 'build' | 'command'> {
  /**
   * Tag of the official `redis` image.
   *
   * @default '7-alpine'
   */
  readonly version?: string;

  /**
   * How data survives a restart.
   *
   * @default RedisPersistence.appendOnly()
   */
  readonly persistence?: RedisPersistence;

  /**
   * Password clients must give (`requirepass`).
   *
   * @default - no password: reachable by every workload of the stack
   */
  readonly password?: Secret;

  /**
   * Extra `redis-server` arguments, e.g. ['--notify-keyspace-events', 'KA'].
   *
   * @default - none
   */
  readonly serverArgs?: string[];

  /**
   * Size of the data volume claimed on Kubernetes (when persistence needs one).
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
   * @default - `redis-cli ping` every 10s, 3s timeout, 5 retries
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

const PROPS = workloadProps<RedisServiceProps>('RedisServiceProps', {
  without: ['image', 'build', 'command'],
  more: ['version', 'persistence', 'password', 'serverArgs', 'storage', 'storageClass', 'hostPort', 'healthCheck', 'startAsRoot'],
  omitted: {
    ...officialImage('redis'),
    command: 'it runs redis-server with the persistence settings; pass more arguments with serverArgs',
    replicas: SINGLE_INSTANCE,
  },
});

/**
 * A Redis server from the official image.
 *
 * With persistence: a StatefulSet with a claim on Kubernetes and a named volume on Compose.
 * Without: a Deployment and no volume.
 */
export class RedisService extends Workload {
  private readonly password?: Secret;

  constructor(scope: Construct, id: string, props: RedisServiceProps = {}) {
    const givenPersistence: unknown = props.persistence;
    const persistence = isRedisPersistence(givenPersistence) ? givenPersistence : RedisPersistence.appendOnly();
    const givenArgs: unknown = props.serverArgs ?? [];
    const extraArgs = Array.isArray(givenArgs) && givenArgs.every((a) => typeof a === 'string') ? givenArgs : [];
    const args = [...persistence.serverArgs, ...extraArgs];
    // The redis user is 999 in both images; its group is 1000 in the Alpine ones.
    const version = props.version ?? '7-alpine';
    const security = imageUserSecurity(props.security, { uid: 999, gid: version.includes('alpine') ? 1000 : 999 }, props.startAsRoot);
    super(
      scope,
      id,
      {
        ...props,
        security,
        // requirepass must not show up in the Compose file, so the shell reads it from the
        // environment at start; through the image's entrypoint, which drops root for `redis`.
        command: props.password
          ? ['sh', '-c', `exec docker-entrypoint.sh redis-server ${args.map(shellQuote).join(' ')} --requirepass "$REDIS_PASSWORD"`]
          : ['redis-server', ...args],
      },
      {
        kind: 'service',
        stateful: persistence.needsVolume,
        defaultImage: `redis:${props.version ?? '7-alpine'}`,
        ports: [{ port: REDIS_PORT, name: 'redis', hostPort: props.hostPort }],
        dataVolume: persistence.needsVolume
          ? { target: '/data', size: props.storage ?? Size.gibibytes(1), storageClass: props.storageClass, chosen: props.storage !== undefined || props.storageClass !== undefined }
          : undefined,
      },
    );
    checkProps(this, RedisService, props, PROPS);
    this.password = props.password;
    if (props.startAsRoot === true) {
      Hardening.of(this)
        .acknowledge('CKC-USER', 'startAsRoot: the official redis image starts as root to take ownership of /data, then runs redis-server as the redis user (gosu)')
        .acknowledge('CKC-CAPABILITIES', 'startAsRoot: the entrypoint needs CHOWN, SETUID and SETGID to prepare /data and drop to the redis user');
    }
    if (givenPersistence !== undefined && !isRedisPersistence(givenPersistence)) {
      Annotations.of(this).addError(
        `persistence must be RedisPersistence.none(), .appendOnly() or .snapshots(...), got ${JSON.stringify(givenPersistence)}`,
      );
    }
    for (const problem of persistence._problems?.() ?? []) {
      Annotations.of(this).addError(`persistence: ${problem}`);
    }
    if (extraArgs !== givenArgs) {
      const words = typeof givenArgs === 'string' ? givenArgs.split(/\s+/).filter(Boolean).map((w) => `'${w}'`).join(', ') : '...';
      Annotations.of(this).addError(`serverArgs must be a list of strings, got ${JSON.stringify(givenArgs)}; write [${words}]`);
    }
    if (props.password !== undefined && !Secret.isSecret(props.password)) {
      Annotations.of(this).addError("password must be a Secret; use Secret.fromEnv('REDIS_PASSWORD')");
    }
  }

  /** `redis://[:password@]<name>:6379/<database>` in `options.env` (default REDIS_URL). */
  public connectionEnv(options: ConnectOptions): Record<string, EnvValue> | string {
    const database = options.database ?? 0;
    if (!Number.isInteger(database) || database < 0 || database > 15) {
      return `database must be a Redis database number from 0 to 15, got ${JSON.stringify(database)}`;
    }
    const scheme = options.scheme ?? 'redis';
    const hostPart = `${this.workloadName}:${REDIS_PORT}/${database}`;
    const url = this.password ? Env.concat(`${scheme}://:`, this.password, `@${hostPart}`) : `${scheme}://${hostPart}`;
    return { [options.env ?? 'REDIS_URL']: url };
  }

  protected healthCheck(): HealthCheck {
    const given = super.healthCheck();
    if (given) return given;
    return HealthCheck.command(['redis-cli', 'ping'], {
      interval: Duration.seconds(10),
      timeout: Duration.seconds(3),
      retries: 5,
    });
  }

  protected builtInEnv(): Record<string, EnvValue> {
    // redis-cli reads REDISCLI_AUTH, so the health check needs no password on its command line.
    return this.password ? { REDIS_PASSWORD: this.password, REDISCLI_AUTH: this.password } : {};
  }
}

function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_./:=-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

function isRedisPersistence(x: unknown): x is RedisPersistence {
  const candidate = x as RedisPersistence | undefined;
  return Array.isArray(candidate?.serverArgs) && typeof candidate?.needsVolume === 'boolean';
}
