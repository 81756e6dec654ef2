import { ParameterModel, SecretModel } from '../../model';
import { toYaml } from '../../synth/yaml-text';
import { goString } from './template-text';

/**
 * The chart's values: what a deployment may choose with `--set` or a values file, each typed by
 * values.schema.json so that a value of another type fails `helm install`. Their defaults are what
 * the Kubernetes manifests say, so that the chart renders the same objects as `kubectl kustomize`.
 * The paths of the values, as the templates read them, live here too.
 */

/** What a workload's values hold. */
export interface WorkloadValues {
  /** Its Kubernetes name, the key of its values. */
  readonly name: string;
  /** Its controller's kind: Deployment, StatefulSet, DaemonSet or Job. */
  readonly kind: string;
  readonly image: { readonly repository: string; readonly tag?: string; readonly digest?: string };
  /** Pods of a Deployment or StatefulSet; undefined for the others. */
  readonly replicas?: number;
  /** The container's resources as the manifests have them (empty: none). */
  readonly resources: Record<string, unknown>;
  readonly ingress?: { readonly host: string; readonly tlsSecretName?: string; readonly className?: string };
}

export interface ValuesInput {
  readonly chart: string;
  readonly stack: string;
  readonly workloads: readonly WorkloadValues[];
  readonly secrets: readonly SecretModel[];
  /** The stack's parameters, when a ConfigMap of the chart reads them. */
  readonly parameters?: readonly ParameterModel[];
  /** The values each parameter that chooses an env file may take. */
  readonly parameterChoices?: ReadonlyMap<string, readonly string[]>;
  /** Hosts of other stacks that pods reach (`hostsElsewhere`). */
  readonly externalHosts: readonly string[];
  readonly networkPolicies: boolean;
}

/** The expression of a workload's values. */
export function workloadValues(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? `$.Values.workloads.${name}` : `(index $.Values.workloads ${goString(name)})`;
}

export function parameterValue(name: string): string {
  return `index $.Values.parameters ${goString(name)}`;
}

export function externalHostValue(host: string): string {
  return `index $.Values.externalHosts ${goString(host)}`;
}

export const NETWORK_POLICIES_ENABLED = '.Values.networkPolicies.enabled';

const DNS_LABEL_OR_EMPTY = '^([a-z0-9]([-a-z0-9]*[a-z0-9])?)?$';
const DNS_SUBDOMAIN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
const DNS_SUBDOMAIN_OR_EMPTY = `^(${DNS_SUBDOMAIN.slice(1, -1)})?$`;
/** The parts of an image reference (distribution/reference), each as values.schema.json checks it. */
const IMAGE_PARTS = {
  repository: { pattern: '^[^\\s@]+$', description: 'The image without its tag: registry/name.' },
  tag: { maxLength: 128, pattern: '^([A-Za-z0-9_][A-Za-z0-9_.-]*)?$', description: 'The tag; empty for none.' },
  digest: { pattern: '^([a-z0-9]+([+._-][a-z0-9]+)*:[0-9a-fA-F]{32,})?$', description: 'A digest (sha256:...) that pins the image; empty for none.' },
};
/** Kubernetes' own pattern of a resource quantity (`500m`, `1Gi`, `2`). */
const QUANTITY = '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$';

/** values.yaml: the defaults, with a comment on each part. */
export function valuesYaml(input: ValuesInput, header: string): string {
  const sections: string[] = [
    [
      header,
      `# Values of the ${input.chart} chart. values.schema.json gives the type of each; a value of another`,
      '# type fails `helm install`. Every default is what the Kubernetes manifests (k8s/) say.',
    ].join('\n'),
    section(
      ['Objects are named <fullname>-<name>; the fullname is the release name, followed by the chart name', 'unless the release name holds it. nameOverride replaces the chart name, fullnameOverride the fullname.'],
      { nameOverride: '', fullnameOverride: '' },
    ),
  ];
  if (input.secrets.length > 0) {
    sections.push(
      section(
        [
          `The existing Secret the pods read ${input.secrets.map((s) => s.name).join(', ')} from; empty: <fullname>-secrets.`,
          'The chart never holds a secret value and never creates it: NOTES.txt says how to, from the .env file.',
        ],
        { existingSecret: '' },
      ),
    );
  }
  if (input.parameters) {
    sections.push(section(['Deploy-time parameters (the Parameters of the source; k8s/parameters.env for kustomize).'], { parameters: parameterDefaults(input.parameters) }));
  }
  if (input.externalHosts.length > 0) {
    sections.push(
      section(
        [
          'Services of other stacks the pods reach, by their name in the source: set each to that Service\'s name',
          'where the other stack runs (a release of its chart names it <fullname>-<name>).',
        ],
        { externalHosts: Object.fromEntries(input.externalHosts.map((h) => [h, h])) },
      ),
    );
  }
  if (input.networkPolicies) {
    sections.push(section(['The NetworkPolicies of the connection graph: each pod takes ingress only from the workloads that connect to it.'], { networkPolicies: { enabled: true } }));
  }
  const workloads = input.workloads.map((w) => {
    const text = toYaml({ [w.name]: workloadDefaults(w) }, '').replace(/\n$/, '');
    return `  # ${w.kind} ${w.name}\n${text.split('\n').map((line) => `  ${line}`).join('\n')}`;
  });
  // With every workload in a profile Kubernetes leaves out, the map is empty: YAML's `workloads:`
  // alone would be null, which the schema (an object) rejects.
  const body = workloads.length > 0 ? `\n${workloads.join('\n')}` : ' {}';
  sections.push(`# Per workload: its image, its pods (replicas), its container's resources and its public endpoint.\nworkloads:${body}`);
  return sections.join('\n\n') + '\n';
}

function section(comment: readonly string[], value: Record<string, unknown>): string {
  return `${comment.map((line) => `# ${line}`).join('\n')}\n${toYaml(value, '').replace(/\n$/, '')}`;
}

function parameterDefaults(parameters: readonly ParameterModel[]): Record<string, string> {
  return Object.fromEntries(parameters.map((p) => [p.name, p.default ?? '']));
}

function workloadDefaults(w: WorkloadValues): Record<string, unknown> {
  return {
    image: { repository: w.image.repository, tag: w.image.tag ?? '', ...(w.image.digest ? { digest: w.image.digest } : {}) },
    ...(w.replicas !== undefined ? { replicas: w.replicas } : {}),
    resources: w.resources,
    ...(w.ingress ? { ingress: { host: w.ingress.host, tlsSecretName: w.ingress.tlsSecretName ?? '', className: w.ingress.className ?? '' } } : {}),
  };
}

/** values.schema.json: every value typed, none but these allowed. */
export function valuesSchema(input: ValuesInput): Record<string, unknown> {
  const properties: Record<string, unknown> = {
    global: { type: 'object', description: 'Values Helm passes to every chart of a release; this chart reads none.' },
    nameOverride: { type: 'string', maxLength: 63, pattern: DNS_LABEL_OR_EMPTY, description: 'Replaces the chart name in the names of the objects.' },
    fullnameOverride: { type: 'string', maxLength: 63, pattern: DNS_LABEL_OR_EMPTY, description: 'Replaces <release>-<chart> in the names of the objects.' },
  };
  if (input.secrets.length > 0) {
    properties.existingSecret = {
      type: 'string',
      maxLength: 253,
      pattern: DNS_SUBDOMAIN_OR_EMPTY,
      description: `The existing Secret with the keys ${input.secrets.map((s) => s.name).join(', ')}; empty: <fullname>-secrets.`,
    };
  }
  if (input.parameters) {
    properties.parameters = {
      type: 'object',
      additionalProperties: false,
      required: input.parameters.map((p) => p.name),
      properties: Object.fromEntries(
        input.parameters.map((p) => [
          p.name,
          {
            type: 'string',
            // A value that chooses an env file names a ConfigMap of the chart: only those it has.
            ...(input.parameterChoices?.has(p.name) ? { enum: [...(input.parameterChoices.get(p.name) as string[])] } : {}),
            description: [p.description, p.default === undefined ? 'Required: the source gives no default.' : undefined].filter(Boolean).join(' ') || `The parameter ${p.name}.`,
          },
        ]),
      ),
      description: 'Deploy-time parameters, read by the pods from the ConfigMap of parameters.',
    };
  }
  if (input.externalHosts.length > 0) {
    properties.externalHosts = {
      type: 'object',
      additionalProperties: false,
      required: [...input.externalHosts],
      properties: Object.fromEntries(input.externalHosts.map((h) => [h, { type: 'string', maxLength: 253, pattern: DNS_SUBDOMAIN, description: `The Service the source calls ${h}.` }])),
      description: 'Services of other stacks the pods reach, by their name in the source.',
    };
  }
  if (input.networkPolicies) {
    properties.networkPolicies = {
      type: 'object',
      additionalProperties: false,
      required: ['enabled'],
      properties: { enabled: { type: 'boolean', description: 'Render the NetworkPolicies of the connection graph.' } },
    };
  }
  properties.workloads = {
    type: 'object',
    additionalProperties: false,
    required: input.workloads.map((w) => w.name),
    properties: Object.fromEntries(input.workloads.map((w) => [w.name, workloadSchema(w)])),
  };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: `Values of the ${input.chart} chart`,
    description: `Generated by cdk-compose from stack "${input.stack}".`,
    type: 'object',
    additionalProperties: false,
    properties,
    definitions: {
      image: {
        type: 'object',
        additionalProperties: false,
        required: ['repository', 'tag'],
        properties: {
          repository: { type: 'string', minLength: 1, ...IMAGE_PARTS.repository },
          tag: { type: 'string', ...IMAGE_PARTS.tag },
          digest: { type: 'string', ...IMAGE_PARTS.digest },
        },
      },
      ...(input.workloads.every((w) => isImageReference(w.image))
        ? {}
        : {
            imageAsGiven: {
              type: 'object',
              additionalProperties: false,
              required: ['repository', 'tag'],
              properties: { repository: { type: 'string' }, tag: { type: 'string' }, digest: { type: 'string' } },
              description: "An image whose default is not an image reference (synth warned of it), checked for types only, so that the chart's own defaults pass.",
            },
          }),
      quantity: {
        anyOf: [
          { type: 'string', pattern: QUANTITY },
          { type: 'number', minimum: 0 },
        ],
      },
      resourceList: { type: 'object', additionalProperties: { $ref: '#/definitions/quantity' } },
      resources: {
        type: 'object',
        additionalProperties: false,
        properties: { limits: { $ref: '#/definitions/resourceList' }, requests: { $ref: '#/definitions/resourceList' } },
        description: "The container's resources: limits and requests of cpu, memory, ephemeral-storage.",
      },
      ingress: {
        type: 'object',
        additionalProperties: false,
        required: ['host', 'tlsSecretName', 'className'],
        properties: {
          host: { type: 'string', maxLength: 253, pattern: `^(\\*\\.)?${DNS_SUBDOMAIN.slice(1)}`, description: 'The host name the Ingress routes.' },
          tlsSecretName: { type: 'string', maxLength: 253, pattern: DNS_SUBDOMAIN_OR_EMPTY, description: "The TLS Secret of the host's certificate; empty for plain HTTP." },
          className: { type: 'string', maxLength: 253, pattern: DNS_SUBDOMAIN_OR_EMPTY, description: "The IngressClass; empty for the cluster's default." },
        },
      },
    },
  };
}

function workloadSchema(w: WorkloadValues): Record<string, unknown> {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['image', ...(w.replicas !== undefined ? ['replicas'] : []), 'resources', ...(w.ingress ? ['ingress'] : [])],
    description: `The ${w.kind} ${w.name}.`,
    properties: {
      image: { $ref: isImageReference(w.image) ? '#/definitions/image' : '#/definitions/imageAsGiven' },
      ...(w.replicas !== undefined ? { replicas: { type: 'integer', minimum: 0, description: 'How many pods run.' } } : {}),
      resources: { $ref: '#/definitions/resources' },
      ...(w.ingress ? { ingress: { $ref: '#/definitions/ingress' } } : {}),
    },
  };
}

/** Whether the parts of an image pass the patterns of the schema's image. */
function isImageReference(image: WorkloadValues['image']): boolean {
  const fits = (value: string | undefined, part: { pattern: string; maxLength?: number }) =>
    value === undefined || (new RegExp(part.pattern).test(value) && value.length <= (part.maxLength ?? Infinity));
  return fits(image.repository, IMAGE_PARTS.repository) && fits(image.tag, IMAGE_PARTS.tag) && fits(image.digest, IMAGE_PARTS.digest);
}
