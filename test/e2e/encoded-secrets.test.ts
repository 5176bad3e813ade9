/** Encoded secrets through a real push and a real scan: refused, located, never shown. */
import { describe, expect, it } from 'vitest';
import { githubToken } from '../helpers/tokens.js';
import { mirrorWorld } from '../helpers/world.js';

describe('a base64-encoded token', () => {
  it('is refused by the installed pre-push hook, at the encoded span, and shown in no output', () => {
    const world = mirrorWorld();
    const token = githubToken();
    const encoded = Buffer.from(`${token}\n`).toString('base64');
    world.repo.write('deploy/values.yml', `image: app\nregistryToken: "${encoded}"\n`).commit('Deploy values');
    const push = world.push('origin', 'main');
    expect(push.code).toBe(1);
    expect(push.stderr).toMatch(/secret +deploy\/values\.yml:2:17/);
    expect(push.stderr).toContain('found decoded: base64');
    for (const out of [push.stdout, push.stderr]) {
      expect(out).not.toContain(token);
      expect(out).not.toContain(token.slice(4));
      expect(out).not.toContain(encoded);
      expect(out).not.toContain(encoded.slice(0, 24));
    }

    const json = world.repo.mirror(['scan', 'deploy', '--format', 'json']);
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout) as { violations: { finding: { ruleId: string; line: number; column: number; encoding?: string } }[] };
    expect(report.violations.map((v) => [v.finding.ruleId, v.finding.line, v.finding.column, v.finding.encoding])).toEqual([['github-pat', 2, 17, 'base64']]);
    const sarif = JSON.parse(world.repo.mirror(['scan', 'deploy', '--format', 'sarif']).stdout) as { runs: { results: { properties: { encoding?: string } }[] }[] };
    expect(sarif.runs[0]!.results.map((r) => r.properties.encoding)).toEqual(['base64']);
    for (const out of [json.stdout, json.stderr]) {
      expect(out).not.toContain(token.slice(4));
      expect(out).not.toContain(encoded.slice(0, 24));
    }
  });
});
