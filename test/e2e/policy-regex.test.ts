import { describe, expect, it } from 'vitest';
import { mirrorWorld } from '../helpers/world.js';

const policyWith = (rule: string) => `remotes:\n  private: [origin]\nrules:\n  add:\n    - id: slow\n      description: user rule\n${rule}`;

/**
 * Patterns that backtrack are refused when the policy is loaded, whatever loads it:
 * `mirror policy check`, and the hook, which then refuses the push (fail closed).
 */
describe('policy regexes that could hang the guard are refused', () => {
  it.each([
    ['overlapping alternatives under a quantifier', "      regex: '(a|a)*b'\n", /exponential/],
    ['nested quantifiers', "      regex: 'tok(\\w+\\s?)*;'\n      keywords: [tok]\n", /exponential/],
    ['alternatives that overlap only once case is ignored', "      ignoreCase: true\n      regex: 'tok=(?:x|X)+;'\n", /exponential/],
    ['an unbounded repeat over whole files (quadratic)', "      regex: 'key=\\s*(\\S+)\\s*;'\n      keywords: [key]\n", /n\^2.*bound its repeats/],
  ])('%s: policy check names file, line and field, exit 2', (_name, rule, why) => {
    const world = mirrorWorld({ hook: false });
    world.repo.policy(policyWith(rule));
    const run = world.repo.mirror(['policy', 'check']);
    expect(run.code).toBe(2);
    const line = run.stdout.split('\n').find((l) => l.includes('rules.add[0].regex'));
    expect(line).toMatch(/\.mirror\/policy\.yml:\d+:\d+ rules\.add\[0\]\.regex: this regex can backtrack catastrophically/);
    expect(line).toMatch(why);
  });

  it('the hook refuses the push while the policy holds such a pattern, then allows it once fixed', () => {
    const world = mirrorWorld();
    world.repo.policy(policyWith("      regex: 'key=\\s*(\\S+)\\s*;'\n      keywords: [key]\n"));
    world.repo.write('data/big.txt', `key=${' '.repeat(200_000)}\n`).commit('Big file');
    const refused = world.push('upstream', 'main');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/policy is invalid/);
    expect(refused.stderr).toMatch(/rules\.add\[0\]\.regex: this regex can backtrack catastrophically/);
    expect(world.repo.tryGit('ls-remote', world.upstream).stdout).toBe('');

    world.repo.policy(policyWith("      regex: 'acme_key_([a-z0-9]{32})'\n      keywords: [acme_key_]\n"));
    const allowed = world.push('upstream', 'main');
    expect(allowed.stderr).not.toMatch(/policy is invalid/);
    expect(allowed.code).toBe(0);
  });
});
