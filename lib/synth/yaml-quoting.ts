const BASE_60 = /^[-+0-9_.:]+$/;
const OCTAL_1_2 = /^[-+]?0o[0-7_]+$/;

/**
 * Whether the readers of the output would not read `text` back as the same string if it were
 * written plain, where the `yaml` package (in 1.1 mode) would still write it plain:
 * - digits joined by colons (`2222:22`) are a base-60 number to YAML 1.1 (PyYAML, Compose);
 * - `0o755` is an integer to YAML 1.2 (go-yaml v3 in kustomize);
 * - `<<` and `=` are the merge and value keys of YAML 1.1, which PyYAML refuses as values;
 * - a tab in a plain scalar is refused by PyYAML and go-yaml.
 *
 * Such values (not keys) are written double-quoted, `<<` as `!!str "<<"`.
 */
export function isAmbiguous(text: string): boolean {
  return (
    (text.includes(':') && BASE_60.test(text)) ||
    OCTAL_1_2.test(text) ||
    text === '<<' ||
    text === '=' ||
    text.includes('\t')
  );
}
