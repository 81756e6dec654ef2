import { Construct } from 'constructs';
import { Annotations } from '../core/annotations';
import { Duration } from '../core/duration';
import { Size } from '../core/size';
import { checkProps } from '../core/known-props';
import { Hardening } from '../hardening/hardening';
import { ConnectOptions, httpConnectionEnv } from './connectable';
import { Env, EnvValue } from './env-value';
import { HealthCheck } from './health-check';
import { WorkloadOptions } from './options';
import { Secret } from './secret';
import { officialImage, workloadProps } from './private/known-options';
import { Workload } from './workload';

const REST_PORT = 9200;
const PERFORMANCE_ANALYZER_PORT = 9600;
/** The `opensearch` user and group of the official image. */
const OPENSEARCH_UID = 1000;
const MEBI = 1024 * 1024;
const SETTING_NAME = /^[a-z0-9_]+(\.[a-z0-9_]+)*$/;

/**
 * Properties for an `OpenSearchService`.
 */
export interface OpenSearchServiceProps extends Omit<WorkloadOptions, 'image' | 'build' | 'healthCheck' | 'command'> {
  /**
   * Tag of the official `opensearchproject/opensearch` image.
   *
   * @default '2.17.1'
   */
  readonly version?: string;

  /**
   * JVM heap (`-Xms` and `-Xmx` in OPENSEARCH_JAVA_OPTS), in whole mebibytes. Give the
   * container about twice as much memory: Lucene lives off the heap.
   *
   * @default Size.mebibytes(512)
   */
  readonly heap?: Size;

  /**
   * Password of the `admin` user. Given, the security plugin is on: the REST API speaks
   * HTTPS with the image's demo certificates and asks for a login. Images from 2.12 on
   * refuse to start with the plugin on and no password.
   *
   * @default - the security plugin is off: plain HTTP without a login, for a single node on
   * the stack's own network
   */
  readonly adminPassword?: Secret;

  /**
   * More OpenSearch settings, passed as `-E<name>=<value>`; they replace the built-in ones
   * of the same name.
   *
   * @default - only the single-node settings
   */
  readonly settings?: Record<string, string>;

  /**
   * Size of the data volume claimed on Kubernetes.
   * A Volume mounted at the data directory replaces that volume: size it instead.
   *
   * @default Size.gibibytes(10)
   */
  readonly storage?: Size;

  /**
   * Kubernetes storage class of the data volume.
   *
   * @default - the cluster's default storage class
   */
  readonly storageClass?: string;

  /**
   * Publish the REST port on the developer's machine (Compose). Leave it out in production.
   *
   * @default - not published
   */
  readonly hostPort?: number;

  /**
   * Replaces the built-in `_cluster/health` check.
   *
   * @default - `GET /_cluster/health?wait_for_status=yellow&timeout=3s` every 10s, 5s timeout,
   * 5 retries, after a 60s start period (curl on Compose; an HTTP probe on Kubernetes, or curl
   * with the admin login when the security plugin is on)
   */
  readonly healthCheck?: HealthCheck;
}

const PROPS = workloadProps<OpenSearchServiceProps>('OpenSearchServiceProps', {
  without: ['image', 'build', 'healthCheck', 'command'],
  more: ['version', 'heap', 'adminPassword', 'settings', 'storage', 'storageClass', 'hostPort', 'healthCheck'],
  omitted: {
    ...officialImage('opensearchproject/opensearch'),
    command: 'it runs opensearch with the single-node settings; pass more settings with settings',
    replicas: 'it runs a single node, since copies would not share its data; remove replicas',
  },
});

/**
 * A single-node OpenSearch from the official image, with its index on a persistent volume.
 *
 * Compose: a service with a named volume. Kubernetes: a StatefulSet with a headless Service
 * and a volume claim template, its volume group-owned by the image's `opensearch` user.
 */
export class OpenSearchService extends Workload {
  private readonly secured: boolean;
  private readonly adminPassword?: Secret;
  private readonly heapMebibytes: number;
  private readonly customHealthCheck?: HealthCheck;

  constructor(scope: Construct, id: string, props: OpenSearchServiceProps = {}) {
    const heap = props.heap ?? Size.mebibytes(512);
    super(
      scope,
      id,
      {
        ...props,
        command: ['opensearch', ...renderSettings({ ...SINGLE_NODE_SETTINGS, ...(props.settings ?? {}) })],
        // The image runs as `opensearch` (uid and gid 1000; its entrypoint refuses root), which
        // must write the data volume: a fresh Kubernetes volume belongs to root unless the pod
        // names a group for it. Naming the user also lets Kubernetes check it is not root.
        security: {
          user: OPENSEARCH_UID,
          group: OPENSEARCH_UID,
          dropCapabilities: ['ALL'],
          ...props.security,
          fsGroup: props.security?.fsGroup ?? OPENSEARCH_UID,
        },
      },
      {
        kind: 'service',
        stateful: true,
        defaultImage: `opensearchproject/opensearch:${props.version ?? '2.17.1'}`,
        ports: [
          { port: REST_PORT, name: 'http', hostPort: props.hostPort },
          { port: PERFORMANCE_ANALYZER_PORT, name: 'perf-analyzer' },
        ],
        dataVolume: {
          target: '/usr/share/opensearch/data',
          size: props.storage ?? Size.gibibytes(10),
          storageClass: props.storageClass,
          chosen: props.storage !== undefined || props.storageClass !== undefined,
        },
      },
    );
    checkProps(this, OpenSearchService, props, PROPS);
    this.secured = props.adminPassword !== undefined;
    this.adminPassword = props.adminPassword;
    this.customHealthCheck = props.healthCheck;
    this.heapMebibytes = Size.isSize(heap) ? heap.bytes / MEBI : NaN;
    Hardening.of(this).acknowledge(
      'CKC-READ-ONLY',
      'OpenSearch writes its logs and keystore under /usr/share/opensearch and JVM temporary files to /tmp; with the security plugin on, its demo installer rewrites the configuration',
    );

    if (props.adminPassword !== undefined && !Secret.isSecret(props.adminPassword)) {
      Annotations.of(this).addError(
        "adminPassword must be a Secret, got a literal; use Secret.fromEnv('OPENSEARCH_INITIAL_ADMIN_PASSWORD')",
      );
    }
    if (!Number.isInteger(this.heapMebibytes) || this.heapMebibytes < 1) {
      Annotations.of(this).addError(
        `heap must be a whole number of mebibytes, got ${Size.isSize(heap) ? heap.toString() : JSON.stringify(heap)}; use e.g. Size.mebibytes(512) or Size.gibibytes(1)`,
      );
    }
    const memoryLimit = props.resources?.limits?.memory;
    if (Size.isSize(memoryLimit) && Size.isSize(heap) && memoryLimit.bytes <= heap.bytes) {
      Annotations.of(this).addError(
        `the memory limit (${memoryLimit}) leaves no room beside the ${heap} heap, and the JVM would be killed; ` +
          'allow about twice the heap, or lower the heap',
      );
    }
    for (const name of Object.keys(props.settings ?? {})) {
      if (!SETTING_NAME.test(name)) {
        Annotations.of(this).addError(`setting name ${JSON.stringify(name)} is not an OpenSearch setting name; use e.g. 'cluster.name'`);
      }
    }
  }

  /**
   * The REST URL in the variable `options.env` (default `<NAME>_URL`): `http://<name>:9200`,
   * or `https://admin:<password>@<name>:9200` when the security plugin is on.
   */
  public connectionEnv(options: ConnectOptions): Record<string, EnvValue> {
    if (this.secured && this.adminPassword) {
      const [name] = Object.keys(httpConnectionEnv(this.workloadName, REST_PORT, options));
      return { [name]: Env.concat(`${options.scheme ?? 'https'}://admin:`, this.adminPassword, `@${this.workloadName}:${REST_PORT}`) };
    }
    return httpConnectionEnv(this.workloadName, REST_PORT, options);
  }

  protected healthCheck(): HealthCheck {
    if (this.customHealthCheck) return this.customHealthCheck;
    // _cluster/health answers 200 even when the cluster is red; waiting for yellow makes it
    // answer 408 (a failure) until the node's primary shards are allocated.
    const path = '/_cluster/health?wait_for_status=yellow&timeout=3s';
    const timings = { interval: Duration.seconds(10), timeout: Duration.seconds(5), retries: 5, startPeriod: Duration.seconds(60) };
    if (this.secured) {
      // The demo certificates are self-signed (-k), and the login must come from the
      // environment: a Kubernetes httpGet probe cannot read a Secret.
      return HealthCheck.shell(
        `curl -fsSk -o /dev/null -u "admin:$OPENSEARCH_INITIAL_ADMIN_PASSWORD" "https://localhost:${REST_PORT}${path}"`,
        timings,
      );
    }
    return HealthCheck.http(path, { ...timings, port: REST_PORT });
  }

  protected builtInEnv(): Record<string, EnvValue> {
    const env: Record<string, EnvValue> = {
      OPENSEARCH_JAVA_OPTS: `-Xms${this.heapMebibytes}m -Xmx${this.heapMebibytes}m`,
    };
    if (this.secured && this.adminPassword) {
      env.OPENSEARCH_INITIAL_ADMIN_PASSWORD = this.adminPassword;
    } else {
      // The 2.x entrypoint runs the security demo installer before it looks at
      // DISABLE_SECURITY_PLUGIN, and from 2.12 on the installer quits without an admin password.
      env.DISABLE_INSTALL_DEMO_CONFIG = 'true';
      env.DISABLE_SECURITY_PLUGIN = 'true';
    }
    return env;
  }
}

/**
 * Settings of a single node that needs nothing from the host. They are `-E` arguments rather
 * than the image's `discovery.type=...` environment variables, whose dotted names are not
 * portable variable names.
 */
const SINGLE_NODE_SETTINGS: Record<string, string> = {
  'discovery.type': 'single-node',
  // Locking the heap in memory needs a raised memlock ulimit (Compose `ulimits`, and no
  // Kubernetes equivalent without node configuration).
  'bootstrap.memory_lock': 'false',
  // Memory-mapped index files need vm.max_map_count >= 262144 on the host, a sysctl that
  // Kubernetes nodes rarely have and pods can only set with a privileged init container.
  // Without mmap, Lucene reads index files with NIO: somewhat slower, and no host tuning.
  'node.store.allow_mmap': 'false',
};

function renderSettings(settings: Record<string, string>): string[] {
  return Object.entries(settings).map(([name, value]) => `-E${name}=${value}`);
}
