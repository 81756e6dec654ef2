import { Duration } from '../core/duration';
import { KnownProps, knownProps, unknownPropProblems } from '../core/known-props';
import { HealthCheckModel, ProbeModel } from '../model';
import { isPortNumber } from './private/resolve';

/**
 * The command Compose runs inside the container to probe HTTP or TCP, since Compose has no
 * native HTTP or TCP check. It must exist in the image.
 */
export class ProbeTool {
  /** `curl -fsS <url>` (Debian- and Ubuntu-based images usually have curl). */
  public static readonly CURL = new ProbeTool((url) => ['curl', '-fsS', '-o', '/dev/null', url], undefined);

  /** `wget -q --spider <url>` (Alpine and BusyBox images have wget, not curl). */
  public static readonly WGET = new ProbeTool((url) => ['wget', '-q', '--spider', url], undefined);

  /** `nc -z 127.0.0.1 <port>` for TCP checks (BusyBox and most Alpine images). */
  public static readonly NETCAT = new ProbeTool(undefined, (port) => ['nc', '-z', '127.0.0.1', String(port)]);

  /**
   * A command of your own; `{url}` and `{port}` in its arguments are replaced.
   */
  public static command(command: string[]): ProbeTool {
    const fill = (url: string, port: number) => (arg: string) => arg.split('{url}').join(url).split('{port}').join(String(port));
    return new ProbeTool(
      (url, port) => command.map(fill(url, port)),
      (port) => command.map(fill('', port)),
    );
  }

  private constructor(
    private readonly http: ((url: string, port: number) => string[]) | undefined,
    private readonly tcp: ((port: number) => string[]) | undefined,
  ) {}

  /** @internal The probe command for `url`, for the Compose healthcheck. */
  public _httpCommand(url: string, port: number): string[] | undefined {
    return this.http?.(url, port);
  }

  /** @internal The probe command for `port`, for the Compose healthcheck. */
  public _tcpCommand(port: number): string[] | undefined {
    return this.tcp?.(port);
  }
}

/**
 * Timings shared by every kind of health check.
 */
export interface HealthCheckOptions {
  /**
   * Time between two checks.
   *
   * @default Duration.seconds(10)
   */
  readonly interval?: Duration;

  /**
   * Time after which one check counts as failed.
   *
   * @default Duration.seconds(5)
   */
  readonly timeout?: Duration;

  /**
   * Consecutive failures before the container counts as unhealthy.
   *
   * @default 3
   */
  readonly retries?: number;

  /**
   * Time the container gets to start before failures count (a startupProbe on Kubernetes).
   *
   * @default - failures count from the first check
   */
  readonly startPeriod?: Duration;
}

/**
 * Options for an HTTP health check.
 */
export interface HttpHealthCheckOptions extends HealthCheckOptions {
  /**
   * Container port to probe.
   *
   * @default - the service's first port
   */
  readonly port?: number;

  /**
   * The command that probes the URL from inside the container on Compose.
   *
   * @default ProbeTool.CURL
   */
  readonly probeTool?: ProbeTool;
}

/**
 * Options for a TCP health check.
 */
export interface TcpHealthCheckOptions extends HealthCheckOptions {
  /**
   * Container port to probe.
   *
   * @default - the service's first port
   */
  readonly port?: number;

  /**
   * The command that probes the port from inside the container on Compose.
   *
   * @default ProbeTool.NETCAT
   */
  readonly probeTool?: ProbeTool;
}

const TIMINGS = ['interval', 'timeout', 'retries', 'startPeriod'] as const;
const HEALTH_CHECK_OPTIONS = knownProps<HealthCheckOptions>('HealthCheckOptions', TIMINGS);
const HTTP_OPTIONS = knownProps<HttpHealthCheckOptions>('HttpHealthCheckOptions', [...TIMINGS, 'port', 'probeTool']);
const TCP_OPTIONS = knownProps<TcpHealthCheckOptions>('TcpHealthCheckOptions', [...TIMINGS, 'port', 'probeTool']);

/** The options each factory takes, by the kind of check it makes. */
const OPTIONS: Record<ProbeSpec['kind'], { factory: string; known: KnownProps }> = {
  http: { factory: 'HealthCheck.http', known: HTTP_OPTIONS },
  tcp: { factory: 'HealthCheck.tcp', known: TCP_OPTIONS },
  exec: { factory: 'HealthCheck.command', known: HEALTH_CHECK_OPTIONS },
  shell: { factory: 'HealthCheck.shell', known: HEALTH_CHECK_OPTIONS },
};

type ProbeSpec =
  | { kind: 'http'; path: string; port?: number; tool: ProbeTool }
  | { kind: 'tcp'; port?: number; tool: ProbeTool }
  | { kind: 'exec'; command: string[] }
  | { kind: 'shell'; script: string };

const HEALTH_CHECK_SYMBOL = Symbol.for('cdk-compose.HealthCheck');

/**
 * How to tell that a container is ready to serve.
 *
 * One check drives both targets: Compose `healthcheck` and `depends_on: service_healthy`;
 * Kubernetes readiness and liveness probes (and a startup probe for a start period).
 */
export class HealthCheck {
  /** An HTTP GET of `path` that must answer 2xx or 3xx. */
  public static http(path: string, options: HttpHealthCheckOptions = {}): HealthCheck {
    return new HealthCheck({ kind: 'http', path, port: options.port, tool: options.probeTool ?? ProbeTool.CURL }, options);
  }

  /** A TCP connection to `port` must succeed. */
  public static tcp(options: TcpHealthCheckOptions = {}): HealthCheck {
    return new HealthCheck({ kind: 'tcp', port: options.port, tool: options.probeTool ?? ProbeTool.NETCAT }, options);
  }

  /** A command run in the container (no shell) must exit 0. */
  public static command(command: string[], options: HealthCheckOptions = {}): HealthCheck {
    return new HealthCheck({ kind: 'exec', command }, options);
  }

  /** A shell script run with `sh -c` in the container must exit 0. */
  public static shell(script: string, options: HealthCheckOptions = {}): HealthCheck {
    return new HealthCheck({ kind: 'shell', script }, options);
  }

  public static isHealthCheck(x: unknown): x is HealthCheck {
    return typeof x === 'object' && x !== null && HEALTH_CHECK_SYMBOL in x;
  }

  private constructor(
    private readonly spec: ProbeSpec,
    private readonly options: HealthCheckOptions,
  ) {
    Object.defineProperty(this, HEALTH_CHECK_SYMBOL, { value: true });
  }

  /**
   * The model of this check for a container whose first port is `defaultPort`, or the
   * problems that prevent it.
   *
   * @internal
   */
  public _toModel(defaultPort: number | undefined): { model?: HealthCheckModel; problems: string[] } {
    const { factory, known } = OPTIONS[this.spec.kind];
    const problems = unknownPropProblems(factory, this.options, known, 'option');
    const seconds = (name: string, value: Duration | undefined, fallback: number, allowZero = false) => {
      if (value === undefined) return fallback;
      if (!Duration.isDuration(value)) {
        problems.push(`health check ${name} must be a Duration (Duration.seconds(n)), got ${JSON.stringify(value)}`);
        return fallback;
      }
      const problem = value._problem({ allowZero });
      if (problem) problems.push(`health check ${name}: ${problem}`);
      return value.totalSeconds;
    };
    const intervalSeconds = seconds('interval', this.options.interval, 10);
    const timeoutSeconds = seconds('timeout', this.options.timeout, 5);
    const startPeriodSeconds = seconds('startPeriod', this.options.startPeriod, 0, true);
    const retries = this.options.retries ?? 3;
    if (!Number.isInteger(retries) || retries < 1) {
      problems.push(`health check retries must be a whole number of at least 1, got ${JSON.stringify(retries)}`);
    }

    const probe = this.resolveProbe(defaultPort, problems);
    if (!probe || problems.length > 0) {
      return { problems };
    }
    return { model: { probe, intervalSeconds, timeoutSeconds, retries, startPeriodSeconds }, problems };
  }

  private resolveProbe(defaultPort: number | undefined, problems: string[]): ProbeModel | undefined {
    const spec = this.spec;
    switch (spec.kind) {
      case 'exec':
        if (!Array.isArray(spec.command) || spec.command.length === 0 || spec.command.some((a) => typeof a !== 'string')) {
          problems.push('HealthCheck.command needs a non-empty list of strings, e.g. [\'pg_isready\', \'-U\', \'app\']');
          return undefined;
        }
        return { kind: 'exec', command: [...spec.command] };
      case 'shell':
        if (typeof spec.script !== 'string' || spec.script.trim() === '') {
          problems.push('HealthCheck.shell needs a non-empty script, e.g. \'redis-cli ping | grep PONG\'');
          return undefined;
        }
        return { kind: 'shell', script: spec.script };
      case 'http': {
        const port = spec.port ?? defaultPort;
        if (port === undefined) {
          problems.push('HTTP health check has no port: the service has no ports; pass { port } to HealthCheck.http');
          return undefined;
        }
        if (!isPortNumber(port)) {
          problems.push(portProblem('HTTP', port));
          return undefined;
        }
        if (typeof spec.path !== 'string' || !spec.path.startsWith('/')) {
          problems.push(`HTTP health check path must start with '/', got ${JSON.stringify(spec.path)}`);
          return undefined;
        }
        const composeCommand = spec.tool._httpCommand(`http://localhost:${port}${spec.path}`, port);
        if (!composeCommand) {
          problems.push('the probe tool given to HealthCheck.http cannot probe HTTP; use ProbeTool.CURL, ProbeTool.WGET or ProbeTool.command([...])');
          return undefined;
        }
        return { kind: 'http', path: spec.path, port, composeCommand };
      }
      case 'tcp': {
        const port = spec.port ?? defaultPort;
        if (port === undefined) {
          problems.push('TCP health check has no port: the service has no ports; pass { port } to HealthCheck.tcp');
          return undefined;
        }
        if (!isPortNumber(port)) {
          problems.push(portProblem('TCP', port));
          return undefined;
        }
        const composeCommand = spec.tool._tcpCommand(port);
        if (!composeCommand) {
          problems.push('the probe tool given to HealthCheck.tcp cannot probe TCP; use ProbeTool.NETCAT or ProbeTool.command([...])');
          return undefined;
        }
        return { kind: 'tcp', port, composeCommand };
      }
    }
  }
}

function portProblem(kind: 'HTTP' | 'TCP', port: unknown): string {
  return `${kind} health check port ${JSON.stringify(port)} is not a port number; use a whole number from 1 to 65535 (the container port's number, not its name)`;
}
