import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/paths.js';
import { readDefaultPolicy } from '../../src/policy/load.js';
import { resolvePolicy } from '../../src/policy/resolve.js';

const fixture = (name: string) => {
  const file = join(packageRoot, 'fixtures', 'policies', name);
  return { file, text: readFileSync(file, 'utf8') };
};

describe('the shipped default policy', () => {
  it('is valid on its own, with private zones and remotes that default to public', async () => {
    const result = await resolvePolicy(readDefaultPolicy());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.effective.zones.map((zone) => zone.name)).toEqual(expect.arrayContaining(['private-dir', 'local-files', 'dotenv']));
    expect(result.effective.remotes.private).toEqual([]);
  });
});

describe('a repository policy extends the default', () => {
  it('adds and removes zones, rules, allowlist entries and ignores', async () => {
    const base = await resolvePolicy(readDefaultPolicy());
    const result = await resolvePolicy(readDefaultPolicy(), fixture('valid/mirror.yml'));
    expect(result.ok).toBe(true);
    if (!result.ok || !base.ok) return;
    const names = result.effective.zones.map((zone) => zone.name);
    expect(names).toContain('customer-docs');
    expect(names).not.toContain('key-material');
    expect(result.effective.rules.length).toBe(base.effective.rules.length + 1);
    expect(result.effective.allowlist.paths).toContain('test/fixtures/**');
    expect(result.effective.allowlist.paths).toEqual(expect.arrayContaining(base.effective.allowlist.paths));
    expect(result.effective.ignores).toEqual([{ fingerprint: 'mf1:0123456789abcdef', reason: 'documented sample in the public README' }]);
    expect(result.effective.remotes).toEqual({ private: ['origin', 'git.acme.internal/**'], public: ['upstream'] });
    expect(result.effective.sync.privateTrailers).toEqual(['Customer-Ticket']);
    expect(result.effective.sync.upstreamRemote).toBe('upstream');
  });

  it('replaces scalars and keeps the rest', async () => {
    const result = await resolvePolicy(readDefaultPolicy(), fixture('valid/public.yml'));
    expect(result.ok && result.effective.limits).toEqual({ maxFileBytes: 5242880, oversize: 'refuse' });
  });
});

describe('a bad policy is reported precisely: file, line, field', () => {
  it.each<[string, { line: number; field?: string; message: RegExp }]>([
    ['invalid/unparseable.yml', { line: 5, message: /YAML/ }],
    ['invalid/unknown-key.yml', { line: 3, field: 'zone', message: /unknown key "zone" \(did you mean "zones"\?\)/ }],
    ['invalid/bad-glob.yml', { line: 4, field: 'zones.add[0].include[0]', message: /invalid glob "private\/\[abc": unbalanced "\["/ }],
    ['invalid/bad-regex.yml', { line: 5, field: 'rules.add[0].regex', message: /invalid regular expression/ }],
    ['invalid/catastrophic-regex.yml', { line: 5, field: 'rules.add[0].regex', message: /backtrack catastrophically/ }],
    ['invalid/overlapping-alternation.yml', { line: 5, field: 'rules.add[0].regex', message: /backtrack catastrophically \(exponential/ }],
    ['invalid/overlap-ignorecase.yml', { line: 6, field: 'rules.add[0].regex', message: /backtrack catastrophically \(exponential/ }],
    ['invalid/quadratic-regex.yml', { line: 5, field: 'rules.add[0].regex', message: /time grows as n\^2.*bound its repeats/ }],
    ['invalid/inline-flags.yml', { line: 5, field: 'rules.add[0].regex', message: /ignoreCase: true/ }],
    ['invalid/remove-unknown.yml', { line: 2, field: 'rules.remove[0]', message: /cannot remove rule "no-such-rule"/ }],
    ['invalid/ignore-without-reason.yml', { line: 3, field: 'ignores.add[0]', message: /reason/ }],
    ['invalid/secret-group.yml', { line: 6, field: 'rules.add[0].secretGroup', message: /only 1 capture group/ }],
    ['invalid/wrong-type.yml', { line: 2, field: 'limits.maxFileBytes', message: /must be integer/ }],
  ])('%s', async (name, expected) => {
    const source = fixture(name);
    const result = await resolvePolicy(readDefaultPolicy(), source);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const error = result.errors.find((candidate) => expected.message.test(candidate.message));
    expect(error, JSON.stringify(result.errors)).toBeDefined();
    expect(error!.file).toBe(source.file);
    expect(error!.line).toBe(expected.line);
    if (expected.field) expect(error!.field).toBe(expected.field);
  });

  it('reports every problem of an enum and a type in one go', async () => {
    const result = await resolvePolicy(readDefaultPolicy(), fixture('invalid/wrong-type.yml'));
    expect(!result.ok && result.errors.map((error) => error.field)).toEqual(['limits.maxFileBytes', 'limits.oversize']);
  });
});
