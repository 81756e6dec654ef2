/**
 * A unified diff of two texts (`---`/`+++` headers, `@@` hunks with 3 lines of context), or an
 * empty string when they are equal. Longest-common-subsequence by dynamic programming over the
 * lines that differ after the common head and tail are cut off, which keeps generated files
 * (mostly equal) cheap.
 */
export function unifiedDiff(oldText: string, newText: string, oldName: string, newName: string): string {
  if (oldText === newText) return '';
  const a = splitLines(oldText);
  const b = splitLines(newText);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;

  const edits: Edit[] = [
    ...a.slice(0, head).map((line): Edit => ({ op: ' ', line })),
    ...middleEdits(a.slice(head, a.length - tail), b.slice(head, b.length - tail)),
    ...a.slice(a.length - tail).map((line): Edit => ({ op: ' ', line })),
  ];
  return [`--- ${oldName}`, `+++ ${newName}`, ...hunks(edits)].join('\n') + '\n';
}

interface Edit {
  readonly op: ' ' | '-' | '+';
  readonly line: string;
}

function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function middleEdits(a: string[], b: string[]): Edit[] {
  // lengths[i][j]: LCS length of a[i..] and b[j..]
  const lengths = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lengths[i][j] = a[i] === b[j] ? lengths[i + 1][j + 1] + 1 : Math.max(lengths[i + 1][j], lengths[i][j + 1]);
    }
  }
  const edits: Edit[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      edits.push({ op: ' ', line: a[i++] });
      j++;
    } else if (i < a.length && (j === b.length || lengths[i + 1][j] >= lengths[i][j + 1])) {
      // Removed lines first, as diff(1) and git print them.
      edits.push({ op: '-', line: a[i++] });
    } else {
      edits.push({ op: '+', line: b[j++] });
    }
  }
  return edits;
}

const CONTEXT = 3;

function hunks(edits: Edit[]): string[] {
  const out: string[] = [];
  const changed = edits.map((e, k) => (e.op === ' ' ? -1 : k)).filter((k) => k >= 0);
  let k = 0;
  while (k < changed.length) {
    const start = Math.max(0, changed[k] - CONTEXT);
    let end = changed[k];
    while (k < changed.length && changed[k] <= end + 2 * CONTEXT) end = changed[k++];
    const stop = Math.min(edits.length, end + CONTEXT + 1);
    const slice = edits.slice(start, stop);
    const oldStart = edits.slice(0, start).filter((e) => e.op !== '+').length + 1;
    const newStart = edits.slice(0, start).filter((e) => e.op !== '-').length + 1;
    const oldCount = slice.filter((e) => e.op !== '+').length;
    const newCount = slice.filter((e) => e.op !== '-').length;
    // An empty range starts at the line before it (`-0,0` for a new file), as diff(1) writes it.
    out.push(`@@ -${oldCount === 0 ? oldStart - 1 : oldStart},${oldCount} +${newCount === 0 ? newStart - 1 : newStart},${newCount} @@`);
    out.push(...slice.map((e) => `${e.op}${e.line}`));
  }
  return out;
}
