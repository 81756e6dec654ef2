import { hostReferences, HostReference } from '../../model/host-references';

/** Variable names whose whole value is a host: DB_HOST=db (as the port inference reads them, synth/reachable-ports.ts). */
const HOST_VARIABLE = /(HOST|HOSTNAME|ADDR|ADDRESS|SERVER)$/;

/**
 * Where a text of a container or a config file reaches another workload by its Service name, the
 * chart's Service has the release's name; each such reference becomes the chart's name for it.
 *
 * Only references that read as a host are renamed: in a URL (`http://api:8080`, `postgres://u:p@db/x`),
 * with a port (`db:5432`), or the whole value of a variable named like a host (`DB_HOST=db`). A
 * word alone (`celery -A app worker`, `CACHE_DRIVER=redis`) may be anything and is kept as written:
 * renaming a command's argument that only happens to be a workload's name would break it.
 */
export class HostRenames {
  constructor(private readonly renames: ReadonlyMap<string, string>) {}

  /** The chart's name for a host, which is the host itself when the chart does not rename it. */
  public host(name: string): string {
    return this.renames.get(name) ?? name;
  }

  /** A command word, or a config file's text. */
  public text(text: string): string {
    return this.rename(text, (r) => r.inUrl || r.port !== undefined);
  }

  /** The value of the environment variable `name`. */
  public envValue(name: string, value: string): string {
    return this.rename(value, (r) => r.inUrl || r.port !== undefined || (r.whole && HOST_VARIABLE.test(name)));
  }

  /** The bare words of `text` that name a renamed host and are kept as written (for a note). */
  public keptWords(text: string, name?: string): string[] {
    return hostReferences(text)
      .filter((r) => this.renames.has(r.host) && !r.inUrl && r.port === undefined && !(name !== undefined && r.whole && HOST_VARIABLE.test(name)))
      .map((r) => r.host);
  }

  private rename(text: string, readsAsHost: (reference: HostReference) => boolean): string {
    if (this.renames.size === 0) return text;
    let result = '';
    let at = 0;
    for (const reference of hostReferences(text)) {
      const renamed = this.renames.get(reference.host);
      if (renamed === undefined || !readsAsHost(reference)) continue;
      result += text.slice(at, reference.start) + renamed;
      at = reference.end;
    }
    return result + text.slice(at);
  }
}
