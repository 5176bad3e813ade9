/**
 * The shipped rule list as data: coverage, prefilter keywords, regex hygiene, the
 * backtracking check the policy layer applies to user regexes, and that the policy
 * (and these tests) never contain a live-format secret themselves.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { canSpanLines, createDetector, GENERIC_TAG } from '../../../src/core/detect/index.js';
import type { DetectionConfig } from '../../../src/core/detect/types.js';
import { packageRoot } from '../../../src/paths.js';
import { catastrophicBacktracking } from '../../../src/policy/regexes.js';
import { defaultDetection } from './policy.js';

/** Rules whose pattern must cross lines: they run on the whole text, not keyword lines. */
const MULTI_LINE = ['private-key', 'pgp-private-key-block', 'putty-private-key', 'netrc-password', 'ini-username-password'];
const CATEGORIES = ['cloud', 'vcs-ci', 'registry', 'payments', 'messaging', 'ai', 'database', 'observability', 'auth', 'saas'];

let config: DetectionConfig;
beforeAll(async () => {
  config = await defaultDetection();
});

describe('the default rule list', () => {
  it('covers at least 150 provider token formats, each with one category', () => {
    const provider = config.rules.filter((r) => r.tags.includes('provider'));
    expect(provider.length).toBeGreaterThanOrEqual(150);
    for (const rule of provider) {
      expect(rule.tags.filter((t) => CATEGORIES.includes(t)), rule.id).toHaveLength(1);
      expect(rule.tags, rule.id).not.toContain(GENERIC_TAG);
    }
    const perCategory = new Map(CATEGORIES.map((c) => [c, provider.filter((r) => r.tags.includes(c)).length]));
    for (const [category, count] of perCategory) expect(count, category).toBeGreaterThanOrEqual(5);
  });

  it('has the generic detectors, after every provider rule so provider findings win ties', () => {
    const generic = config.rules.filter((r) => r.tags.includes(GENERIC_TAG)).map((r) => r.id);
    expect(generic).toEqual(
      expect.arrayContaining([
        'private-key',
        'pgp-private-key-block',
        'putty-private-key',
        'jwt',
        'kubernetes-secret',
        'url-with-password',
        'connection-string-password',
        'generic-password-assignment',
        'generic-secret-assignment',
        'generic-env-assignment',
      ]),
    );
    const firstGeneric = config.rules.findIndex((r) => r.tags.includes(GENERIC_TAG));
    expect(config.rules.slice(firstGeneric).every((r) => r.tags.includes(GENERIC_TAG))).toBe(true);
    expect(config.rules.find((r) => r.id === 'kubernetes-secret')?.detector).toBe('kubernetes-secret');
  });

  it('gives every rule lowercase ASCII keywords the prefilter can use (three characters or more)', () => {
    for (const rule of config.rules) {
      expect(rule.keywords.length, rule.id).toBeGreaterThan(0);
      for (const keyword of rule.keywords) {
        expect(keyword, rule.id).toBe(keyword.toLowerCase());
        expect(keyword, rule.id).toMatch(/^[\x21-\x7e][\x20-\x7e]{2,}$/);
      }
    }
  });

  it('has regexes that compile with the engine flags and, but for PEM-like blocks, stay on one line', () => {
    for (const rule of config.rules) {
      if (!rule.pattern) continue;
      expect(() => new RegExp(rule.pattern!.source, rule.pattern!.flags + 'gmd'), rule.id).not.toThrow();
      expect(/\(\?[imsx]+[:)]/.test(rule.pattern.source), rule.id).toBe(false);
      expect(canSpanLines(rule.pattern.source, rule.pattern.flags + 'gm'), rule.id).toBe(MULTI_LINE.includes(rule.id));
    }
  });

  it('has regexes that do not match their own text, so the policy file is not a finding', () => {
    for (const rule of config.rules) {
      if (!rule.pattern) continue;
      expect(new RegExp(rule.pattern.source, rule.pattern.flags).test(rule.pattern.source), rule.id).toBe(false);
    }
  });

  it('has descriptions without anything token-shaped in them', () => {
    for (const rule of config.rules) {
      expect(rule.description, rule.id).not.toMatch(/[A-Za-z0-9_-]{20,}/);
      for (const other of config.rules) {
        if (!other.pattern) continue;
        expect(new RegExp(other.pattern.source, other.pattern.flags).test(rule.description), `${rule.id} vs ${other.id}`).toBe(false);
      }
    }
  });

  it('passes the catastrophic-backtracking check applied to user regexes (recheck), allowlists included', async () => {
    const sources = [
      ...config.rules.flatMap((r) => (r.pattern ? [r.pattern.source] : [])),
      ...config.rules.flatMap((r) => r.allowlist.regexes.map((x) => x.source)),
      ...config.allowlist.regexes.map((x) => x.source),
    ];
    const unique = [...new Set(sources)];
    expect(unique.length).toBeGreaterThan(290);
    // a generous budget: a proof that merely ran out of time on a loaded machine is not a finding about the rules
    const verdicts = await catastrophicBacktracking(unique, { timeoutMs: 60_000 });
    expect(verdicts.filter((v) => v.problem !== undefined)).toEqual([]);
  }, 600_000);
});

describe('nothing in the repository side of detection is itself a secret', () => {
  const files = [
    join(packageRoot, 'policies', 'default.yml'),
    join(packageRoot, 'bench', 'detect-throughput.ts'),
    ...readdirSync(join(packageRoot, 'test', 'core', 'detect')).map((f) => join(packageRoot, 'test', 'core', 'detect', f)),
  ];

  it.each(files.map((f) => [f.slice(packageRoot.length + 1), f]))('%s scans clean', (path, file) => {
    const detector = createDetector(config);
    const findings = detector.scan(readFileSync(file, 'utf8'), { kind: 'content', path });
    expect(findings.map((f) => `${f.line}: ${f.ruleId}`)).toEqual([]);
  });
});
