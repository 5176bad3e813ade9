/**
 * The structured readers' budgets: past them a text is read as plain text, never
 * skipped, and never with a verdict that would hide what was padded past the budget.
 */
import { describe, expect, it } from 'vitest';
import { jwtValid, MAX_JWT_HEADER_CHARS } from '../../../src/core/detect/checksum.js';
import { findKubernetesSecrets, MAX_DOCUMENT_BYTES, MAX_STRUCTURED_ENTRIES } from '../../../src/core/detect/kubernetes.js';
import { BASE62, Prng } from './samples.js';

const rng = new Prng(77);
const b64 = (s: string) => Buffer.from(s).toString('base64');
const everyLine = (text: string) => [0, ...[...text.matchAll(/\n/g)].map((m) => m.index + 1)];
const secrets = (text: string, limit?: number, worth?: (v: string) => boolean) =>
  findKubernetesSecrets(text, everyLine(text), limit, worth).map((c) => c.secret);

describe('Kubernetes reader budgets', () => {
  it('a document past the size budget is read line by line: base64 values still decoded, block scalars as their lines', () => {
    const value = rng.pick(BASE62, 24);
    const filler = Array.from({ length: Math.ceil(MAX_DOCUMENT_BYTES / 20) }, (_, i) => `  # filler line ${i}`);
    const text = ['kind: Secret', 'metadata:', '  name: big', 'data:', ...filler, `  password: ${b64(value)}`, ''].join('\n');
    expect(text.length).toBeGreaterThan(MAX_DOCUMENT_BYTES);
    expect(secrets(text)).toEqual([value]);
  });

  it('entries past the structured budget are still read (as plain text) and no stack overflows', () => {
    const value = rng.pick(BASE62, 24);
    const many = Array.from({ length: MAX_STRUCTURED_ENTRIES + 10 }, (_, i) => `  k${i}: ${b64(`v${i}`)}`);
    const text = ['kind: Secret', 'data:', ...many, `  password: ${b64(value)}`].join('\n');
    const found = secrets(text);
    expect(found).toHaveLength(MAX_STRUCTURED_ENTRIES + 11);
    expect(found.at(-1)).toBe(value);
  });

  it('values the rule would reject do not count toward the bound on candidates', () => {
    const value = rng.pick(BASE62, 24);
    const pad = Array.from({ length: 500 }, () => '  k: YWJj');
    const text = ['kind: Secret', 'data:', ...pad, `  password: ${b64(value)}`].join('\n');
    expect(secrets(text, 10)).toHaveLength(10);
    expect(secrets(text, 10, (v) => v !== 'abc')).toEqual([value]);
  });
});

describe('JWT header budget', () => {
  it('a header too long to parse counts as a token (a failed check would veto other rules)', () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none', pad: 'x'.repeat(MAX_JWT_HEADER_CHARS) })).toString('base64url');
    expect(jwtValid(`${header}.eyJzdWIiOiIxIn0.sig`)).toBe(true);
    expect(jwtValid(`${Buffer.from('[['.repeat(MAX_JWT_HEADER_CHARS)).toString('base64url')}.e30.x`)).toBe(true);
    expect(jwtValid(`${Buffer.from('{"typ":"JWT"}').toString('base64url')}.e30.x`)).toBe(false);
  });
});
