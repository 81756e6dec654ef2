import { Construct } from 'constructs';
import { Annotations } from '../core/annotations';
import { Duration } from '../core/duration';
import { checkProps } from '../core/known-props';
import { ConnectOptions, httpConnectionEnv } from './connectable';
import { EnvValue } from './env-value';
import { ConfigFile } from './files';
import { HealthCheck, ProbeTool } from './health-check';
import { SecurityOptions, WorkloadOptions } from './options';
import { PostgresService } from './postgres-service';
import { otherStackProblem } from './private/resolve';
import { Secret } from './secret';
import { Mount } from './volume';
import { workloadProps } from './private/known-options';
import { Workload, describe } from './workload';

/** Dev tools start only with `docker compose --profile dev up`, and stay off Kubernetes unless enabled. */
const DEV_PROFILES = ['dev'];

const SMTP_PORT = 1025;
const MAIL_UI_PORT = 8025;

/**
 * Properties for a `MailCatcher`.
 */
export interface MailCatcherProps extends Omit<WorkloadOptions, 'healthCheck'> {
  /**
   * Image of the mail catcher. Another image listening on 1025 (SMTP) and 8025 (web UI), such
   * as axllent/mailpit, fits as well; give `security` and `healthCheck` for it.
   *
   * @default 'mailhog/mailhog:v1.0.1'
   */
  readonly image?: string;

  /**
   * Publish the web UI on the developer's machine (Compose), e.g. 8025.
   *
   * @default - not published
   */
  readonly uiHostPort?: number;

  /**
   * Publish the SMTP port on the developer's machine (Compose), for apps run outside Compose.
   *
   * @default - not published
   */
  readonly smtpHostPort?: number;

  /**
   * Compose profiles the catcher belongs to; `[]` starts it always.
   *
   * @default ['dev']
   */
  readonly profiles?: string[];

  /**
   * Replaces the built-in health check.
   *
   * @default - `nc -z 127.0.0.1 1025` every 10s, 3s timeout, 5 retries (Mailhog's Alpine image has BusyBox nc)
   */
  readonly healthCheck?: HealthCheck;

  /**
   * Hardening of the container.
   *
   * @default - user 1000:1000 (Mailhog's own `mailhog` user), read-only root filesystem, all
   * capabilities dropped
   */
  readonly security?: SecurityOptions;
}

const MAIL_CATCHER_PROPS = workloadProps<MailCatcherProps>('MailCatcherProps', {
  without: ['healthCheck'],
  more: ['image', 'uiHostPort', 'smtpHostPort', 'profiles', 'healthCheck', 'security'],
});

/**
 * A fake SMTP server that keeps every mail it receives and shows it in a web UI (Mailhog by
 * default): for development, so that an app's mail never reaches a real inbox.
 *
 * Compose: a service in the 'dev' profile. Kubernetes: a Deployment and a Service with the
 * ports `smtp` (1025) and `http` (8025), rendered only when the stack enables the profile.
 *
 * Hardening: runs as Mailhog's non-root user 1000 with a read-only root filesystem (Mailhog
 * keeps mail in memory) and no capabilities (both ports are above 1024).
 */
export class MailCatcher extends Workload {
  private readonly customHealthCheck?: HealthCheck;

  constructor(scope: Construct, id: string, props: MailCatcherProps = {}) {
    super(
      scope,
      id,
      {
        ...props,
        profiles: props.profiles ?? DEV_PROFILES,
        security: props.security ?? { user: 1000, group: 1000, readOnlyRootFilesystem: true, dropCapabilities: ['ALL'] },
      },
      {
        kind: 'service',
        defaultImage: 'mailhog/mailhog:v1.0.1',
        ports: [
          { port: SMTP_PORT, name: 'smtp', hostPort: props.smtpHostPort },
          { port: MAIL_UI_PORT, name: 'http', hostPort: props.uiHostPort },
        ],
      },
    );
    checkProps(this, MailCatcher, props, MAIL_CATCHER_PROPS);
    this.customHealthCheck = props.healthCheck;
  }

  /** `smtp://<name>:1025` in `options.env`, or SMTP_HOST and SMTP_PORT when no variable is named. */
  public connectionEnv(options: ConnectOptions): Record<string, EnvValue> {
    if (options.env) {
      return { [options.env]: `${options.scheme ?? 'smtp'}://${this.workloadName}:${SMTP_PORT}` };
    }
    return { SMTP_HOST: this.workloadName, SMTP_PORT: String(SMTP_PORT) };
  }

  protected healthCheck(): HealthCheck {
    return (
      this.customHealthCheck ??
      HealthCheck.tcp({ port: SMTP_PORT, interval: Duration.seconds(10), timeout: Duration.seconds(3), retries: 5 })
    );
  }
}

/**
 * Properties for a `DbAdmin`.
 */
export interface DbAdminProps extends Omit<WorkloadOptions, 'image' | 'healthCheck'> {
  /** Password of the pgAdmin login; supplied at deploy time, never written to the output. */
  readonly password: Secret;

  /**
   * Email address of the pgAdmin login. pgAdmin refuses special-use domains such as
   * `.local`, `.localhost` and `.test`.
   *
   * @default 'admin@example.com'
   */
  readonly email?: string | Secret;

  /**
   * Tag of the `dpage/pgadmin4` image.
   *
   * @default '9.5'
   */
  readonly version?: string;

  /**
   * Postgres servers registered in pgAdmin at its first start (through a generated
   * `servers.json`); pgAdmin also waits for them. Their passwords are not stored: pgAdmin asks
   * on the first connection.
   *
   * @default - none
   */
  readonly servers?: PostgresService[];

  /**
   * The port pgAdmin listens on inside the container (`PGADMIN_LISTEN_PORT`).
   *
   * @default 80
   */
  readonly port?: number;

  /**
   * Publish the web UI on the developer's machine (Compose), e.g. 5050.
   *
   * @default - not published
   */
  readonly hostPort?: number;

  /**
   * Compose profiles pgAdmin belongs to; `[]` starts it always.
   *
   * @default ['dev']
   */
  readonly profiles?: string[];

  /**
   * Replaces the built-in health check.
   *
   * @default - `wget -q --spider http://localhost:<port>/misc/ping` every 10s, 5s timeout,
   * 5 retries, 60s to start (the image is Alpine-based, with BusyBox wget and no curl)
   */
  readonly healthCheck?: HealthCheck;

  /**
   * Hardening of the container.
   *
   * @default - user 5050 and group 0 (the image's `pgadmin` user), every capability dropped
   * but NET_BIND_SERVICE
   */
  readonly security?: SecurityOptions;
}

const DB_ADMIN_PROPS = workloadProps<DbAdminProps>('DbAdminProps', {
  without: ['image', 'healthCheck'],
  more: ['password', 'email', 'version', 'servers', 'port', 'hostPort', 'profiles', 'healthCheck', 'security'],
  omitted: { image: "it runs pgAdmin's own dpage/pgadmin4 image; choose its tag with version" },
});

/**
 * pgAdmin 4, the web UI for Postgres, with the stack's databases registered: for development.
 *
 * Compose: a service in the 'dev' profile, `/pgadmin4/servers.json` (pgAdmin's documented
 * default of `PGADMIN_SERVER_JSON_FILE`) a read-only bind mount of the file synth writes.
 * Kubernetes: a Deployment, a Service, and the file from a ConfigMap, rendered only when the
 * stack enables the profile.
 *
 * Hardening: runs as the image's non-root user 5050 (group 0) with no privilege escalation and
 * every capability dropped but NET_BIND_SERVICE. That one must stay in the bounding set: the
 * image gives its Python binary the capability as a file capability, and the kernel refuses to
 * exec a binary whose file capabilities it cannot grant (with `cap_drop: [ALL]` alone, pgAdmin
 * fails to start with "operation not permitted"). Under no-new-privileges the capability is not
 * raised, so port 80 works where the runtime opens low ports to every user (Docker 20.10 and
 * later and containerd 2 set `net.ipv4.ip_unprivileged_port_start=0`); elsewhere set `port`
 * above 1023. The root filesystem stays writable: pgAdmin writes its settings database under
 * /var/lib/pgadmin and its configuration into /pgadmin4 at start. Nothing is kept on a volume:
 * each new container registers the servers afresh (pgAdmin reads servers.json only when it
 * creates its settings database).
 */
export class DbAdmin extends Workload {
  private readonly port: number;
  private readonly email: string | Secret;
  private readonly password: Secret;
  private readonly customHealthCheck?: HealthCheck;

  constructor(scope: Construct, id: string, props: DbAdminProps) {
    const port = props?.port ?? 80;
    super(
      scope,
      id,
      {
        ...props,
        profiles: props?.profiles ?? DEV_PROFILES,
        // NET_BIND_SERVICE: see the class comment; without it the image's Python cannot be executed.
        security: props?.security ?? {
          user: 5050,
          group: 0,
          dropCapabilities: ['ALL'],
          addCapabilities: ['NET_BIND_SERVICE'],
        },
      },
      {
        kind: 'service',
        defaultImage: `dpage/pgadmin4:${props?.version ?? '9.5'}`,
        ports: [{ port, name: 'http', hostPort: props?.hostPort }],
      },
    );
    checkProps(this, DbAdmin, props, DB_ADMIN_PROPS);
    this.port = port;
    this.email = props?.email ?? 'admin@example.com';
    this.password = props?.password;
    this.customHealthCheck = props?.healthCheck;

    if (!Secret.isSecret(props?.password)) {
      Annotations.of(this).addError(
        `password must be a Secret, got ${typeof props?.password === 'string' ? 'a literal string' : JSON.stringify(props?.password)}; ` +
          "use Secret.fromEnv('PGADMIN_DEFAULT_PASSWORD')",
      );
    }
    const emailProblem = emailAddressProblem(this.email);
    if (emailProblem) Annotations.of(this).addError(emailProblem);

    const servers = props?.servers ?? [];
    const registered: PostgresService[] = [];
    for (const server of servers) {
      if (!(server instanceof PostgresService)) {
        Annotations.of(this).addError(`servers must hold PostgresService constructs, got ${describe(server)}`);
        continue;
      }
      const elsewhere = otherStackProblem(this, server, `registers server "${server.workloadName}"`);
      if (elsewhere) {
        Annotations.of(this).addError(elsewhere);
        continue;
      }
      registered.push(server);
      this.addDependency(server);
    }
    if (registered.length > 0) {
      this.addMount(Mount.config(ConfigFile.fromString('servers.json', serversJson(registered)), '/pgadmin4/servers.json'));
    }
  }

  /** `http://<name>:<port>` in the variable `options.env` (default `<NAME>_URL`). */
  public connectionEnv(options: ConnectOptions): Record<string, EnvValue> {
    return httpConnectionEnv(this.workloadName, this.port, options);
  }

  protected healthCheck(): HealthCheck {
    return (
      this.customHealthCheck ??
      HealthCheck.http('/misc/ping', {
        probeTool: ProbeTool.WGET,
        interval: Duration.seconds(10),
        timeout: Duration.seconds(5),
        retries: 5,
        // The first start creates pgAdmin's settings database and imports servers.json.
        startPeriod: Duration.seconds(60),
      })
    );
  }

  protected builtInEnv(): Record<string, EnvValue> {
    return {
      PGADMIN_DEFAULT_EMAIL: this.email,
      PGADMIN_DEFAULT_PASSWORD: this.password,
      PGADMIN_LISTEN_PORT: String(this.port),
      // The entrypoint otherwise starts Postfix through sudo, which no-new-privileges forbids.
      PGADMIN_DISABLE_POSTFIX: 'true',
    };
  }
}

/**
 * pgAdmin's server list (its "Import/Export Servers" format), one entry per database, reached
 * with the same host, port, user and database a connected app gets.
 */
function serversJson(servers: readonly PostgresService[]): string {
  const entries = servers.map((server, i) => {
    const env = server.connectionEnv({});
    return [
      String(i + 1),
      {
        Name: server.workloadName,
        Group: 'Servers',
        Host: env.PGHOST,
        Port: Number(env.PGPORT),
        MaintenanceDB: env.PGDATABASE,
        Username: env.PGUSER,
      },
    ] as const;
  });
  return `${JSON.stringify({ Servers: Object.fromEntries(entries) }, undefined, 2)}\n`;
}

/** pgAdmin's entrypoint validates the address and refuses special-use domains. */
const SPECIAL_USE_DOMAIN = /\.(local|localhost|test|invalid|arpa|onion)$/i;

function emailAddressProblem(email: unknown): string | undefined {
  if (Secret.isSecret(email)) return undefined;
  if (typeof email !== 'string' || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) {
    return `email ${JSON.stringify(email)} is not an email address; pgAdmin's login needs one, e.g. 'admin@example.com'`;
  }
  if (SPECIAL_USE_DOMAIN.test(email)) {
    return `email "${email}" has a special-use domain, which pgAdmin refuses at start; use e.g. 'admin@example.com'`;
  }
  return undefined;
}
