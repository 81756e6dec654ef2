import { Construct } from 'constructs';
import { Annotations } from '../core/annotations';
import { Duration } from '../core/duration';
import { Size } from '../core/size';
import { ConnectOptions } from './connectable';
import { Env, EnvValue } from './env-value';
import { HealthCheck } from './health-check';
import { Secret } from './secret';
import { WorkloadOptions } from './options';
import { Mount } from './volume';
import { Hardening } from '../hardening/hardening';
import { checkProps } from '../core/known-props';
import { imageUserSecurity } from './private/image-user';
import { SINGLE_INSTANCE, officialImage, workloadProps } from './private/known-options';
import { Workload } from './workload';

const POSTGRES_PORT = 5432;

/**
 * Properties for a `PostgresService`.
 */
export interface PostgresServiceProps extends Omit<WorkloadOptions, 'image' | 'build' | 'healthCheck'> {
  /**
   * Password of `user`; supplied at deploy time, never written to the output.
   *
   * The URL that `connect(db, { env })` gives a consumer carries it as written, since synth
   * never sees it (it cannot percent-encode it): a password with a character that means
   * something in a URL (`@ / : % # ?`) breaks that URL on both targets. Use a password without
   * them, or connect without `env` (libpq's PG* variables carry it apart).
   */
  readonly password: Secret;

  /**
   * Tag of the official `postgres` image.
   *
   * @default '16-alpine'
   */
  readonly version?: string;

  /**
   * Database created on first start.
   *
   * @default 'app'
   */
  readonly database?: string;

  /**
   * Owner of the database, created on first start.
   *
   * @default 'app'
   */
  readonly user?: string;

  /**
   * Where the data volume is mounted; the server keeps its data in its `pgdata` folder
   * (`PGDATA`). A `Mount.volume` at this path keeps the data on that volume instead of the
   * construct's own (an existing project's volume), in the image's own layout (no `PGDATA` is
   * set; give it in `env` if the data sits elsewhere); Kubernetes then mounts the claim's
   * `pgdata` folder there, since initdb refuses a fresh claim's root (it holds lost+found).
   *
   * @default - '/var/lib/postgresql/data' up to version 17, '/var/lib/postgresql' from 18 on
   * (and for tags that name no version), as the official image does
   */
  readonly dataDirectory?: string;

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
   * Keep the data in memory instead of on a volume: a tmpfs on Compose, an emptyDir with
   * medium Memory on Kubernetes (and a Deployment rather than a StatefulSet). Every new
   * container starts with an empty database: for development and test stacks that should not
   * accumulate data.
   *
   * @default false
   */
  readonly ephemeral?: boolean;

  /**
   * Publish the port on the developer's machine (Compose). Leave it out in production.
   *
   * @default - not published
   */
  readonly hostPort?: number;

  /**
   * Start the image's entrypoint as root, as the image does by default: it takes ownership of
   * the data directory, then drops to the server's own user. Only for a data directory that
   * user cannot write (a host folder owned by root); it keeps the capabilities the entrypoint
   * needs, so a namespace enforcing the restricted Pod Security Standard refuses the pod.
   *
   * @default false - the server runs as the image's own non-root user from the start
   */
  readonly startAsRoot?: boolean;

  /**
   * Replaces the built-in `pg_isready` check.
   *
   * @default - `pg_isready -U <user> -d <database>` every 10s, 5s timeout, 5 retries
   */
  readonly healthCheck?: HealthCheck;
}

const PROPS = workloadProps<PostgresServiceProps>('PostgresServiceProps', {
  without: ['image', 'build', 'healthCheck'],
  more: ['password', 'version', 'database', 'user', 'dataDirectory', 'storage', 'storageClass', 'ephemeral', 'hostPort', 'healthCheck', 'startAsRoot'],
  omitted: { ...officialImage('postgres'), replicas: SINGLE_INSTANCE },
});

/**
 * A PostgreSQL server from the official image, with its data on a persistent volume.
 *
 * Compose: a service with a named volume. Kubernetes: a StatefulSet with a headless
 * Service and a volume claim template. With `ephemeral`, the data is in memory instead.
 *
 * `connect(db, { env: 'DATABASE_URL' })` gives a consumer a `postgresql://` URL with the user
 * and database percent-encoded; the password is a deploy-time variable spliced in unencoded,
 * so it must not contain `@ / : % # ?` (see `password`).
 */
export class PostgresService extends Workload {
  public readonly database: string;
  public readonly user: string;
  public readonly password: Secret;
  private readonly customHealthCheck?: HealthCheck;
  private readonly directory: string;

  constructor(scope: Construct, id: string, props: PostgresServiceProps) {
    const version = props?.version ?? '16-alpine';
    const ephemeral = props?.ephemeral === true;
    const directory = props?.dataDirectory ?? dataDirectory(version);
    // The Alpine images' postgres user is 70; the Debian ones' is 999.
    const security = imageUserSecurity(props?.security, version.includes('alpine') ? { uid: 70, gid: 70 } : { uid: 999, gid: 999 }, props?.startAsRoot);
    super(scope, id, { ...props, security }, {
      kind: 'service',
      stateful: !ephemeral,
      defaultImage: `postgres:${version}`,
      ports: [{ port: POSTGRES_PORT, name: 'postgres', hostPort: props?.hostPort }],
      dataVolume: ephemeral
        ? undefined
        : { target: directory, size: props?.storage ?? Size.gibibytes(1), storageClass: props?.storageClass, chosen: props?.storage !== undefined || props?.storageClass !== undefined, kubernetesSubPath: 'pgdata' },
    });
    checkProps(this, PostgresService, props, PROPS);
    if (ephemeral) {
      this.addMount(Mount.tmpfs(directory));
      if (props?.storage !== undefined || props?.storageClass !== undefined) {
        Annotations.of(this).addError('storage and storageClass size a volume, but ephemeral keeps the data in memory; remove one or the other');
      }
    }
    this.directory = directory;
    this.database = props?.database ?? 'app';
    this.user = props?.user ?? 'app';
    this.password = props?.password;
    this.customHealthCheck = props?.healthCheck;
    if (props?.startAsRoot === true) {
      Hardening.of(this)
        .acknowledge('CKC-USER', 'startAsRoot: the official postgres image starts as root to take ownership of its data directory, then runs the server as the postgres user (gosu)')
        .acknowledge('CKC-CAPABILITIES', 'startAsRoot: the entrypoint needs CHOWN, DAC_OVERRIDE, FOWNER, SETUID and SETGID to prepare the data directory and drop to the postgres user');
    }
    Hardening.of(this).acknowledge('CKC-READ-ONLY', 'the server writes its socket to /var/run/postgresql and temporary files outside the data directory');
    if (!Secret.isSecret(props?.password)) {
      Annotations.of(this).addError(
        `password must be a Secret, got ${typeof props?.password === 'string' ? 'a literal string' : JSON.stringify(props?.password)}; ` +
          "use Secret.fromEnv('POSTGRES_PASSWORD') (or Secret.unsafePlainText(...) to write it in plain text on purpose)",
      );
    }
  }

  /**
   * A `postgresql://` URL in `options.env`, or libpq's PGHOST, PGPORT, PGUSER, PGPASSWORD and
   * PGDATABASE when no variable is named. The URL's user and database are percent-encoded
   * (`me@corp` -> `me%40corp`); its password is the deploy-time value as it is, which breaks the
   * URL when it holds `@ / : % # ?`.
   */
  public connectionEnv(options: ConnectOptions): Record<string, EnvValue> {
    if (options.env) {
      const scheme = options.scheme ?? 'postgresql';
      const user = encodeURIComponent(this.user);
      const database = encodeURIComponent(this.database);
      return {
        [options.env]: Env.concat(`${scheme}://${user}:`, this.password, `@${this.workloadName}:${POSTGRES_PORT}/${database}`),
      };
    }
    return {
      PGHOST: this.workloadName,
      PGPORT: String(POSTGRES_PORT),
      PGUSER: this.user,
      PGPASSWORD: this.password,
      PGDATABASE: this.database,
    };
  }

  protected healthCheck(): HealthCheck {
    return (
      this.customHealthCheck ??
      HealthCheck.command(['pg_isready', '-U', this.user, '-d', this.database], {
        interval: Duration.seconds(10),
        timeout: Duration.seconds(5),
        retries: 5,
      })
    );
  }

  protected builtInEnv(): Record<string, EnvValue> {
    const env: Record<string, EnvValue> = {
      POSTGRES_DB: this.database,
      POSTGRES_USER: this.user,
      POSTGRES_PASSWORD: this.password,
    };
    const version = this.image?.split(':')[1] ?? '';
    const own = !this.dataOnGivenVolume();
    if (own && (this.directory !== dataDirectory(version) || (majorVersion(version) !== undefined && (majorVersion(version) as number) < 18))) {
      // A fresh volume on Kubernetes has a lost+found directory at its root, and initdb
      // refuses a non-empty data directory: keep the cluster one level down. A volume given
      // by the user keeps the image's own layout, which its data already has (Kubernetes
      // mounts a sub-folder of the claim instead).
      env.PGDATA = `${this.directory}/pgdata`;
    }
    return env;
  }
}

function majorVersion(tag: string): number | undefined {
  const match = /^(\d+)/.exec(tag);
  return match ? Number(match[1]) : undefined;
}

/**
 * The official image keeps data in /var/lib/postgresql/data up to 17; from 18 on it keeps a
 * versioned directory under /var/lib/postgresql, which is where the volume must go.
 */
function dataDirectory(version: string): string {
  const major = majorVersion(version);
  return major !== undefined && major < 18 ? '/var/lib/postgresql/data' : '/var/lib/postgresql';
}
