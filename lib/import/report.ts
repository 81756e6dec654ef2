/** One thing the importer tells the user about. */
export interface ImportFinding {
  /**
   * - `unmapped`: a key with no construct equivalent, kept in the source as node metadata
   * - `note`: a choice the importer made (a variable baked to its default, a literal secret)
   * - `difference`: the synthesized Compose file differs from the input here (after both are
   *   normalized as `docker-compose config` does)
   */
  readonly kind: 'unmapped' | 'note' | 'difference';
  readonly file: string;
  /** The service, or undefined for a top-level key. */
  readonly service?: string;
  /** Key path: `ports`, `environment.API_KEY`; for differences the path in the normalized file. */
  readonly key: string;
  readonly message: string;
}

export function formatFinding(f: ImportFinding): string {
  const where = f.service !== undefined ? `services.${f.service}.${f.key}` : f.key;
  return `${f.kind.padEnd(10)} ${f.file}: ${where}: ${f.message}`;
}

export function formatReport(findings: readonly ImportFinding[]): string {
  const order = { unmapped: 0, difference: 1, note: 2 } as const;
  return [...findings]
    .sort((a, b) => order[a.kind] - order[b.kind])
    .map(formatFinding)
    .join('\n');
}
