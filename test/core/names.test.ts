import * as fs from 'fs';
import * as path from 'path';
import { DNS_LABEL_MAX, KEPT_BEFORE_DIGEST, cutName, nameDigest, withDigest } from '../../lib/core/names';

describe('Kubernetes names', () => {
  it('cuts a name to a DNS label without leaving a dash at its end', () => {
    expect(cutName(`${'a'.repeat(62)}-b`)).toBe('a'.repeat(62));
    expect(cutName('web-app-', 8)).toBe('web-app');
    expect(cutName('web')).toBe('web');
  });

  it('keeps 52 characters in front of a digest, so that the whole is a DNS label', () => {
    const name = withDigest('x'.repeat(80), { content: 'a' });
    expect(KEPT_BEFORE_DIGEST).toBe(52);
    expect(name).toMatch(/^x{52}-[0-9a-f]{10}$/);
    expect(name).toHaveLength(DNS_LABEL_MAX);
  });

  it('fits a digested name into a shorter limit when it must leave room for another digest', () => {
    expect(withDigest('x'.repeat(80), 'key', KEPT_BEFORE_DIGEST)).toMatch(/^x{41}-[0-9a-f]{10}$/);
  });

  it('digests the same value to the same ten hex digits, and another value to others', () => {
    expect(nameDigest({ a: 1 })).toBe(nameDigest({ a: 1 }));
    expect(nameDigest({ a: 1 })).not.toBe(nameDigest({ a: 2 }));
  });

  it('is the one place that cuts names or digests them: no other module of lib does it itself', () => {
    const lib = path.join(__dirname, '..', '..', 'lib');
    const offenders: string[] = [];
    for (const file of fs.readdirSync(lib, { recursive: true }) as string[]) {
      if (!file.endsWith('.ts') || file === path.join('core', 'names.ts')) continue;
      const text = fs.readFileSync(path.join(lib, file), 'utf8');
      if (/\.replace\(\/-\+\$\/, ''\)|createHash\('sha256'\)[^;]*slice\(0, 10\)|slice\(0, (4[0-9]|5[0-9]|6[0-3])\)/.test(text)) offenders.push(file);
    }
    expect(offenders).toEqual([]);
  });
});
