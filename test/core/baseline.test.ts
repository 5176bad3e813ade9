import { describe, expect, it } from 'vitest';
import {
  entryOf,
  gitleaksIgnoreLocations,
  gitleaksReportLocations,
  matchesForeign,
  normalizeEntries,
  parseBaseline,
  pruneEntries,
  type BaselineEntry,
} from '../../src/core/baseline.js';
import type { Finding } from '../../src/core/detect/types.js';

const finding = (fingerprint: string, line = 3): Finding => ({ ruleId: 'github-pat', description: 'GitHub token', line, column: 5, masked: 'ghp_****', fingerprint, confidence: 'high' });
const fp = (n: number) => `fp1:${n.toString(16).padStart(16, '0')}`;

describe('baseline entries', () => {
  it('carry fingerprint, rule and location, never the secret or its mask', () => {
    const entry = entryOf({ kind: 'blob', commit: 'abc123', path: 'src/a.js', blob: 'b1' }, finding(fp(1)));
    expect(entry).toEqual({ fingerprint: fp(1), rule: 'github-pat', path: 'src/a.js', line: 3, commit: 'abc123', source: 'mirror' });
    expect(entryOf({ kind: 'commit-message', commit: 'c1' }, finding(fp(2))).path).toBe('commit message');
  });

  it('are deduplicated by fingerprint and path, and sorted', () => {
    const a: BaselineEntry = { fingerprint: fp(1), rule: 'r', path: 'b.js', line: 2 };
    const b: BaselineEntry = { fingerprint: fp(2), rule: 'r', path: 'a.js', line: 9 };
    expect(normalizeEntries([a, b, { ...a, line: 7 }])).toEqual([b, a]);
  });

  it('prune keeps what still occurs', () => {
    const entries = [1, 2, 3].map((n): BaselineEntry => ({ fingerprint: fp(n), rule: 'r', path: 'x' }));
    const { kept, dropped } = pruneEntries(entries, new Set([fp(1), fp(3)]));
    expect(kept.map((e) => e.fingerprint)).toEqual([fp(1), fp(3)]);
    expect(dropped.map((e) => e.fingerprint)).toEqual([fp(2)]);
  });

  it('a file is validated, errors as data', () => {
    expect(parseBaseline({ version: 1, entries: [{ fingerprint: fp(1), rule: 'r', path: 'a' }] }).ok).toBe(true);
    const bad = parseBaseline({ version: 2, entries: [{ fingerprint: 'nope', rule: 'r', path: 'a' }] });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors.map((e) => e.field)).toEqual(['version', 'entries[0].fingerprint']);
    expect(parseBaseline([]).ok).toBe(false);
  });
});

describe('gitleaks imports', () => {
  it('read a JSON report by place, never its Secret or Match', () => {
    const report = [
      { RuleID: 'generic-api-key', File: 'src/a.js', StartLine: 4, Commit: 'deadbeefcafe', Secret: 'S', Match: 'M' },
      { RuleID: 'x', File: 'b.yml', StartLine: 1, Commit: '' },
      { nothing: true },
    ];
    expect(gitleaksReportLocations(report)).toEqual([
      { path: 'src/a.js', line: 4, commit: 'deadbeefcafe' },
      { path: 'b.yml', line: 1 },
    ]);
    expect(() => gitleaksReportLocations({})).toThrow();
  });

  it('read .gitleaksignore fingerprints with and without a commit, paths with colons included', () => {
    const text = [
      '# accepted in review',
      '0123456789abcdef0123456789abcdef01234567:src/config.js:generic-api-key:12',
      'docs/setup.md:aws-access-token:3',
      'c:odd:name.txt:rule:5  # trailing comment',
      'garbage',
      '',
    ].join('\n');
    expect(gitleaksIgnoreLocations(text)).toEqual([
      { path: 'src/config.js', line: 12, commit: '0123456789abcdef0123456789abcdef01234567' },
      { path: 'docs/setup.md', line: 3 },
      { path: 'c:odd:name.txt', line: 5 },
    ]);
  });

  it('match a mirror finding at the same path and line, and commit when both know one', () => {
    const entry: BaselineEntry = { fingerprint: fp(1), rule: 'r', path: 'src/a.js', line: 4, commit: 'deadbeefcafe0000' };
    expect(matchesForeign(entry, [{ path: 'src/a.js', line: 4, commit: 'deadbeefcafe' }])).toBe(true);
    expect(matchesForeign(entry, [{ path: 'src/a.js', line: 4 }])).toBe(true);
    expect(matchesForeign(entry, [{ path: 'src/a.js', line: 5 }])).toBe(false);
    expect(matchesForeign(entry, [{ path: 'src/a.js', line: 4, commit: '0000aaaa' }])).toBe(false);
    expect(matchesForeign(entry, [{ path: 'src/b.js', line: 4 }])).toBe(false);
  });
});
