import { unifiedDiff } from '../../lib/cli/text-diff';

describe('unifiedDiff', () => {
  it('is empty for equal texts', () => {
    expect(unifiedDiff('a\n', 'a\n', 'a/x', 'b/x')).toBe('');
  });

  it('prints the removed lines of a change before the added ones, as diff(1) does', () => {
    expect(unifiedDiff('a\nb\nc\nd\n', 'a\nB\nC\nd\n', 'a/x', 'b/x')).toBe(['--- a/x', '+++ b/x', '@@ -1,4 +1,4 @@', ' a', '-b', '-c', '+B', '+C', ' d', ''].join('\n'));
  });

  it('shows a new file against an empty one', () => {
    expect(unifiedDiff('', 'a\n', '/dev/null', 'b/x')).toBe(['--- /dev/null', '+++ b/x', '@@ -0,0 +1,1 @@', '+a', ''].join('\n'));
  });
});
