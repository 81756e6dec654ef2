import { EnvValue } from './env-value';

const CONNECTABLE_SYMBOL = Symbol.for('cdk-compose.Connectable');

/**
 * Options for `connect()`.
 */
export interface ConnectOptions {
  /**
   * Variable that receives the connection URL.
   *
   * User names and database names known at synth time are percent-encoded in the URL. A
   * password (or user) from a `Secret` is a deploy-time value that synth never sees, spliced
   * in as it is: one with a character that means something in a URL (`@ / : % # ?`) breaks the
   * URL on both targets.
   *
   * @default - the target's own convention: libpq's PG* variables for Postgres,
   * REDIS_URL for Redis, <NAME>_HOST and <NAME>_PORT for other services
   */
  readonly env?: string;

  /**
   * Database number, for targets that have numbered databases (Redis).
   *
   * @default 0
   */
  readonly database?: number;

  /**
   * URL scheme, e.g. 'postgresql+asyncpg' for SQLAlchemy's asyncpg driver.
   *
   * @default - the target's usual scheme
   */
  readonly scheme?: string;

  /**
   * What the consumer waits for before it starts. 'started' does not wait for the target's
   * health check (Compose `service_started`; on Kubernetes the init container waits until a
   * pod of the target runs and listens on its port, ready or not, through a `<target>-started`
   * Service that publishes pods before they are ready). 'none' only sets the variables: no
   * `depends_on`, no init container, for a target the consumer can do without.
   *
   * @default - 'healthy' when the target has a health check, else 'started'
   */
  readonly waitFor?: 'healthy' | 'started' | 'none';
}

/**
 * A workload that others can connect to: it tells them how to reach it.
 */
export interface IConnectable {
  /** The host name other workloads use on both targets. */
  readonly workloadName: string;

  /**
   * The variables a consumer needs to reach this workload, or a message saying why the
   * options do not fit.
   */
  connectionEnv(options: ConnectOptions): Record<string, EnvValue> | string;
}

export class Connectable {
  public static isConnectable(x: unknown): x is IConnectable {
    return typeof x === 'object' && x !== null && CONNECTABLE_SYMBOL in x;
  }

  /** Marks `x` as connectable so that the check works across copies of the library. */
  public static mark(x: object): void {
    Object.defineProperty(x, CONNECTABLE_SYMBOL, { value: true });
  }
}

/** The conventional prefix of a workload's variables: `api-gateway` -> `API_GATEWAY`. */
export function envPrefix(workloadName: string): string {
  return workloadName.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

/** `http://<name>:<port>` in the variable `options.env`, by default `<NAME>_URL`. */
export function httpConnectionEnv(workloadName: string, port: number, options: ConnectOptions): Record<string, EnvValue> {
  const name = options.env ?? `${envPrefix(workloadName)}_URL`;
  return { [name]: `${options.scheme ?? 'http'}://${workloadName}:${port}` };
}
