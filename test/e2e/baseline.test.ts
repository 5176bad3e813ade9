/** Baselines through the built CLI on real repositories: create, apply (scan and hook), prune, import. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { awsAccessKeyId, githubToken, slackBotToken } from '../helpers/tokens.js';
import { mirrorWorld } from '../helpers/world.js';

describe('mirror baseline', () => {
  it('create accepts what is there, scans and the hook report only new findings, prune drops what is gone', () => {
    const world = mirrorWorld();
    const old = awsAccessKeyId();
    const kept = githubToken();
    world.repo.write('legacy/config.js', `const id = "${old}";\n`).write('legacy/ci.sh', `export GH_TOKEN=${kept}\n`).commit('Legacy');
    expect(world.repo.mirror(['scan']).code).toBe(1);

    const created = world.repo.mirror(['baseline', 'create', '--json']);
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ entries: 2, added: 2 });
    const file = join(world.repo.dir, '.mirror', 'baseline.json');
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(old);
    expect(text).not.toContain(kept);
    expect(JSON.parse(text).entries.map((e: { path: string; rule: string }) => e.path)).toEqual(['legacy/ci.sh', 'legacy/config.js']);

    const scan = world.repo.mirror(['scan']);
    expect(scan.code).toBe(0);
    expect(scan.stdout).toContain('2 by the baseline (.mirror/baseline.json)');

    world.repo.write('.mirror/baseline.json', text).commit('Baseline');
    const accepted = world.push('origin', 'main');
    expect(accepted.code).toBe(0);
    expect(accepted.stderr).toContain('by the baseline');

    world.repo.write('src/new.js', `const t = "${slackBotToken()}";\n`).commit('New secret');
    const refused = world.push('origin', 'main');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('src/new.js');
    expect(refused.stderr).not.toContain('legacy/config.js');
    world.repo.git('reset', '-q', '--hard', 'HEAD~1');

    world.repo.remove('legacy/config.js');
    const pruned = world.repo.mirror(['baseline', 'prune', '--json']);
    expect(JSON.parse(pruned.stdout)).toMatchObject({ entries: 1, dropped: 1 });
    expect(JSON.parse(readFileSync(file, 'utf8')).entries.map((e: { path: string }) => e.path)).toEqual(['legacy/ci.sh']);
  });

  it('create --history accepts findings of the whole history', () => {
    const world = mirrorWorld({ hook: false });
    world.repo.write('a.js', `const id = "${awsAccessKeyId()}";\n`).commit('Add');
    world.repo.write('a.js', 'const id = process.env.ID;\n').commit('Remove');
    expect(world.repo.mirror(['scan', '--history']).code).toBe(1);
    expect(JSON.parse(world.repo.mirror(['baseline', 'create', '--history', '--json']).stdout)).toMatchObject({ entries: 1 });
    const again = world.repo.mirror(['scan', '--history']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('1 by the baseline');
  });

  it('imports a gitleaks report and a .gitleaksignore by place', () => {
    const world = mirrorWorld({ hook: false });
    world.repo.write('src/a.js', `\nconst id = "${awsAccessKeyId()}";\n`).write('src/b.js', `const t = "${slackBotToken()}";\n`).commit('Secrets');
    const commit = world.repo.head();
    writeFileSync(join(world.repo.dir, 'gitleaks.json'), JSON.stringify([{ RuleID: 'aws-access-token', File: 'src/a.js', StartLine: 2, Commit: commit, Secret: 'not read' }, { RuleID: 'x', File: 'gone.js', StartLine: 1 }]));
    const imported = world.repo.mirror(['baseline', 'import', '--gitleaks-report', 'gitleaks.json', '--json']);
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ entries: 1, added: 1, unmatched: 1 });
    expect(readFileSync(join(world.repo.dir, '.mirror', 'baseline.json'), 'utf8')).toContain('"source": "gitleaks"');
    const scan = world.repo.mirror(['scan', 'src', '--format', 'json']);
    expect(JSON.parse(scan.stdout).violations.map((v: { location: { path: string } }) => v.location.path)).toEqual(['src/b.js']);

    writeFileSync(join(world.repo.dir, '.gitleaksignore'), 'src/b.js:slack-bot-token:1\n');
    expect(JSON.parse(world.repo.mirror(['baseline', 'import', '--gitleaks-ignore', '.gitleaksignore', '--json']).stdout)).toMatchObject({ entries: 2 });
    expect(world.repo.mirror(['scan', 'src']).code).toBe(0);
  });

  it('a damaged baseline is a configuration error, not silently ignored', () => {
    const world = mirrorWorld({ hook: false });
    world.repo.write('.mirror/baseline.json', '{ nope');
    const scan = world.repo.mirror(['scan']);
    expect(scan.code).toBe(2);
    expect(scan.stderr).toContain('baseline.json');
    expect(existsSync(join(world.repo.dir, '.mirror', 'baseline.json'))).toBe(true);
  });
});
