/**
 * The acknowledged linter findings as docs/linters.md shows them, one table per category.
 * `npx ts-node --transpile-only test/linters/docs-table.ts` writes them into that page.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ACKNOWLEDGED, Acknowledgement } from './acknowledged';

const MARKDOWN_START = '<!-- generated from test/linters/acknowledged.ts: start -->';
const MARKDOWN_END = '<!-- generated from test/linters/acknowledged.ts: end -->';

const CATEGORY_TITLES: Record<Acknowledgement['category'], string> = {
  'library-defect': 'Library defects (to fix in the library)',
  deliberate: 'Deliberate',
  example: 'Example-specific',
};

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

function scope(ack: Acknowledgement): string {
  const parts = [
    ack.stacks && `stacks \`${ack.stacks.source}\``,
    ack.objects && `objects \`${ack.objects.source}\``,
    ack.containers && `containers \`${ack.containers.source}\``,
    ack.images && `images \`${ack.images.source}\``,
    ack.message && `message \`${ack.message.source}\``,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join('; ') : 'every object';
}

/** The acknowledgements as the tables docs/linters.md shows, one per category. */
export function acknowledgementsMarkdown(): string {
  const sections = (['library-defect', 'deliberate', 'example'] as const).map((category) => {
    const rows = ACKNOWLEDGED.filter((a) => a.category === category).map(
      (a) => `| ${a.linter} | \`${a.check}\` | ${cell(scope(a))} | ${cell(a.reason)} |`,
    );
    return [`### ${CATEGORY_TITLES[category]}`, '', '| linter | check | where | reason |', '|---|---|---|---|', ...rows].join('\n');
  });
  return `${MARKDOWN_START}\n\n${sections.join('\n\n')}\n\n${MARKDOWN_END}`;
}


// `npx ts-node --transpile-only test/linters/docs-table.ts` writes the tables into docs/linters.md.
if (require.main === module) {
  const docs = path.join(__dirname, '..', '..', 'docs', 'linters.md');
  const text = fs.readFileSync(docs, 'utf8');
  const start = text.indexOf(MARKDOWN_START);
  const end = text.indexOf(MARKDOWN_END);
  if (start < 0 || end < start) throw new Error(`${docs} has no ${MARKDOWN_START} ... ${MARKDOWN_END} block to replace`);
  fs.writeFileSync(docs, text.slice(0, start) + acknowledgementsMarkdown() + text.slice(end + MARKDOWN_END.length));
}
