/**
 * Where a text (an environment value, a command word) names a host: `db:5432`,
 * `postgresql://app:pw@db:5432/shop`, `http://tika:9998/`, or a whole value `redis`.
 *
 * A host is a maximal run of host-name characters that is not a URL scheme (`mysql://`) and is
 * not followed by anything but a port, a path, or the end of a word: `root:secret@db` names
 * `db`, never `root`. One reading serves port inference, the connections check and the
 * renaming of hosts on Kubernetes, so that the three agree.
 */
export interface HostReference {
  readonly host: string;
  /** The port written after it, if any. */
  readonly port?: number;
  /** Offset of the host in the text. */
  readonly start: number;
  readonly end: number;
  /** `scheme://host` (a URL) rather than a bare word. */
  readonly inUrl: boolean;
  /** The host is the whole text (`redis`), or the whole text but a port (`db:5432`). */
  readonly whole: boolean;
}

const HOST_RUN = /[A-Za-z0-9][A-Za-z0-9_.-]*/g;
/** What may come right after a host: end, a port, a path, a query or a separator. */
const AFTER_HOST = /^(?::(\d{1,5})(?![\dA-Za-z_.-])|(?=$|[/?#,;\s"')\]}]))/;
/** What may come right before a host: start, `@`, or a separator. */
const BEFORE_HOST = /(?:^|@|[\s=,;"'(\[{])$/;
/**
 * A URL's scheme and `//`, right before its host. Only after a scheme: `//` alone is no URL
 * (`sed 's/^psql //p'`), and a third slash (`unix:///var/run/docker.sock`) is a URL with no host.
 */
const SCHEME_BEFORE_HOST = /[A-Za-z][A-Za-z0-9+.-]*:\/\/$/;

/**
 * The references of texts read lately. Synth reads each text several times (port inference, the
 * connections check, the renaming of hosts for Kubernetes and the chart), and a large stack repeats
 * the same texts across workloads; the cache is emptied when it gets large, so it stays small.
 */
const recent = new Map<string, readonly HostReference[]>();
const RECENT_LIMIT = 10_000;

/** Every place `text` names a host, in order. */
export function hostReferences(text: string): readonly HostReference[] {
  let found = recent.get(text);
  if (found === undefined) {
    if (recent.size >= RECENT_LIMIT) recent.clear();
    found = Object.freeze(readHostReferences(text));
    recent.set(text, found);
  }
  return found;
}

function readHostReferences(text: string): HostReference[] {
  const found: HostReference[] = [];
  for (const match of text.matchAll(HOST_RUN)) {
    const start = match.index as number;
    const end = start + match[0].length;
    const before = text.slice(Math.max(0, start - 2), start);
    const afterScheme = SCHEME_BEFORE_HOST.test(text.slice(Math.max(0, start - 40), start));
    if (!afterScheme && !BEFORE_HOST.test(before)) continue;
    const rest = text.slice(end);
    if (rest.startsWith('://')) continue;
    const after = AFTER_HOST.exec(rest);
    if (!after) continue;
    const port = after[1] === undefined ? undefined : Number(after[1]);
    if (port !== undefined && (port < 1 || port > 65535)) continue;
    const host = match[0].replace(/[.]+$/, '');
    if (host === '') continue;
    const afterLength = after[0].length;
    found.push({
      host,
      port,
      start,
      end: start + host.length,
      inUrl: afterScheme || /:\/\/[^/\s]*@$/.test(text.slice(0, start)),
      whole: start === 0 && end + afterLength === text.length && host.length === match[0].length,
    });
  }
  return found;
}

/** Variable names whose bare value (`gitea`, no port, no URL) is a host rather than a user, database or mode. */
const HOST_KEY = /(HOST|HOSTNAME|HOSTS|ADDR|ADDRESS|SERVER|SERVERS|ENDPOINT|BROKER|NODES?|PEERS?|SEEDS?)$/i;
/** Command-line options followed by a host: `redis-cli -h cache`, `pg_isready --host db`. */
const HOST_OPTION = /^(-h|-H|--host|--hostname|--server|--addr|--address)$/;

/**
 * Whether a host reference counts: one with a port or in a URL always does; a bare word only
 * where it is read as a host (a HOST-like variable, after a host option), since `POSTGRES_USER=gitea`
 * names a user that shares a service's name, not the service.
 */
export function readsAsHost(reference: HostReference, context: { variable?: string; previousWord?: string }): boolean {
  if (reference.port !== undefined || reference.inUrl || !reference.whole) return true;
  if (context.variable !== undefined) return HOST_KEY.test(context.variable);
  return context.previousWord !== undefined && HOST_OPTION.test(context.previousWord);
}

/**
 * `text` with every host reference to a key of `renames` replaced by its value, where it reads
 * as a host in `context` (`POSTGRES_USER=db_1` names a user, and keeps it).
 */
export function renameHosts(text: string, renames: ReadonlyMap<string, string>, context: { variable?: string; previousWord?: string } = {}): string {
  if (renames.size === 0) return text;
  let result = '';
  let at = 0;
  for (const reference of hostReferences(text)) {
    const renamed = renames.get(reference.host);
    if (renamed === undefined || !readsAsHost(reference, context)) continue;
    result += text.slice(at, reference.start) + renamed;
    at = reference.end;
  }
  return result + text.slice(at);
}

/** Names that never stand for a service: the container itself, the Docker host. */
const NOT_A_SERVICE = new Set(['localhost', 'host.docker.internal', 'gateway.docker.internal']);

/**
 * Whether a reference to a host that is no workload of the stack still reads as one meant to
 * be a service of the project or cluster: a single-label name in a URL (`http://backend:8000`).
 * A bare `name:port` outside a URL is too often something else (a ratio, a time, a tag) to judge.
 */
export function namesAServiceHost(reference: HostReference): boolean {
  return reference.inUrl && !reference.host.includes('.') && !/^\d+$/.test(reference.host) && !NOT_A_SERVICE.has(reference.host);
}

/** Whether a host is one a project or cluster network could hold at all (not the container itself or an IP address). */
export function isServiceName(host: string): boolean {
  return !NOT_A_SERVICE.has(host) && !/^\d+(\.\d+){3}$/.test(host) && !/^\d+$/.test(host);
}
