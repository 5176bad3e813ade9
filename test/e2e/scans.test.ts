import { readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { awsAccessKeyId, pemPrivateKey, slackBotToken } from '../helpers/tokens.js';
import { mirrorWorld } from '../helpers/world.js';

describe('mirror guard staged (pre-commit)', () => {
  it('checks the index, not the work tree', () => {
    const world = mirrorWorld();
    const key = awsAccessKeyId();
    world.repo.write('config.js', `id = "${key}"\n`);
    world.repo.git('add', 'config.js');
    world.repo.write('config.js', 'id = process.env.ID\n');
    const staged = world.repo.mirror(['guard', 'staged']);
    expect(staged.code).toBe(1);
    expect(staged.stdout).toContain('config.js:1');
    expect(staged.stdout).not.toContain(key);

    world.repo.git('add', 'config.js');
    world.repo.write('config.js', `id = "${key}"\n`);
    expect(world.repo.mirror(['guard', 'staged']).code).toBe(0);
  });

  it('is secrets-only in a mirror, and adds private paths with --remote-class public', () => {
    const world = mirrorWorld();
    world.repo.write('private/notes.md', 'customer\n');
    world.repo.git('add', '-A');
    expect(world.repo.mirror(['guard', 'staged']).code).toBe(0);
    const strict = world.repo.mirror(['guard', 'staged', '--remote-class', 'public']);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain('private/notes.md');
  });

  it('works before the first commit', () => {
    const world = mirrorWorld();
    const repo = world.sandbox.repo('fresh');
    repo.write('a.txt', `token ${slackBotToken()}\n`);
    repo.git('add', '-A');
    expect(repo.mirror(['guard', 'staged']).code).toBe(1);
  });
});

describe('mirror guard range', () => {
  it('checks every commit of base..head, including merges, for the given class', () => {
    const world = mirrorWorld();
    const base = world.repo.head();
    world.repo.write('private/a.md', 'a\n').commit('Private');
    const clean = world.repo.mirror(['guard', 'range', `${base}..HEAD`, '--remote-class', 'private']);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toMatch(/1 commit/);
    const refused = world.repo.mirror(['guard', 'range', `${base}..HEAD`, '--remote-class', 'public']);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('private/a.md');
  });

  it('defaults to the class the policy gives origin', () => {
    const world = mirrorWorld({ policy: 'remotes:\n  public: [origin]\n' });
    const base = world.repo.head();
    world.repo.write('app.local.json', '{}\n').commit('Local settings');
    const run = world.repo.mirror(['guard', 'range', `${base}..HEAD`]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/origin matches public entry/);
  });

  it('fails (exit 2), never passes, when the range cannot be resolved', () => {
    const world = mirrorWorld();
    const run = world.repo.mirror(['guard', 'range', `${'f'.repeat(40)}..HEAD`, '--remote-class', 'public']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/cannot resolve/);
  });
});

describe('output formats', () => {
  function leakyWorld() {
    const world = mirrorWorld();
    const base = world.repo.head();
    const key = awsAccessKeyId();
    world.repo.write('src/deep dir/config.ts', `// settings\nexport const id = "${key}";\n`).write('private/x.md', 'x\n').commit('Leak');
    return { world, base, key };
  }

  it('json: stable shape, masked values, exit code inside', () => {
    const { world, base, key } = leakyWorld();
    const run = world.repo.mirror(['guard', 'range', `${base}..HEAD`, '--remote-class', 'public', '--format', 'json']);
    expect(run.code).toBe(1);
    expect(run.stdout).not.toContain(key);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ version: 1, refused: true, exitCode: 1, target: { remoteClass: 'public' } });
    expect(report.stats.commits).toBe(1);
    const secret = report.violations.find((v: { type: string }) => v.type === 'secret');
    expect(secret.location).toMatchObject({ kind: 'blob', path: 'src/deep dir/config.ts' });
    expect(secret.finding).toMatchObject({ line: 2 });
    expect(secret.finding.masked).toMatch(/^\S{0,4}\*+$/);
    expect(report.violations.some((v: { type: string }) => v.type === 'private-path')).toBe(true);
  });

  it('sarif: 2.1.0, paths relative to the root, lines, fingerprints, written with --output', () => {
    const { world, base, key } = leakyWorld();
    const out = join(world.sandbox.root, 'report.sarif');
    const run = world.repo.mirror(['guard', 'range', `${base}..HEAD`, '--remote-class', 'public', '--format', 'sarif', '--output', out]);
    expect(run.code).toBe(1);
    const text = readFileSync(out, 'utf8');
    expect(text).not.toContain(key);
    const sarif = JSON.parse(text);
    expect(sarif.version).toBe('2.1.0');
    const results = sarif.runs[0].results;
    const secret = results.find((r: { ruleId: string }) => !r.ruleId.startsWith('private-path'));
    expect(secret.locations[0].physicalLocation).toMatchObject({
      artifactLocation: { uri: 'src/deep%20dir/config.ts', uriBaseId: '%SRCROOT%' },
      region: { startLine: 2 },
    });
    expect(secret.partialFingerprints['mirror/v2']).toMatch(/^[0-9a-f]{32}$/);
    const rules = sarif.runs[0].tool.driver.rules.map((rule: { id: string }) => rule.id);
    expect(rules).toContain(secret.ruleId);
    expect(rules).toContain('private-path/private-dir');
  });

  it('github: one ::error annotation per violation, escaped, masked', () => {
    const { world, base, key } = leakyWorld();
    const run = world.repo.mirror(['guard', 'range', `${base}..HEAD`, '--remote-class', 'public', '--format', 'github']);
    expect(run.code).toBe(1);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines.find((line) => line.includes('config.ts'))).toMatch(/^::error file=src\/deep dir\/config\.ts,line=2,col=\d+,title=mirror%3A secret::/);
    expect(run.stdout).not.toContain(key);
  });
});

describe('mirror scan', () => {
  it('scans files on disk, secrets only, with paths relative to the repository', () => {
    const world = mirrorWorld();
    world.repo.write('keys/deploy.pem', `${pemPrivateKey()}\n`).write('private/ok.md', 'nothing secret\n');
    const run = world.repo.mirror(['scan', 'keys', 'private', '--format', 'json']);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.stats.files).toBe(2);
    expect(report.violations).toHaveLength(1);
    expect(report.violations[0].location).toEqual({ kind: 'file', path: 'keys/deploy.pem' });
    expect(report.violations[0].finding.endLine).toBeGreaterThan(report.violations[0].finding.line);
  });

  it('sarif: the root is an absolute file URL; a file outside the repository is an absolute file URL of its own', () => {
    const world = mirrorWorld();
    world.repo.write('keys/deploy.pem', `${pemPrivateKey()}\n`);
    const outside = join(world.sandbox.root, 'outside.pem');
    writeFileSync(outside, `${pemPrivateKey()}\n`);
    const run = world.repo.mirror(['scan', 'keys', outside, '--format', 'sarif']);
    expect(run.code).toBe(1);
    const [sarifRun] = JSON.parse(run.stdout).runs;
    const root = sarifRun.originalUriBaseIds['%SRCROOT%'].uri;
    expect(root).toBe(`${pathToFileURL(realpathSync(world.repo.dir)).href}/`);
    const artifacts = sarifRun.results.map((result: { locations: { physicalLocation: { artifactLocation: object } }[] }) => result.locations[0]!.physicalLocation.artifactLocation);
    expect(artifacts).toEqual([{ uri: 'keys/deploy.pem', uriBaseId: '%SRCROOT%' }, { uri: pathToFileURL(outside).href }]);
  });

  it('scans a whole history: every ref, each blob once, messages included', () => {
    const world = mirrorWorld();
    const key = awsAccessKeyId();
    world.repo.git('switch', '-q', '-c', 'old-branch');
    world.repo.write('old.cfg', `key=${key}\n`).commit('Old secret');
    world.repo.remove('old.cfg');
    world.repo.commit('Remove it');
    world.repo.git('switch', '-q', 'main');
    world.repo.write('notes.txt', 'fine\n').commit(`Deploy with ${slackBotToken()}`);
    const run = world.repo.mirror(['scan', '--history', '--format', 'json']);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.target.description).toBe('history of all refs');
    expect(report.violations.map((v: { location: { kind: string } }) => v.location.kind).sort()).toEqual(['blob', 'commit-message']);
    expect(report.stats.commits).toBe(4);
    expect(run.stdout).not.toContain(key);
  });

  it('scans a range of history', () => {
    const world = mirrorWorld();
    world.repo.write('a.cfg', `key=${awsAccessKeyId()}\n`).commit('Secret');
    const after = world.repo.head();
    world.repo.write('b.txt', 'b\n').commit('Clean');
    expect(world.repo.mirror(['scan', '--history', `${after}..HEAD`]).code).toBe(0);
    expect(world.repo.mirror(['scan', '--history', 'HEAD']).code).toBe(1);
  });
});
