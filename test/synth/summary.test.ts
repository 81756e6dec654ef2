import { Hardening, Stack, Testing, Worker, synthesize } from '../../lib';
import { formatFindings, formatSummary } from '../../lib/synth/summary';

/** A stack of `count` workers; every tenth runs as root, the others as the image's user. */
function workers(count: number): Stack {
  const stack = new Stack(Testing.app(), 'shop');
  for (let i = 0; i < count; i++) {
    new Worker(stack, `w${i}`, { image: 'ghcr.io/acme/worker:1.0.0', ...(i % 10 === 0 ? { security: { user: 0 } } : {}) });
  }
  return stack;
}

describe('formatFindings', () => {
  it('shows a few workloads of each message and a count, so a hundred services make a few lines', () => {
    const findings = synthesize(workers(100).node.root).findings;
    const lines = formatFindings(findings, 'cdk.out/manifest.json');

    expect(lines.length).toBeLessThan(20);
    const user = lines.slice(lines.indexOf('  CKC-USER (100):'), lines.indexOf('  CKC-USER (100):') + 3);
    expect(user).toEqual([
      '  CKC-USER (100):',
      "    shop/w0, shop/w10, shop/w20 and 7 more: runs as root (security.user is 0); use a non-root id",
      "    shop/w1, shop/w2, shop/w3 and 87 more: runs as the image's user, which is often root; set security.user to a numeric non-root id",
    ]);
    expect(lines).toContain('  Every finding, with its message, is in cdk.out/manifest.json.');
  });

  it('gives each workload its own message', () => {
    const stack = new Stack(Testing.app(), 'shop');
    new Worker(stack, 'a', { image: 'ghcr.io/acme/a' });
    new Worker(stack, 'b', { image: 'ghcr.io/acme/b:latest' });
    const lines = formatFindings(synthesize(stack.node.root).findings);

    expect(lines).toContain('    shop/a: image ghcr.io/acme/a has no tag, which means :latest; pin a version or a digest');
    expect(lines).toContain('    shop/b: image ghcr.io/acme/b:latest uses :latest, which changes under you; pin a version or a digest');
  });

  it('counts the messages beyond the first three of a rule', () => {
    const stack = new Stack(Testing.app(), 'shop');
    for (const name of ['a', 'b', 'c', 'd', 'e']) new Worker(stack, name, { image: `ghcr.io/acme/${name}` });
    const lines = formatFindings(synthesize(stack.node.root).findings, 'cdk.out/manifest.json');

    expect(lines.filter((l) => / has no tag/.test(l))).toHaveLength(3);
    expect(lines).toContain('    and 2 more with other messages');
  });

  it('counts acknowledged findings without listing them', () => {
    const stack = new Stack(Testing.app(), 'shop');
    const worker = new Worker(stack, 'w', { image: 'ghcr.io/acme/w:1.0.0' });
    Hardening.of(worker).acknowledge('CKC-LIMITS', 'a batch job the node limits');
    const lines = formatFindings(synthesize(stack.node.root).findings);

    expect(lines[1]).toMatch(/^\d+ hardening findings, 1 acknowledged:$/);
    expect(lines.join('\n')).not.toContain('CKC-LIMITS');
  });
});

describe('formatSummary', () => {
  it('writes one of a thing in the singular', () => {
    const stack = new Stack(Testing.app(), 'shop');
    new Worker(stack, 'w', { image: 'ghcr.io/acme/w:1.0.0' });
    const result = synthesize(stack.node.root);
    const text = formatSummary(result, 'cdk.out', 5);

    expect(text).toMatch(/^cdk-compose: synthesized 1 stack in 5 ms$/m);
    expect(text).toMatch(/compose\.yaml +1 service$/m);
    expect(text).toMatch(/\.env\.example +0 variables$/m);
  });
});
