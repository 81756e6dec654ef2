/**
 * Every linter finding in the examples' Kubernetes output that the project knows of, with why it
 * is there. test/linters/linters.test.ts fails on a finding no entry matches, and on an entry
 * that matches nothing (the library or the example was fixed: remove the entry). docs/linters.md
 * lists the same entries for readers: after a change, run
 * `npx ts-node --transpile-only test/linters/docs-table.ts` (a test checks the page).
 *
 * Categories:
 * - `deliberate`: the output differs from what the linter asks on purpose, and the reason says
 *   why (usually: it would mean something the Compose side does not).
 * - `library-defect`: the library should render something else; the reason starts with
 *   `TODO:` and says what. They are listed for the library's maintainers in docs/linters.md.
 * - `example`: the example's source asks for it (its seed sets no limits, runs the image's
 *   user...); the library renders what it was told, and its hardening rules report it at synth.
 */
import { LinterFinding } from './kube-score';

export interface Acknowledgement {
  readonly linter: LinterFinding['linter'];
  /** The linter's check id. */
  readonly check: string;
  readonly category: 'deliberate' | 'library-defect' | 'example';
  /** Stack names it applies to (a regular expression matching the whole name); default: every stack. */
  readonly stacks?: RegExp;
  /** `Kind/workload` of the objects (whole match); default: every object. */
  readonly objects?: RegExp;
  /** Container names (whole match); when given, findings about no container do not match. */
  readonly containers?: RegExp;
  /** Images of those containers (whole match); when given, findings about no container do not match. */
  readonly images?: RegExp;
  /** The linter's message (whole match); default: any. */
  readonly message?: RegExp;
  readonly reason: string;
}

/** Every other container: the ones the source describes. */
const OWN_CONTAINERS = /(?!wait-for-).*/;

export const ACKNOWLEDGED: readonly Acknowledgement[] = [
  // -------------------------------------------------------------------------------------------
  // Deliberate, in every stack
  // -------------------------------------------------------------------------------------------
  {
    linter: 'kube-score',
    check: 'container-image-pull-policy',
    category: 'deliberate',
    reason:
      "Compose pulls an image only when the engine does not have it (pull_policy's default, missing); Kubernetes' default for a tagged image, IfNotPresent, is the same. Always would make every pod start depend on the registry, which Compose's does not; images are pinned instead (hardening rule CKC-PINNED).",
  },
  {
    linter: 'kube-score',
    check: 'container-ephemeral-storage-request-and-limit',
    category: 'deliberate',
    containers: OWN_CONTAINERS,
    reason:
      "`resources` carries CPU and memory, as Compose's deploy.resources does; Compose has no ephemeral-storage limit, so the library has nothing to render one from.",
  },
  {
    linter: 'kube-score',
    check: 'deployment-replicas',
    category: 'deliberate',
    message: /Deployment few replicas/,
    reason:
      'The replica count is the one the source gives, by default 1 as on Compose; the library does not raise it for Kubernetes. A workload that must stay up through a node drain sets `replicas`.',
  },

  {
    linter: 'kube-score',
    check: 'pod-probes',
    category: 'deliberate',
    message: /Container is missing a livenessProbe/,
    reason:
      'A health check is the readinessProbe: what dependents wait for and what routes traffic, as the Compose healthcheck is. Compose marks an unhealthy container and never restarts it, so the library adds a livenessProbe only when the source asks (a separate readinessCheck, or restartWhenUnhealthy).',
  },

  // -------------------------------------------------------------------------------------------
  // Library defects, in every stack
  // -------------------------------------------------------------------------------------------
  {
    linter: 'kube-score',
    check: 'pod-networkpolicy',
    category: 'library-defect',
    reason:
      "TODO: render NetworkPolicies from the connect()/after graph: deny ingress to the stack's pods except each workload's ports from the workloads that connect to it, and from the ingress controller for a public endpoint. A Compose project network keeps other projects out; a namespace keeps nothing out.",
  },
  {
    linter: 'kube-score',
    check: 'deployment-has-poddisruptionbudget',
    category: 'library-defect',
    reason:
      'TODO: give a workload with more than one replica a PodDisruptionBudget (maxUnavailable: 1), so a node drain keeps the replicas the source asked for serving. Compose runs on one host and has no voluntary disruption.',
  },
  {
    linter: 'kube-score',
    check: 'deployment-has-host-podantiaffinity',
    category: 'library-defect',
    reason:
      'TODO: spread the replicas of a workload with more than one over nodes (a preferred podAntiAffinity on kubernetes.io/hostname, or a topologySpreadConstraint), so one node going down does not take them all.',
  },

  // -------------------------------------------------------------------------------------------
  // Deliberate: the constructs for official images (they acknowledge the same hardening rules)
  // -------------------------------------------------------------------------------------------
  {
    linter: 'kube-score',
    check: 'container-security-context-user-group-id',
    category: 'deliberate',
    containers: OWN_CONTAINERS,
    objects: /(StatefulSet|Deployment)\/.*/,
    images: /(postgres|redis|mongo|rabbitmq):.*/,
    reason:
      "PostgresService, RedisService, MongoService and RabbitMqService run the official image as it is built: its entrypoint starts as root to take ownership of the data directory, then drops to the server's own user (70 or 999); the constructs acknowledge CKC-USER with that reason.",
  },
  {
    linter: 'kube-score',
    check: 'container-security-context-readonlyrootfilesystem',
    category: 'deliberate',
    containers: OWN_CONTAINERS,
    objects: /(StatefulSet|Deployment)\/.*/,
    images: /(postgres|mongo|opensearchproject\/opensearch):.*/,
    reason:
      'The official Postgres, MongoDB and OpenSearch images write outside their data volume (the Postgres socket in /var/run/postgresql, mongod\'s in /tmp, OpenSearch\'s keystore and logs under /usr/share/opensearch); the constructs acknowledge CKC-READ-ONLY with that reason.',
  },

  // -------------------------------------------------------------------------------------------
  // Examples: what each example's source asks for (its README maps it to the seed's design)
  // -------------------------------------------------------------------------------------------
  {
    linter: 'kube-score',
    check: 'container-resources',
    category: 'example',
    stacks: /quickstart/,
    objects: /StatefulSet\/(db|redis)|Deployment\/worker|Job\/db-migrate/,
    reason: 'The quickstart gives resources to the API only, to stay short; CKC-LIMITS reports the others at synth.',
  },
  {
    linter: 'kube-score',
    check: 'container-security-context-user-group-id',
    category: 'example',
    containers: OWN_CONTAINERS,
    stacks: /quickstart/,
    objects: /Deployment\/(backend|worker)|Job\/db-migrate/,
    reason: "The quickstart sets no `security.user`: the app runs as its image's user, as on Compose; CKC-USER reports it at synth.",
  },
  {
    linter: 'kube-score',
    check: 'container-security-context-readonlyrootfilesystem',
    category: 'example',
    containers: OWN_CONTAINERS,
    stacks: /quickstart/,
    objects: /Deployment\/(backend|worker)|Job\/db-migrate|StatefulSet\/redis/,
    reason: 'The quickstart sets no `security.readOnlyRootFilesystem`; CKC-READ-ONLY reports it at synth.',
  },
  {
    linter: 'kube-score',
    check: 'container-resources',
    category: 'example',
    stacks: /drm-(dev|prod)/,
    reason: "device-remote-management's design document sets no resources for any service; CKC-LIMITS reports them at synth.",
  },
  {
    linter: 'kube-score',
    check: 'container-security-context-user-group-id',
    category: 'example',
    containers: OWN_CONTAINERS,
    stacks: /drm-(dev|prod)/,
    objects: /Deployment\/(backend|worker|frontend)|Job\/db-migrate/,
    reason: "The seed's containers run as their images' users (the migration as the postgres image's root); the example keeps that, and CKC-USER reports it at synth.",
  },
  {
    linter: 'kube-score',
    check: 'container-security-context-readonlyrootfilesystem',
    category: 'example',
    containers: OWN_CONTAINERS,
    stacks: /drm-(dev|prod)/,
    objects: /Deployment\/(backend|worker|frontend)|Job\/db-migrate|StatefulSet\/redis/,
    reason: 'The seed does not make any root filesystem read-only; CKC-READ-ONLY reports it at synth.',
  },
  {
    linter: 'kube-score',
    check: 'container-resources',
    category: 'example',
    stacks: /parmana-(dev|prod)/,
    reason: "Parmana's seed sets no resources for any service; CKC-LIMITS reports them at synth.",
  },
  {
    linter: 'kube-score',
    check: 'container-security-context-user-group-id',
    category: 'example',
    containers: OWN_CONTAINERS,
    stacks: /parmana-(dev|prod)/,
    objects: /Deployment\/(server|dashboard)/,
    reason: "The server runs as its image's user, and the dashboard is nginx, whose master process starts as root (StaticSite acknowledges CKC-USER); the seed sets no user.",
  },
  {
    linter: 'kube-score',
    check: 'container-security-context-readonlyrootfilesystem',
    category: 'example',
    containers: OWN_CONTAINERS,
    stacks: /parmana-(dev|prod)/,
    objects: /Deployment\/(server|dashboard)|StatefulSet\/redis/,
    reason: 'The seed does not make any root filesystem read-only; CKC-READ-ONLY reports it at synth.',
  },
  {
    linter: 'kube-score',
    check: 'container-image-tag',
    category: 'example',
    stacks: /parmana-dev/,
    objects: /Deployment\/dashboard/,
    reason: "The dev stack keeps the seed's dashboard:latest; prod pins the release tag (examples/parmana/README.md).",
  },
  {
    linter: 'kube-score',
    check: 'pod-probes',
    category: 'example',
    stacks: /parmana-(dev|prod)/,
    objects: /Deployment\/server/,
    message: /Container is missing a readinessProbe/,
    reason: 'The seed names no health route or probe tool for the server, so the example gives it no health check and Kubernetes no readinessProbe (examples/parmana/README.md).',
  },
  {
    linter: 'kube-score',
    check: 'container-resources',
    category: 'example',
    stacks: /escrowgrid-dev/,
    reason: 'The laptop stack runs without limits; the seed files its limits and reservations under production, which escrowgrid-prod applies (the stack acknowledges CKC-LIMITS).',
  },
  {
    linter: 'kube-score',
    check: 'container-security-context-user-group-id',
    category: 'example',
    containers: OWN_CONTAINERS,
    stacks: /escrowgrid-(dev|prod)/,
    objects: /Deployment\/(api|admin)/,
    reason:
      "The API runs as 1000:1000, its image's node user (kube-score asks for ids above 10000, which the image would have to be built with); the admin console is the stock nginx image, whose master starts as root to bind port 80 and drops to nginx.",
  },
  {
    linter: 'kube-score',
    check: 'container-resources',
    category: 'example',
    stacks: /p88-(dev|prod)/,
    objects: /Deployment\/(db|redis|worker|pgadmin|mailhog)|StatefulSet\/(db|search)|DaemonSet\/grafana-agent/,
    reason: 'The seed limits the web service only; CKC-LIMITS reports the others at synth.',
  },
  {
    linter: 'kube-score',
    check: 'container-resources',
    category: 'example',
    stacks: /p88-(dev|prod)/,
    objects: /Deployment\/web/,
    message: /(CPU|Memory) request is not set/,
    reason:
      'The seed sets limits and no reservations; requests come from reservations only (Compose deploy.resources.reservations), and the API server takes the limits as the requests when none are given.',
  },
  {
    linter: 'kube-score',
    check: 'container-security-context-user-group-id',
    category: 'example',
    containers: OWN_CONTAINERS,
    stacks: /p88-(dev|prod)/,
    objects: /Deployment\/(web|worker|pgadmin|mailhog)|StatefulSet\/search|DaemonSet\/grafana-agent/,
    reason:
      "The app runs as 1000:1000 and search as 999:1000, the images' users (kube-score asks for ids above 10000); pgadmin and mailhog run as their images' users (dev only); the agent runs as root to read the Docker socket and pod logs (it acknowledges CKC-USER).",
  },
  {
    linter: 'kube-score',
    check: 'container-security-context-readonlyrootfilesystem',
    category: 'example',
    containers: OWN_CONTAINERS,
    stacks: /p88-(dev|prod)/,
    objects: /Deployment\/(redis|pgadmin)|DaemonSet\/grafana-agent/,
    reason: 'The seed makes the app read-only, not Redis, pgAdmin (dev only) or the agent; CKC-READ-ONLY reports them at synth.',
  },
  {
    linter: 'kube-score',
    check: 'container-resources',
    category: 'example',
    stacks: /srvthreds-(infra|app)-(dev|prod)/,
    objects: /StatefulSet\/(mongo-repl-1|rabbitmq|redis)|Deployment\/srvthreds-.*|Job\/srvthreds-bootstrap/,
    reason:
      'The seed sets no limits on the databases, none in development, and in production limits the engine only (the stacks acknowledge CKC-LIMITS).',
  },
  {
    linter: 'kube-score',
    check: 'container-security-context-user-group-id',
    category: 'example',
    containers: OWN_CONTAINERS,
    stacks: /srvthreds-app-(dev|prod)/,
    objects: /Deployment\/srvthreds-.*|Job\/srvthreds-bootstrap/,
    reason:
      "The services run as 1001:1001, the user their Dockerfile creates (kube-score asks for ids above 10000); the bootstrap job runs as root in the builder image, which has no other user (it acknowledges CKC-USER).",
  },
  {
    linter: 'kube-score',
    check: 'container-security-context-readonlyrootfilesystem',
    category: 'example',
    containers: OWN_CONTAINERS,
    stacks: /srvthreds-(infra|app)-(dev|prod)/,
    objects: /StatefulSet\/(rabbitmq|redis)|Deployment\/srvthreds-.*|Job\/srvthreds-bootstrap/,
    reason: 'The seed does not make the services or the brokers read-only; CKC-READ-ONLY reports them at synth.',
  },
  {
    linter: 'kube-score',
    check: 'container-image-tag',
    category: 'example',
    stacks: /srvthreds-app-dev/,
    reason: 'Development runs the images it has just built from source, tagged latest; production pulls a release tag (the stack acknowledges CKC-PINNED).',
  },
];

function whole(pattern: RegExp): RegExp {
  return new RegExp(`^(?:${pattern.source})$`, pattern.flags);
}

/** Whether `ack` covers `finding`. */
export function acknowledges(ack: Acknowledgement, finding: LinterFinding): boolean {
  if (ack.linter !== finding.linter || ack.check !== finding.check) return false;
  if (ack.stacks && !whole(ack.stacks).test(finding.stack)) return false;
  if (ack.objects && !whole(ack.objects).test(finding.object)) return false;
  if (ack.containers && (finding.container === undefined || !whole(ack.containers).test(finding.container))) return false;
  if (ack.images && (finding.image === undefined || !whole(ack.images).test(finding.image))) return false;
  if (ack.message && !whole(ack.message).test(finding.message)) return false;
  return true;
}
