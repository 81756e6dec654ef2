import * as fs from 'fs';
import * as path from 'path';

const LIB = path.join(__dirname, '..', '..', 'lib');

/** The folders of lib that the modules of `folder` import at load time (`import type` is erased, so it does not count). */
function importedFolders(folder: string): string[] {
  const found = new Set<string>();
  for (const file of fs.readdirSync(path.join(LIB, folder)).filter((f) => f.endsWith('.ts'))) {
    const text = fs.readFileSync(path.join(LIB, folder, file), 'utf8');
    for (const match of text.matchAll(/^import (?!type )[^;]*? from '\.\.\/([\w-]+)/gm)) found.add(match[1]);
  }
  return [...found].sort();
}

describe('the layers of lib', () => {
  it('keeps the tree (core) from importing its synthesis, the constructs or the renderers: App.synth loads synth/ when it runs', () => {
    expect(importedFolders('core')).toEqual(['model']);
  });
});
