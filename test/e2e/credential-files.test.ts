/**
 * No false refusals on real projects, through real pushes: credential files holding
 * settings pass toward a public remote, the same files with a credential are refused
 * toward every remote, express-style test fixtures pass, and a token failing its
 * checksum warns (low confidence) without refusing unless asked.
 */
import { describe, expect, it } from 'vitest';
import { githubToken, registryToken } from '../helpers/tokens.js';
import { mirrorWorld } from '../helpers/world.js';

const basic = (credential: string) => Buffer.from(credential).toString('base64');

describe('credential files are judged by content', () => {
  it('a settings-only .npmrc, .yarnrc.yml and a Basic-auth test fixture go to the public upstream', () => {
    const world = mirrorWorld();
    world.repo
      .write('.npmrc', 'package-lock=false\nmin-release-age=7\nignore-scripts=true\nallow-git=none\n')
      .write('.yarnrc.yml', 'nodeLinker: node-modules\n')
      .write('test/req.auth.js', `request(app)\n  .get('/')\n  .set('Authorization', 'Basic ${basic('tobi:ferret:ferret')}')\n  .expect(200, done)\n`)
      .commit('Settings and tests');
    const push = world.push('upstream', 'main');
    expect(push.stderr).toContain('✓ clean');
    expect(push.code).toBe(0);
  });

  it('an .npmrc carrying _authToken is refused, toward the private mirror too', () => {
    const world = mirrorWorld();
    const token = registryToken();
    world.repo.write('.npmrc', `registry=https://npm.acme.dev/\n//npm.acme.dev/:_authToken=${token}\n`).commit('Registry');
    const push = world.push('origin', 'main');
    expect(push.code).toBe(1);
    expect(push.stderr).toMatch(/secret +\.npmrc:2:\d+/);
    expect(push.stderr).toContain('confidence high');
    expect(push.stderr + push.stdout).not.toContain(token);
  });
});

describe('confidence', () => {
  it('a token failing its checksum warns without refusing; --min-confidence low refuses it', () => {
    const world = mirrorWorld({ hook: false });
    const token = githubToken(false);
    world.repo.write('ci/env.sh', `export GH_TOKEN=${token}\n`).commit('CI token');
    const push = world.repo.mirror(['guard', 'range', 'HEAD~1..HEAD', '--remote-class', 'public']);
    expect(push.code).toBe(0);
    expect(push.stdout).toMatch(/! low confidence ci\/env\.sh:1:\d+/);
    expect(push.stdout).toContain('confidence low');

    const strict = world.repo.mirror(['scan', 'ci', '--min-confidence', 'low', '--format', 'json']);
    expect(strict.code).toBe(1);
    const report = JSON.parse(strict.stdout) as { violations: { finding: { ruleId: string; confidence: string } }[] };
    expect(report.violations.map((v) => [v.finding.ruleId, v.finding.confidence])).toEqual([['github-pat', 'low']]);

    const sarif = JSON.parse(world.repo.mirror(['scan', 'ci', '--format', 'sarif']).stdout) as { runs: { results: { level: string; properties: { confidence: string } }[] }[] };
    expect(sarif.runs[0]!.results.map((r) => [r.level, r.properties.confidence])).toEqual([['warning', 'low']]);

    const annotations = world.repo.mirror(['scan', 'ci', '--format', 'github']);
    expect(annotations.code).toBe(0);
    expect(annotations.stdout).toMatch(/^::warning file=ci\/env\.sh,line=1,col=\d+,title=mirror%3A secret \(low confidence\)::/m);
    for (const out of [push.stdout, strict.stdout, annotations.stdout]) expect(out).not.toContain(token);
  });

  it('a valid token is high and refused; --min-confidence high still refuses it', () => {
    const world = mirrorWorld({ hook: false });
    world.repo.write('ci/env.sh', `export GH_TOKEN=${githubToken(true)}\n`).commit('CI token');
    const scan = world.repo.mirror(['scan', 'ci', '--min-confidence', 'high', '--format', 'json']);
    expect(scan.code).toBe(1);
    expect(JSON.parse(scan.stdout).violations[0].finding.confidence).toBe('high');
  });
});
