/**
 * Rules the Kubernetes API server applies to a pod template that the OpenAPI object schemas do
 * not express (apimachinery's validation of PodSpec): container names unique across init and
 * regular containers, volume names unique, each a DNS label, and every volume mount naming a
 * volume of the pod. Without them, a manifest passes every offline check and is refused on apply.
 */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function records(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

/** The pod spec of a Pod, a workload with a pod template, or a CronJob, with its JSON pointer. */
function podSpecOf(obj: Json): { spec: Json; at: string } | undefined {
  const spec = isRecord(obj.spec) ? obj.spec : undefined;
  if (!spec) return undefined;
  if (obj.kind === 'Pod') return { spec, at: '/spec' };
  const template = isRecord(spec.template) ? spec.template : undefined;
  if (template && isRecord(template.spec)) return { spec: template.spec, at: '/spec/template/spec' };
  const jobTemplate = isRecord(spec.jobTemplate) && isRecord(spec.jobTemplate.spec) ? spec.jobTemplate.spec : undefined;
  const cronTemplate = jobTemplate && isRecord(jobTemplate.template) ? jobTemplate.template : undefined;
  if (cronTemplate && isRecord(cronTemplate.spec)) return { spec: cronTemplate.spec, at: '/spec/jobTemplate/spec/template/spec' };
  return undefined;
}

function nameProblems(kind: string, names: Array<{ name: unknown; at: string }>): string[] {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const { name, at } of names) {
    if (typeof name !== 'string') continue;
    if (name.length > 63 || !DNS_LABEL.test(name)) problems.push(`${at}/name: ${kind} name "${name}" is not a DNS label (at most 63 characters)`);
    const first = seen.get(name);
    if (first !== undefined) problems.push(`${at}/name: ${kind} name "${name}" is already used at ${first}`);
    else seen.set(name, at);
  }
  return problems;
}

/** What the API server would refuse in the object's pod template; empty when it has none or it is fine. */
export function podTemplateProblems(obj: Json): string[] {
  const pod = podSpecOf(obj);
  if (!pod) return [];
  const containers = [
    ...records(pod.spec.initContainers).map((c, i) => ({ container: c, at: `${pod.at}/initContainers/${i}` })),
    ...records(pod.spec.containers).map((c, i) => ({ container: c, at: `${pod.at}/containers/${i}` })),
  ];
  // A StatefulSet's claim templates are volumes of its pods too.
  const claimTemplates = isRecord(obj.spec) ? records(obj.spec.volumeClaimTemplates) : [];
  const volumes = [
    ...records(pod.spec.volumes).map((v, i) => ({ name: v.name, at: `${pod.at}/volumes/${i}` })),
    ...claimTemplates.map((t, i) => ({ name: isRecord(t.metadata) ? t.metadata.name : undefined, at: `/spec/volumeClaimTemplates/${i}/metadata` })),
  ];
  const volumeNames = new Set(volumes.map((v) => v.name));
  const mountProblems = containers.flatMap(({ container, at }) =>
    records(container.volumeMounts).flatMap((mount, i) =>
      volumeNames.has(mount.name) ? [] : [`${at}/volumeMounts/${i}/name: "${String(mount.name)}" is not a volume of the pod`],
    ),
  );
  return [
    ...nameProblems('container', containers.map(({ container, at }) => ({ name: container.name, at }))),
    ...nameProblems('volume', volumes),
    ...mountProblems,
  ];
}
