import { describe, expect, it } from 'vitest';
import { awsAccessKeyId } from '../helpers/tokens.js';
import { mirrorWorld, seed } from '../helpers/world.js';

/**
 * Pushes that publish something the ordinary walk over commits and their diffs
 * would not look at: each must be refused, never waved through.
 */
describe('pre-push hook: what a push publishes beyond ordinary commits', () => {
  it('refuses a tag naming a tree, and scans a ref naming a blob directly', () => {
    const world = mirrorWorld();
    world.repo.write('private/key.txt', 'kept private\n').commit('Private file');
    world.repo.git('tag', '-a', 'tree-tag', '-m', 'a tree', 'HEAD^{tree}');
    const tree = world.push('upstream', 'refs/tags/tree-tag');
    expect(tree.code).not.toBe(0);
    expect(tree.stderr).toMatch(/points at the tree [0-9a-f]{40}/);
    expect(world.repo.tryGit('ls-remote', world.upstream, 'refs/tags/tree-tag').stdout).toBe('');

    const key = awsAccessKeyId();
    world.repo.write('loose.txt', `id = ${key}\n`);
    const blob = world.repo.git('hash-object', '-w', 'loose.txt');
    world.repo.git('update-ref', 'refs/tags/blob-ref', blob);
    const direct = world.push('origin', 'refs/tags/blob-ref');
    expect(direct.code).not.toBe(0);
    expect(direct.stderr).toMatch(/AWS access key id/i);
    expect(direct.stderr).not.toContain(key);
  });

  it('exits 1 (refused content) for a tree ref, and checks identifiers in a blob a ref names', () => {
    const world = mirrorWorld({ env: { MIRROR_PRIVATE_IDENTIFIERS: 'customer=Globex' } });
    const tree = world.repo.git('rev-parse', 'HEAD^{tree}');
    const input = `refs/tags/t ${tree} refs/tags/t ${'0'.repeat(40)}\n`;
    const refused = world.repo.mirror(['guard', 'pre-push', 'upstream', world.upstream], { input });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/names the tree/);

    world.repo.write('notes.txt', 'Made for Globex.\n');
    const blob = world.repo.git('hash-object', '-w', 'notes.txt');
    const named = world.repo.mirror(['guard', 'pre-push', 'upstream', world.upstream], { input: `refs/tags/n ${blob} refs/tags/n ${'0'.repeat(40)}\n` });
    expect(named.code).toBe(1);
    expect(named.stdout + named.stderr).toMatch(/private identifier "customer"/);
    expect((named.stdout + named.stderr).toLowerCase()).not.toContain('globex');
  });

  it('inspects the objects a push sends, not their replacements (git replace)', () => {
    const world = mirrorWorld();
    const key = awsAccessKeyId();
    const parent = world.repo.head();
    const leaking = world.repo.write('src/config.js', `const id = "${key}";\n`).commit('Config');
    // a clean stand-in for the leaking commit: same parent, the parent's tree
    const clean = world.repo.git('commit-tree', `${parent}^{tree}`, '-p', parent, '-m', 'Config');
    world.repo.git('replace', leaking, clean);
    const push = world.push('origin', 'main');
    expect(push.code).not.toBe(0);
    expect(push.stderr).toMatch(/secret +src\/config\.js:1/);
    expect(world.repo.tryGit('ls-remote', world.mirror, 'refs/heads/main').stdout).toBe('');
  });

  it('sees submodules whatever diff.ignoreSubmodules says', () => {
    const world = mirrorWorld();
    world.repo.git('update-index', '--add', '--cacheinfo', `160000,${world.repo.head()},private/vendor`);
    world.repo.git('-c', 'core.hooksPath=/dev/null', 'commit', '-q', '-m', 'Submodule');
    world.repo.git('config', 'diff.ignoreSubmodules', 'all');
    const push = world.push('upstream', 'main');
    expect(push.code).not.toBe(0);
    expect(push.stderr).toMatch(/submodule in private zone/);
  });

  it('refuses private paths whose names hold a newline or a line separator', () => {
    for (const name of ['private/a\nb.txt', 'private/notes\u2028v2.md']) {
      const world = mirrorWorld();
      world.repo.write(name, 'customer notes\n').commit('Notes');
      const push = world.push('upstream', 'main');
      expect(push.code, name).not.toBe(0);
      expect(push.stderr).toMatch(/private path/);
    }
  });

  it('judges the same content at an allowlisted path and at an ordinary one separately', () => {
    const world = mirrorWorld();
    const key = awsAccessKeyId();
    const content = `export const id = "${key}";\n`;
    // lib/vendor/ (allowlisted by default) comes first in git's path order
    world.repo.write('lib/vendor/aws.js', content).write('src/aws.js', content).commit('Same file twice');
    const push = world.push('origin', 'main');
    expect(push.code).not.toBe(0);
    expect(push.stderr).toMatch(/secret +src\/aws\.js:1/);
    expect(push.stderr).not.toMatch(/secret +lib\/vendor/);
  });

  it('counts every line of a blob as added when its previous version was binary (never scanned)', () => {
    const world = mirrorWorld();
    const key = awsAccessKeyId();
    world.repo.write('data.txt', `\0binary header\nid = ${key}\n`).commit('Binary at first');
    world.repo.write('data.txt', `text header\nid = ${key}\n`).commit('Text now');
    const push = world.push('origin', 'main');
    expect(push.code).not.toBe(0);
    expect(push.stderr).toMatch(/secret +data\.txt:2/);
  });

  it('reports a private identifier on an added line even when an older line already names it', () => {
    const world = mirrorWorld({ env: { MIRROR_PRIVATE_IDENTIFIERS: 'customer=Globex' } });
    world.repo.write('docs/notes.md', 'Globex asked for this.\n').commit('Notes');
    seed(world, 'upstream', 'main');
    world.repo.write('docs/notes.md', 'Globex asked for this.\nline two\nGlobex again.\n').commit('More notes');
    const push = world.push('upstream', 'main');
    expect(push.code).not.toBe(0);
    expect(push.stderr).toMatch(/docs\/notes\.md:3/);
    expect(push.stderr).not.toMatch(/docs\/notes\.md:1\b/);
    expect(push.stderr.toLowerCase()).not.toContain('globex');
  });

  it('refuses a private identifier in an author email toward public, by label only', () => {
    const world = mirrorWorld({ env: { MIRROR_PRIVATE_IDENTIFIERS: 'customer=globex.example' } });
    world.repo.write('src/a.js', 'export const a = 1;\n');
    world.repo.git('add', '-A');
    world.repo.git('-c', 'core.hooksPath=/dev/null', 'commit', '-q', '-m', 'A', '--author', 'Dev <dev@globex.example>');
    const push = world.push('upstream', 'main');
    expect(push.code).not.toBe(0);
    expect(push.stderr).toMatch(/private identifier "customer"/);
    expect(push.stderr).toMatch(/author or committer of commit [0-9a-f]{10}/);
    expect(push.stderr).not.toContain('globex');
    expect(world.push('origin', 'main').code).toBe(0);
  });

  it('applies the repository policy it last saw when the work tree has none (a branch from upstream)', () => {
    const world = mirrorWorld({ policy: 'remotes:\n  private: [origin]\nzones:\n  add:\n    - name: customer-docs\n      include: ["docs/customer/**"]\n' });
    expect(world.push('origin', 'main').code).toBe(0);
    // a branch started from the public side: no .mirror/ in its tree
    world.repo.git('switch', '-q', '--orphan', 'fix');
    world.repo.write('docs/customer/acme.md', 'pricing\n').commit('Customer doc');
    const push = world.push('upstream', 'fix');
    expect(push.code).not.toBe(0);
    expect(push.stderr).toMatch(/private zone "customer-docs"/);
    expect(push.stderr).toMatch(/remembered-policy\.yml/);
    // `policy check` explains the policy the guard applies
    const check = world.repo.mirror(['policy', 'check']);
    expect(check.stdout).toMatch(/remembered-policy\.yml/);
    expect(check.stdout).toContain('customer-docs');
  });
});
