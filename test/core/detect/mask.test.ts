import { describe, expect, it } from 'vitest';
import { literalPrefixes, revealable } from '../../../src/core/detect/literal-prefix.js';
import { maskSecret } from '../../../src/core/detect/mask.js';
import { defaultDetector } from './policy.js';
import { BASE62, checksummedToken, githubPrefix, Prng } from './samples.js';

describe('literal prefixes of a rule', () => {
  it('a provider token format: its fixed prefix', () => {
    expect(literalPrefixes('\\b(gh' + 'p_[A-Za-z0-9]{36})(?![A-Za-z0-9_])', 1)).toEqual(['ghp_']);
    expect(literalPrefixes('\\b(hvs\\.[A-Za-z0-9_-]{24,64})', 1)).toEqual(['hvs.']);
  });

  it('alternatives: each fixed text, up to where it varies', () => {
    expect(literalPrefixes('\\b((?:AK' + 'IA|ASIA|A3T[A-Z0-9])[A-Z2-7]{16})(?![A-Za-z0-9])', 1)).toEqual(['AKIA', 'ASIA', 'A3T']);
    expect(literalPrefixes('\\b((?:fm1[ar]|fm2)_[A-Za-z0-9+/]{100,120})', 1)).toEqual(['fm1', 'fm2_']);
  });

  it('a generic assignment, a URL password, a keyword-introduced value: nothing', () => {
    expect(literalPrefixes('[\\w.-]{0,24}(?:passw(?:or)?d|pwd)[\\t ]{0,3}[:=][\\t ]{0,3}["\']([!#-&(-\\[\\]-_a-~]{8,128})["\']', 1)).toEqual([]);
    expect(literalPrefixes('\\b[a-z][a-z0-9+.-]{1,15}://[^:]{0,27}:([^@]{4,43})@[A-Za-z0-9.-]', 1)).toEqual([]);
    expect(literalPrefixes('(?:aws[\\w.-]{0,12}secret)[\\t ]{0,3}[:=][\\t ]{0,3}([A-Za-z0-9/+]{40})', 1)).toEqual([]);
    // an optional or repeated first character is not fixed
    expect(literalPrefixes('(x?abc)', 1)).toEqual([]);
  });

  it('a group of a kind it does not read (inline modifiers) ends the fixed text instead of looping', () => {
    expect(literalPrefixes('((?-i:ab)cd)', 1)).toEqual([]);
    expect(literalPrefixes('(xy(?i:ab)cd)', 1)).toEqual(['xy']);
    expect(literalPrefixes('(?<name>ab)', 1)).toEqual(['ab']);
  });

  it('the secret is the whole match when the rule has no group', () => {
    expect(literalPrefixes('-----BEGIN[ A-Z0-9]{0,20}PRIVATE KEY-----', 0)).toEqual(['----']);
  });

  it('a secret reveals the longest fixed text it starts with', () => {
    expect(revealable('A3TXABCDEFGH', ['AKIA', 'A3T'], false)).toBe(3);
    expect(revealable('akiaABCDEFGH', ['AKIA'], true)).toBe(4);
    expect(revealable('akiaABCDEFGH', ['AKIA'], false)).toBe(0);
  });
});

describe('masks', () => {
  const value = (length: number) => 'q'.repeat(length);

  it('show nothing of a value without a fixed prefix, however long', () => {
    expect(maskSecret(value(25), 0)).not.toContain('q');
    expect(maskSecret(value(60), 0)).not.toContain('q');
  });

  it('show a fixed prefix, at most four characters', () => {
    expect(maskSecret('abc_' + value(30), 4)).toMatch(/^abc_\*+$/);
    expect(maskSecret('abcdef' + value(30), 6)).toMatch(/^abcd\*+$/);
  });

  it('do not tell lengths apart: every value of 20 or more characters has the same number of stars', () => {
    const masks = [20, 21, 33, 39, 40, 80].map((length) => maskSecret(value(length), 0));
    expect(new Set(masks).size).toBe(1);
    expect(new Set([5, 12, 19].map((length) => maskSecret(value(length), 4))).size).toBe(1);
  });
});

describe('masks of the shipped rules', () => {
  const rng = new Prng(77);

  it('a generic password assignment shows no character of the value, nor its length', async () => {
    const detector = await defaultDetector();
    const masks = [22, 31].map((length) => {
      const password = rng.pick(BASE62, length);
      const [finding] = detector.scan(`db_password = "${password}"\n`, { kind: 'content', path: 'app.cfg' });
      expect(finding?.masked.slice(0, 1)).toBe('*');
      return finding!.masked;
    });
    expect(masks[0]).toBe(masks[1]);
  });

  it('a provider token keeps its public prefix', async () => {
    const detector = await defaultDetector();
    const token = checksummedToken(githubPrefix('p'), rng);
    const [finding] = detector.scan(`token: ${token}\n`, { kind: 'content', path: 'ci.yml' });
    expect(finding?.masked).toBe(githubPrefix('p') + '*'.repeat(16));
  });
});
