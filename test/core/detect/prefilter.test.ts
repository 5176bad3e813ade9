/**
 * The keyword prefilter must find exactly what a naive case-insensitive search finds:
 * a missed keyword is a rule that never runs.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeywordScanner, MAX_HITS, rarestTrigramOffset } from '../../../src/core/detect/prefilter.js';
import { defaultDetection } from './policy.js';

function naive(text: string, keywords: readonly string[]): string[] {
  const lower = text.replace(/[A-Z]/g, (c) => c.toLowerCase());
  const out: string[] = [];
  keywords.forEach((kw, id) => {
    for (let at = lower.indexOf(kw); at !== -1; at = lower.indexOf(kw, at + 1)) {
      out.push(`${id}@${at}:${text.lastIndexOf('\n', at - 1) + 1}`);
    }
  });
  return out.sort();
}

function scanned(scanner: KeywordScanner, text: string): string[] {
  const hits = scanner.scan(text);
  const out: string[] = [];
  for (let h = 0; h < hits.count; h++) out.push(`${hits.keyword[h]}@${hits.position[h]}:${hits.lineStart[h]}`);
  return out.sort();
}

const keywords = ['confluence', 'ghp_', 'private key', '://', 'pat', 'sk-ant-api03-', 'x', 'é-clé', 'secret', 'secret_'];

describe('KeywordScanner', () => {
  it('indexes a keyword by a rare piece of it, not by a common prefix', () => {
    const offset = rarestTrigramOffset('confluence');
    expect('confluence'.slice(offset, offset + 3)).not.toBe('con');
    expect(rarestTrigramOffset('datadog')).not.toBe(0);
    expect(rarestTrigramOffset('abc')).toBe(0);
  });

  it('finds every occurrence, case-insensitively, with its line start', () => {
    const scanner = new KeywordScanner(keywords);
    const text = 'CONFLUENCE\nconfluencE x\n  GHP_ghp_ PRIVATE KEY https://a Pat é-clé secret_SECRET';
    expect(scanned(scanner, text)).toEqual(naive(text, keywords));
  });

  it('agrees with a naive search on random text (property)', () => {
    const scanner = new KeywordScanner(keywords);
    const pieces = fc.constantFrom(...keywords, ...keywords.map((k) => k.toUpperCase()), 'a', 'co', 'nfl', '\n', ' ', 'é', '中', '\r\n');
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 60 }), (parts) => {
        const text = parts.join('');
        expect(scanned(scanner, text)).toEqual(naive(text, keywords));
      }),
      { numRuns: 500, seed: 7 },
    );
  });

  it('finds the default policy keywords in text built from them', async () => {
    const config = await defaultDetection();
    const all = [...new Set(config.rules.flatMap((r) => r.keywords))];
    const scanner = new KeywordScanner(all);
    const text = all.map((k, i) => (i % 2 ? k.toUpperCase() : k)).join(' \n');
    expect(scanned(scanner, text)).toEqual(naive(text, all));
  });

  it('stops recording at MAX_HITS and says so', () => {
    const scanner = new KeywordScanner(['pat']);
    const hits = scanner.scan('pat '.repeat(MAX_HITS + 10));
    expect(hits.count).toBe(MAX_HITS);
    expect(scanner.overflowed).toBe(true);
    scanner.scan('pat');
    expect(scanner.overflowed).toBe(false);
  });
});
