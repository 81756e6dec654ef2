import { Construct } from 'constructs';
import { Annotations } from '../core/annotations';
import { checkProps, knownProps } from '../core/known-props';
import { HealthCheck } from './health-check';
import { PortOptions, SecurityOptions, WorkloadOptions } from './options';
import { HostPathOptions, Mount } from './volume';
import { PORT_OPTIONS, workloadProps } from './private/known-options';
import { Workload } from './workload';

/**
 * A path of the machine an agent runs on, and where the agent reads it.
 */
export interface AgentHostPath extends HostPathOptions {
  /** Absolute path on the Docker host (Compose) or the node (Kubernetes). */
  readonly path: string;
}

/**
 * The host paths log agents usually read. Docker hosts and Kubernetes nodes keep container
 * logs in different places, so each path is kept to the target where it exists.
 */
export class AgentHostPaths {
  /**
   * The Docker socket, for agents that discover containers and read their logs through the
   * Docker API (grafana-agent's `discovery.docker`). Compose only: a Kubernetes node may run
   * containerd without Docker. Read-only does not restrict the API: whoever can open the
   * socket controls the Docker engine, which is root on the host.
   */
  public static dockerSocket(): AgentHostPath {
    return { path: '/var/run/docker.sock', targets: ['compose'] };
  }

  /** The json-file logs of every container on a Docker host. Compose only. */
  public static dockerContainerLogs(): AgentHostPath {
    return { path: '/var/lib/docker/containers', targets: ['compose'] };
  }

  /**
   * The kubelet's pod log folder. Kubernetes only. `/var/log/containers` holds symlinks into
   * this folder, so agents that follow those links need this one mounted too.
   */
  public static podLogs(): AgentHostPath {
    return { path: '/var/log/pods', targets: ['kubernetes'] };
  }
}

/**
 * Properties for an `AgentService`.
 */
export interface AgentServiceProps extends Omit<WorkloadOptions, 'image'> {
  /** Image reference of the agent, e.g. 'grafana/agent:v0.40.5'. */
  readonly image: string;

  /**
   * Ports the agent listens on (its own HTTP server, receivers such as OTLP).
   *
   * @default - none: no Kubernetes Service is created
   */
  readonly ports?: PortOptions[];

  /**
   * Paths of the host the agent reads, mounted read-only at the same path by default.
   * See `AgentHostPaths` for the usual ones.
   *
   * @default - none
   */
  readonly hostPaths?: AgentHostPath[];

  /**
   * Hardening of the container.
   *
   * @default - every capability dropped but NET_BIND_SERVICE, no privilege escalation; the
   * image's user, since node log files and the Docker socket belong to root
   */
  readonly security?: SecurityOptions;

  /**
   * How to tell that the agent is ready. grafana/agent images are Ubuntu-based with neither
   * curl nor wget; on Compose probe them with bash, e.g.
   * `HealthCheck.http('/-/ready', { probeTool: ProbeTool.command(['bash', '-c',
   * 'exec 3<>/dev/tcp/127.0.0.1/{port} && printf "GET /-/ready HTTP/1.0\\r\\n\\r\\n" >&3 && grep -q " 200 " <&3']) })`
   * (Kubernetes probes HTTP itself).
   *
   * @default - no health check: dependents wait only for the container to start
   */
  readonly healthCheck?: HealthCheck;
}

const AGENT_HOST_PATH = knownProps<AgentHostPath>('AgentHostPath', ['path', 'target', 'readOnly', 'targets']);

const PROPS = workloadProps<AgentServiceProps>('AgentServiceProps', {
  without: ['image'],
  more: ['image', 'ports', 'hostPaths', 'security', 'healthCheck'],
  omitted: {
    replicas: 'it runs one copy per node; remove replicas',
    hostPort: 'publish a port with ports: [{ port, hostPort }]',
  },
  nested: { ports: PORT_OPTIONS, hostPaths: AGENT_HOST_PATH },
});

/**
 * An agent that runs once on every machine: a log or metrics shipper such as grafana-agent.
 *
 * Compose: one service (a Compose project runs on one host). Kubernetes: a DaemonSet, one pod
 * per node, with a ClusterIP Service for its ports; host paths become `hostPath` volumes, which
 * only such a per-node workload may have. A namespace that enforces the Pod Security
 * Standards' baseline or restricted level rejects `hostPath` volumes: run the agent in a
 * namespace labelled privileged.
 *
 * Hardening: every capability is dropped but NET_BIND_SERVICE and privilege escalation is off
 * (root reads root's files without capabilities), but the agent keeps the image's user, which
 * for agents that read node logs or the Docker socket is root. NET_BIND_SERVICE stays in the
 * bounding set because agent images give their binary that file capability (grafana/agent runs
 * `setcap cap_net_bind_service=+ep` on /bin/grafana-agent), and the kernel refuses to exec a
 * binary whose file capabilities it cannot grant: with `cap_drop: [ALL]` alone the container
 * fails to start with "operation not permitted". The root filesystem stays writable, since
 * agents keep their positions and write-ahead log in it; give `security.readOnlyRootFilesystem`
 * with a `Mount.tmpfs` for that folder where the agent's state may be lost on restart.
 *
 * Not expressed: a ServiceAccount with read access to pods (for Kubernetes service discovery),
 * tolerations for tainted nodes, and the node name through the downward API.
 */
export class AgentService extends Workload {
  constructor(scope: Construct, id: string, props: AgentServiceProps) {
    super(
      scope,
      id,
      { ...props, security: props?.security ?? { dropCapabilities: ['ALL'], addCapabilities: ['NET_BIND_SERVICE'] } },
      { kind: 'service', perNode: true, ports: props?.ports },
    );
    checkProps(this, AgentService, props, PROPS);
    for (const hostPath of props?.hostPaths ?? []) {
      if (typeof hostPath !== 'object' || hostPath === null) {
        Annotations.of(this).addError(`hostPaths must hold { path } objects (see AgentHostPaths), got ${JSON.stringify(hostPath)}`);
        continue;
      }
      // Only the known options: an unknown key is reported above, not again by Mount.hostPath.
      const { path, target, readOnly, targets } = hostPath;
      this.addMount(Mount.hostPath(path, { target, readOnly, targets }));
    }
  }
}
