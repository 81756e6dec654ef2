import * as fc from 'fast-check';
import { App, synthesize } from '../../lib';
import { emitYaml } from '../../lib/synth/yaml-emitter';
import * as yamlText from '../../lib/synth/yaml-text';
import { toYaml, toYamlWithPackage } from '../../lib/synth/yaml-text';
import { generateStack } from '../../bench/generate-stack';
import { defineExamples } from '../support/examples';

// The emitter replaced the `yaml` package for synth's output on the promise of the same bytes:
// these tests hold it to that over every document of the examples and over random data built
// from the strings YAML readers trip on (test/fuzz/generated-stacks.test.ts does the same over
// its generated stacks, through the real tools).

/**
 * Every value synth turns into YAML text, whoever asks for it: the Compose file, each Kubernetes
 * object, the kustomizations, the profile overlays and the pieces of a Helm chart.
 */
function documentsOf(app: App): unknown[] {
  const documents: unknown[] = [];
  const original = yamlText.toYaml;
  const spy = jest.spyOn(yamlText, 'toYaml').mockImplementation((value, header) => {
    documents.push(value);
    return original(value, header);
  });
  try {
    synthesize(app);
  } finally {
    spy.mockRestore();
  }
  return documents;
}

function exampleApp(): App {
  const app = new App({ outdir: '/nonexistent', printSummary: false });
  defineExamples(app);
  return app;
}

const TRICKY = [
  'yes', 'no', 'on', 'off', 'y', 'n', 'Y', 'N', 'true', 'False', 'NO', 'null', 'Null', '~', '', ' ',
  '0755', '0o755', '0x1F', '0b101', '1e3', 'e3', 'E-7', '1_000', '12:30', '12:30:45', '2222:22', '1:2.5', '8080:80/tcp', '2001-12-14',
  '2001-12-14t21:59:43.10-05:00', '.inf', '-.inf', '.nan', '.5', '+1', '-1', '1.0', '010', '0', '=', '<<', '*ref', '&anchor', '!tag',
  '!!str x', '%YAML', '---', '--- x', '...', 'a\n---', '@at', '`tick`', '- item', '-', '?', '? key', ':', 'a:', 'a: b', 'a :b', '| pipe',
  '> fold', '# hash', 'a #b', 'a#b', '[1, 2]', '{a: 1}', '"double"', "'single'", "it's", '"', "'", `"'`, '$', '${HOME:-x}',
  '\\', 'C:\\path', '100%', 'tab\there', '\t', 'line1\nline2', 'trailing\n', 'two\n\n', '\n', '\n\nx', ' leading', 'trailing ',
  'a \nb', 'a\n b', '  indented\nnext', 'ümlaut', 'emoji 😀', '\u0000', '\u0007', '\u001b', '\u0085', '\u00a0', '\u2028', '\ud800',
  'x'.repeat(1030), 'long line with a break in the middle of it\nand more text after it', 'long line that ends with a space before a break \nx',
  'a long enough line with a break and then a space\n indented', 'a long enough line with two breaks in a row\n\n\nand the rest',
];
const CHARACTERS = [...'aZ09 -_.:/@#$%&*!?|>{}()[],"\'`\\\t\n\r=+~^é<\u0085\u00a0\u2028'];

const text = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...TRICKY) },
  { weight: 3, arbitrary: fc.string({ unit: fc.constantFrom(...CHARACTERS), maxLength: 50 }) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...TRICKY), fc.constantFrom(...TRICKY)).map(([a, b]) => a + b) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
);
const scalar = fc.oneof(
  { weight: 6, arbitrary: text },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constantFrom(null, undefined) },
);
const { tree } = fc.letrec<{ tree: unknown; node: unknown }>((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('tree')),
  tree: fc.oneof(
    { depthSize: 'small' },
    fc.array(tie('node'), { maxLength: 4 }),
    fc.dictionary(text, tie('node'), { maxKeys: 4 }),
  ),
}));

describe('emitYaml', () => {
  it('writes every document of the examples as the yaml package does', () => {
    const documents = documentsOf(exampleApp());
    expect(documents.length).toBeGreaterThan(100);
    for (const document of documents) {
      expect(emitYaml(document)).toBe(toYamlWithPackage(document));
    }
  });

  it('writes the benchmark stack as the yaml package does', () => {
    const app = new App({ outdir: '/nonexistent', printSummary: false });
    generateStack(app, 'bench', 20);
    for (const document of documentsOf(app)) {
      expect(emitYaml(document)).toBe(toYamlWithPackage(document));
    }
  });

  it('writes random data made of tricky strings as the yaml package does', () => {
    fc.assert(
      fc.property(tree, (value) => {
        expect(emitYaml(value)).toBe(toYamlWithPackage(value));
      }),
      { numRuns: 3000, seed: 20250611 },
    );
  });

  it('writes a key longer than 1024 characters as an explicit key', () => {
    const value = { ['k'.repeat(1100)]: { a: 1 }, ['l'.repeat(1100)]: 'x' };
    expect(emitYaml(value)).toBe(toYamlWithPackage(value));
    expect(emitYaml(value)).toMatch(/^\? k+\n: a: 1\n/);
  });

  it('leaves anything but plain data to the yaml package', () => {
    class Box {
      constructor(readonly size: number) {}
    }
    for (const value of [{ at: new Date(0) }, [new Map([['a', 1]])], { box: new Box(1) }, { n: BigInt(1) }, { f: () => 1 }, 'top-level text', 42]) {
      expect(emitYaml(value)).toBeUndefined();
    }
    expect(toYaml({ at: new Date(0) }, '# header')).toBe(`# header\n${toYamlWithPackage({ at: new Date(0) })}`);
  });
});
