import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeForge, type FakeForge } from '../helpers/fake-forge.js';
import { checkoutSnapshot, syncWorld, upstreamCommits } from '../helpers/sync-world.js';
import { awsAccessKeyId, slackBotToken } from '../helpers/tokens.js';
import type { World } from '../helpers/world.js';

const plan = (world: World, ...args: string[]) => {
  const run = world.repo.mirror(['sync-up', '--dry-run', '--json', ...args]);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout).plan as { commits: { oid: string; subject: string; class: string; reasons: string[]; replay: boolean }[] };
};
const classes = (world: World, ...args: string[]) => Object.fromEntries(plan(world, ...args).commits.map((commit) => [commit.subject, commit.class]));
const upstreamLog = (world: World, ref = 'mirror/sync-up') => world.repo.git('log', '--format=%s', `refs/remotes/upstream/main..${ref}`).split('\n').filter(Boolean).reverse();

describe('mirror sync-up: classification', () => {
  it('classes every commit, with its reason, and --dry-run changes nothing', () => {
    const world = syncWorld();
    world.repo.write('src/a.js', 'a\n').commit('Public change');
    world.repo.write('private/acme.md', 'customer\n').commit('Customer notes');
    world.repo.write('src/b.js', 'b\n').write('config/app.local.json', '{}\n').commit('Feature with local settings');
    world.repo.write('src/c.js', `const key = "${awsAccessKeyId()}";\n`).commit('Storage wiring');
    world.repo.write('src/d.js', 'd\n').commit(`Notify\n\nuses ${slackBotToken()}`);
    world.repo.write('private/moved.md', 'secret plan\n').commit('Plan');
    world.repo.move('private/moved.md', 'docs/moved.md').commit('Publish plan');
    world.repo.commit('Nothing at all');
    const before = checkoutSnapshot(world);
    const refs = world.repo.git('for-each-ref');

    const result = plan(world);
    const bySubject = Object.fromEntries(result.commits.map((commit) => [commit.subject, commit]));
    expect(bySubject['Public change']).toMatchObject({ class: 'public', replay: true });
    expect(bySubject['Customer notes']).toMatchObject({ class: 'private', replay: false });
    expect(bySubject['Feature with local settings']).toMatchObject({ class: 'mixed', replay: true });
    expect(bySubject['Storage wiring']!.class).toBe('blocked');
    expect(bySubject['Storage wiring']!.reasons.join()).toMatch(/AKIA\*+.*src\/c\.js:1/);
    const withheld = bySubject['(subject withheld: it carries a secret)']!;
    expect(withheld.class).toBe('blocked');
    expect(withheld.reasons.join()).toMatch(/message of commit/);
    expect(bySubject['Publish plan']!.class).toBe('blocked');
    expect(bySubject['Publish plan']!.reasons.join()).toMatch(/renames private private\/moved\.md to public docs\/moved\.md/);
    expect(bySubject['Nothing at all']!.class).toBe('empty');
    expect(bySubject['Initial commit']?.class ?? 'private').toBe('private');

    expect(checkoutSnapshot(world)).toBe(before);
    expect(world.repo.git('for-each-ref')).toBe(refs);
    expect(existsSync(join(world.repo.dir, '.git', 'mirror', 'run-state.json'))).toBe(false);
  });

  it('never prints a secret or a private identifier from a commit message, in text or JSON', () => {
    const world = syncWorld({ env: { MIRROR_PRIVATE_IDENTIFIERS: 'customer=Globex' } });
    const token = slackBotToken();
    world.repo.write('src/a.js', 'a\n').commit(`Wire ${token} in`);
    world.repo.write('src/b.js', 'b\n').commit('Tune for Globex');
    for (const args of [['sync-up', '--dry-run'], ['sync-up', '--dry-run', '--json'], ['status', '--json']]) {
      const run = world.repo.mirror(args);
      expect(run.stdout + run.stderr).not.toContain(token);
      expect((run.stdout + run.stderr).toLowerCase()).not.toContain('globex');
    }
    expect(classes(world)).toMatchObject({ '(subject withheld: it carries a secret)': 'blocked', 'Tune for [customer]': 'blocked' });
  });

  it('blocks private content copied to a public path by a plain add (no rename or copy for git to report)', () => {
    const world = syncWorld();
    world.repo.write('private/pricing.md', 'Acme pays 12k\n').commit('Pricing');
    world.repo.write('src/tool.js', 'export const tool = 1;\n').commit('Add tool');
    world.repo.write('docs/pricing.md', 'Acme pays 12k\n').commit('Publish pricing');
    world.repo.write('private/tool-notes.js', 'export const tool = 1;\n').commit('Keep a copy of tool');
    const result = plan(world);
    const bySubject = Object.fromEntries(result.commits.map((commit) => [commit.subject, commit]));
    expect(bySubject['Publish pricing']).toMatchObject({ class: 'blocked', replay: false });
    expect(bySubject['Publish pricing']!.reasons.join()).toMatch(/public docs\/pricing\.md has exactly the content of private private\/pricing\.md.*remove the public copy/);
    // public content copied into a private zone afterwards is still public work
    expect(bySubject['Add tool']!.class).toBe('public');
    expect(bySubject['Keep a copy of tool']!.class).toBe('private');
  });

  it('--no-split holds mixed commits back', () => {
    const world = syncWorld();
    world.repo.write('src/b.js', 'b\n').write('private/b.md', 'private b\n').commit('Mixed');
    const commit = plan(world, '--no-split').commits.find((c) => c.subject === 'Mixed')!;
    expect(commit).toMatchObject({ class: 'mixed', replay: false });
    expect(commit.reasons[0]).toMatch(/held back \(--no-split\)/);
  });

  it('keeps a commit out when its message matches sync.holdMessages', () => {
    const world = syncWorld({ policy: 'remotes:\n  private: [origin]\nsync:\n  holdMessages: ["^\\\\[internal\\\\]"]\n' });
    world.repo.write('src/x.js', 'x\n').commit('[internal] tune for the customer');
    expect(classes(world)['[internal] tune for the customer']).toBe('private');
  });

  it('refuses private identifiers in public paths but not in private ones', () => {
    const world = syncWorld({ env: { MIRROR_PRIVATE_IDENTIFIERS: 'customer=Globex' } });
    world.repo.write('private/globex.md', 'Globex runbook\n').commit('Runbook');
    world.repo.write('README.md', 'Built for Globex\n').commit('Readme');
    const result = classes(world);
    expect(result.Runbook).toBe('private');
    expect(result.Readme).toBe('blocked');
  });
});

describe('mirror sync-up: building and pushing the branch', () => {
  it('replays public work with author, date and message, leaves the checkout alone, and pushes', () => {
    const world = syncWorld();
    world.repo.write('src/a.js', 'a\n').commit('Add a');
    world.repo.write('private/p.md', 'p\n').commit('Private p');
    world.repo.write('src/b.js', 'b\n').write('private/q.md', 'q\n').commit(`Add b\n\nDetails.\n\nCustomer-Ticket: ACME-42`);
    const privateId = world.repo.head('HEAD~1');
    world.repo.write('src/c.js', 'c\n').commit(`Add c\n\nFollows ${privateId.slice(0, 12)}.`);
    world.repo.write('scratch.txt', 'uncommitted work\n');
    world.repo.write('src/a.js', 'a, edited locally\n');
    world.repo.git('add', 'scratch.txt');
    const before = checkoutSnapshot(world);

    const run = world.repo.mirror(['sync-up', '--no-pr']);
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect(run.stdout).toContain('✓ pushed mirror/sync-up to upstream');
    expect(checkoutSnapshot(world)).toBe(before);

    const published = world.repo.git('ls-remote', world.upstream, 'refs/heads/mirror/sync-up').split('\t')[0]!;
    world.repo.git('fetch', '-q', 'upstream');
    expect(world.repo.head('refs/remotes/upstream/mirror/sync-up')).toBe(published);
    expect(upstreamLog(world, published)).toEqual(['Add a', 'Add b', 'Add c']);
    const changed = world.repo.git('diff', '--name-only', 'refs/remotes/upstream/main', published).split('\n');
    expect(changed.sort()).toEqual(['src/a.js', 'src/b.js', 'src/c.js']);
    const [original, replayed] = [world.repo.git('log', '-1', '--format=%an|%ae|%ad', 'main~1'), world.repo.git('log', '-1', '--format=%an|%ae|%ad', `${published}~1`)];
    expect(replayed).toBe(original);
    const message = world.repo.git('log', '-1', '--format=%B', `${published}~1`);
    expect(message).toContain('Details.');
    expect(message).not.toContain('Customer-Ticket');
    const last = world.repo.git('log', '-1', '--format=%B', published);
    expect(last).toContain('Follows a private commit.');
    expect(world.repo.git('log', '--format=%B', `refs/remotes/upstream/main..${published}`)).not.toContain(privateId.slice(0, 7));
    expect(world.repo.git('worktree', 'list')).not.toContain('sync-up-worktree');
  });

  it('replaces ids of commits upstream does not have in messages: merges of private branches, commits of unmerged branches', () => {
    const world = syncWorld();
    const git = (...args: string[]) => world.repo.git('-c', 'core.hooksPath=/dev/null', ...args);
    const upstreamId = world.repo.head('refs/remotes/upstream/main');
    git('checkout', '-q', '-b', 'customer-globex');
    const unmerged = world.repo.write('private/globex.md', 'g\n').commit('Globex only');
    git('checkout', '-q', '-b', 'customer-acme', 'main');
    world.repo.write('src/app.js', 'export const app = "acme";\n').commit('Acme tweak');
    git('checkout', '-q', 'main');
    git('merge', '-q', '--no-ff', '--no-edit', 'customer-acme');
    const merge = world.repo.head();
    git('revert', '--no-edit', '-m', '1', merge);
    world.repo.write('src/b.js', 'b\n').commit(`Port from ${unmerged.slice(0, 9)}\n\nBuilds on ${upstreamId.slice(0, 12)}.`);

    const run = world.repo.mirror(['sync-up', '--no-pr']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    world.repo.git('fetch', '-q', 'upstream');
    const messages = world.repo.git('log', '--format=%B', 'refs/remotes/upstream/main..refs/remotes/upstream/mirror/sync-up');
    expect(messages).toContain('This reverts commit a private commit');
    expect(messages).not.toContain(merge.slice(0, 7));
    expect(messages).not.toContain(unmerged.slice(0, 7));
    expect(messages).toContain('Port from a private commit');
    // an id upstream has stays
    expect(messages).toContain(`Builds on ${upstreamId.slice(0, 12)}.`);
  });

  it('splits a mixed commit whose private half conflicts (the private file never went up)', () => {
    // found by the property test: the second split commit modifies a private file the branch never had
    const world = syncWorld();
    world.repo.write('src/f.txt', 'one\n').write('private/p.md', 'private one\n').commit('Mixed one');
    world.repo.remove('src/f.txt').commit('Delete f');
    world.repo.write('src/f.txt', 'two\n').write('private/p.md', 'private two\n').commit('Mixed two');
    const run = world.repo.mirror(['sync-up', '--no-pr']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    world.repo.git('fetch', '-q', 'upstream');
    expect(upstreamLog(world, 'refs/remotes/upstream/mirror/sync-up')).toEqual(['Mixed one', 'Delete f', 'Mixed two']);
    expect(world.repo.git('show', 'refs/remotes/upstream/mirror/sync-up:src/f.txt')).toBe('two');
    expect(world.repo.tryGit('cat-file', '-e', 'refs/remotes/upstream/mirror/sync-up:private/p.md').code).not.toBe(0);
  });

  it('splits a mixed commit without rename detection: a private change never lands in a similar public file upstream added', () => {
    const world = syncWorld();
    const git = (...args: string[]) => world.repo.git('-c', 'core.hooksPath=/dev/null', ...args);
    const notes = Array.from({ length: 20 }, (_, i) => `note line ${i}`);
    const lines = Array.from({ length: 20 }, (_, i) => `line ${i}`);
    world.repo.write('private/notes.md', `${notes.join('\n')}\n`).commit('Private notes');
    upstreamCommits(world, [{ files: { 'src/f.txt': `${lines.join('\n')}\n` }, message: 'Add f' }], { fetch: true });
    git('merge', '-q', '--no-edit', 'refs/remotes/upstream/main');
    // upstream then edits the top of f and adds a file much like the private notes
    upstreamCommits(world, [{ files: { 'src/f.txt': `${['LINE 0', ...lines.slice(1)].join('\n')}\n`, 'docs/notes.md': `${['Public notes', ...notes.slice(1)].join('\n')}\n` }, message: 'Upstream work' }], { fetch: true });
    world.repo
      .write('src/f.txt', `${[...lines.slice(0, 19), 'LINE 19'].join('\n')}\n`)
      .write('private/notes.md', `${notes.map((line, i) => (i === 10 ? 'private: Acme pays 12k' : line)).join('\n')}\n`)
      .commit('Mixed change');
    const run = world.repo.mirror(['sync-up', '--no-pr']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    world.repo.git('fetch', '-q', 'upstream');
    expect(upstreamLog(world, 'refs/remotes/upstream/mirror/sync-up')).toEqual(['Mixed change']);
    expect(world.repo.git('show', 'refs/remotes/upstream/mirror/sync-up:src/f.txt').split('\n')[19]).toBe('LINE 19');
    expect(world.repo.git('show', 'refs/remotes/upstream/mirror/sync-up:docs/notes.md')).not.toContain('Acme');
    expect(world.repo.git('log', '-p', 'refs/remotes/upstream/main..refs/remotes/upstream/mirror/sync-up')).not.toContain('Acme');
  });

  it('writes what applies without merging by fast-import, and merges the rest in a worktree', () => {
    const world = syncWorld();
    const lines = Array.from({ length: 20 }, (_, i) => `line ${i}`);
    world.repo.write('src/f.txt', `${lines.join('\n')}\n`).commit('Add f');
    world.repo.git('push', '-q', '--no-verify', 'upstream', 'HEAD:main');
    world.repo.git('fetch', '-q', 'upstream');
    world.repo.write('src/new.js', 'n\n').commit('Fast one');
    // upstream changes the top of f; the mirror changes the bottom without merging upstream first
    upstreamCommits(world, [{ files: { 'src/f.txt': `${['LINE 0', ...lines.slice(1)].join('\n')}\n` }, message: 'Upstream edits f' }], { fetch: true });
    world.repo.write('src/f.txt', `${[...lines.slice(0, 19), 'LINE 19'].join('\n')}\n`).commit('Merge needed');
    const dry = JSON.parse(world.repo.mirror(['sync-up', '--dry-run', '--json']).stdout);
    expect(dry.plan.fastReplay.map((commit: { oid: string }) => commit.oid)).toEqual([world.repo.head('HEAD~1')]);
    const run = world.repo.mirror(['sync-up', '--no-pr']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    world.repo.git('fetch', '-q', 'upstream');
    expect(upstreamLog(world, 'refs/remotes/upstream/mirror/sync-up')).toEqual(['Fast one', 'Merge needed']);
    const merged = world.repo.git('show', 'refs/remotes/upstream/mirror/sync-up:src/f.txt').split('\n');
    expect([merged[0], merged[19]]).toEqual(['LINE 0', 'LINE 19']);
    expect(world.repo.tryGit('rev-parse', '--verify', '--quiet', 'refs/mirror/sync-up-replay').code).not.toBe(0);
  });

  it('is a successful no-op when run again with nothing new', () => {
    const world = syncWorld();
    world.repo.write('src/a.js', 'a\n').commit('Add a');
    expect(world.repo.mirror(['sync-up', '--no-pr']).code).toBe(0);
    const again = world.repo.mirror(['sync-up', '--no-pr']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('nothing new to propose');
  });

  it('recognises work merged upstream by squash, and by rebase', () => {
    const world = syncWorld();
    world.repo.write('src/a.js', 'a\n').commit('Add a');
    world.repo.write('src/a.js', 'a\na2\n').commit('Extend a');
    world.repo.write('src/b.js', 'b\n').commit('Add b');
    expect(world.repo.mirror(['sync-up', '--no-pr']).code).toBe(0);

    // upstream squash-merges the pull request: one new commit, new ids, new patch
    const maintainer = world.sandbox.repo('maintainer');
    maintainer.git('remote', 'add', 'origin', world.upstream);
    maintainer.git('fetch', '-q', 'origin');
    maintainer.git('checkout', '-q', '-b', 'main', 'origin/main');
    maintainer.git('merge', '-q', '--squash', 'origin/mirror/sync-up');
    maintainer.commit('Squashed: mirror work');
    maintainer.write('upstream.txt', 'their own work\n').commit('Upstream work');
    maintainer.git('push', '-q', 'origin', 'main');

    world.repo.write('src/c.js', 'c\n').commit('Add c');
    const result = plan(world);
    const bySubject = Object.fromEntries(result.commits.map((commit) => [commit.subject, commit]));
    expect(bySubject['Add a']!.class).toBe('upstream');
    expect(bySubject['Extend a']!.class).toBe('upstream');
    expect(bySubject['Add b']!.class).toBe('upstream');
    expect(bySubject['Add c']!.class).toBe('public');

    const rebased = syncWorld();
    rebased.repo.write('src/r.js', 'r\n').commit('Rebased change');
    const upstreamClone = rebased.sandbox.repo('maintainer');
    upstreamClone.git('remote', 'add', 'origin', rebased.upstream);
    upstreamClone.git('fetch', '-q', 'origin');
    upstreamClone.git('checkout', '-q', '-b', 'main', 'origin/main');
    upstreamClone.write('other.txt', 'o\n').commit('Other');
    upstreamClone.git('fetch', '-q', rebased.repo.dir, 'main');
    upstreamClone.git('cherry-pick', rebased.repo.head());
    upstreamClone.git('push', '-q', 'origin', 'main');
    expect(classes(rebased)['Rebased change']).toBe('upstream');
  });

  it('does not skip a commit that reverts an earlier mirror commit', () => {
    const world = syncWorld();
    world.repo.write('src/app.js', 'export const app = 2;\n').commit('Change app');
    world.repo.write('src/app.js', 'export const app = 1;\n').commit('Revert app');
    expect(classes(world)).toMatchObject({ 'Change app': 'public', 'Revert app': 'public' });
  });

  it('refuses (exit 2, nothing changed) a --branch that is main, a remote\'s default branch, or checked out in any worktree', () => {
    const world = syncWorld();
    world.repo.write('src/a.js', 'a\n').commit('Add a');
    world.repo.git('checkout', '-q', '-b', 'elsewhere');
    world.repo.git('branch', 'busy', 'main');
    world.repo.git('worktree', 'add', '-q', join(world.sandbox.root, 'other'), 'busy');
    world.repo.git('symbolic-ref', 'refs/remotes/upstream/HEAD', 'refs/remotes/upstream/trunk');
    const refs = world.repo.git('for-each-ref');
    const upstreamRefs = world.repo.git('ls-remote', world.upstream);
    for (const [branch, why] of [
      ['main', /not build "main": it is the mirror's main/],
      ['trunk', /not build "trunk": it is the default branch of upstream/],
      ['master', /not build "master": it is the usual name of a default branch/],
      ['busy', /not build "busy": it is checked out in .*other/],
      ['elsewhere', /not build "elsewhere": it is checked out in /],
      ['bad..name', /not a valid branch name/],
    ] as const) {
      const run = world.repo.mirror(['sync-up', '--no-pr', '--branch', branch]);
      expect(run.code, run.stdout + run.stderr).toBe(2);
      expect(run.stderr + run.stdout).toMatch(why);
    }
    expect(world.repo.git('for-each-ref')).toBe(refs);
    expect(world.repo.git('ls-remote', world.upstream)).toBe(upstreamRefs);
    expect(existsSync(join(world.repo.dir, '.git', 'mirror', 'run-state.json'))).toBe(false);
  });

  it('refuses before pushing when the built branch fails the guard', () => {
    const world = syncWorld();
    world.repo.link('docs/contract', '../private/contract.md').commit('Link the contract');
    const run = world.repo.mirror(['sync-up', '--no-pr']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('nothing was pushed');
    expect(run.stdout).toMatch(/symlink pointing into private zone/);
    expect(world.repo.git('ls-remote', world.upstream, 'refs/heads/mirror/sync-up')).toBe('');
    expect(world.repo.tryGit('rev-parse', '--verify', '--quiet', 'refs/heads/mirror/sync-up').code).not.toBe(0);
    expect(existsSync(join(world.repo.dir, '.git', 'mirror', 'run-state.json'))).toBe(false);
  });
});

describe('mirror sync-up: pauses, continue, skip, abort', () => {
  /** B depends on A, which is blocked (it carries a secret), so B no longer applies upstream. */
  function dependentWorld() {
    const world = syncWorld();
    world.repo.write('src/settings.js', `export const key = "${awsAccessKeyId()}";\n`).commit('Add settings');
    world.repo.write('src/settings.js', `export const key = process.env.KEY;\nexport const region = "eu";\n`).commit('Tidy settings');
    world.repo.write('src/other.js', 'o\n').commit('Other work');
    return world;
  }

  it('pauses with exit 3 on a commit that depended on held-back work, then skip goes on', () => {
    const world = dependentWorld();
    const before = checkoutSnapshot(world);
    const run = world.repo.mirror(['sync-up', '--no-pr']);
    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(/paused: [0-9a-f]{10} "Tidy settings" no longer applies/);
    expect(run.stdout).toMatch(/worktree: .*sync-up-worktree/);
    expect(world.repo.mirror(['status']).stdout).toMatch(/sync-up, step \d+ of \d+ \(pick\) paused/);

    const skipped = world.repo.mirror(['skip']);
    expect(skipped.code, skipped.stdout + skipped.stderr).toBe(0);
    world.repo.git('fetch', '-q', 'upstream');
    expect(upstreamLog(world, 'refs/remotes/upstream/mirror/sync-up')).toEqual(['Other work']);
    expect(checkoutSnapshot(world)).toBe(before);
  });

  it('continue after resolving in the worktree it points to', () => {
    const world = dependentWorld();
    const run = world.repo.mirror(['sync-up', '--no-pr']);
    const worktree = /worktree: (.*)/.exec(run.stdout)![1]!;
    writeFileSync(join(worktree, 'src/settings.js'), 'export const key = process.env.KEY;\nexport const region = "eu";\n');
    world.sandbox.git(worktree, ['add', 'src/settings.js']);
    const resumed = world.repo.mirror(['continue']);
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0);
    world.repo.git('fetch', '-q', 'upstream');
    expect(upstreamLog(world, 'refs/remotes/upstream/mirror/sync-up')).toEqual(['Tidy settings', 'Other work']);
  });

  it('a commit left out with mirror skip is not recorded as published, even with the same author second as one that is', () => {
    const world = syncWorld();
    world.repo.write('src/settings.js', `export const key = "${awsAccessKeyId()}";\n`).commit('Add settings');
    // two commits by the same author in the same second: the first will not apply and is skipped
    const sameSecond = (message: string) => {
      world.repo.git('add', '-A');
      world.sandbox.git(world.repo.dir, ['-c', 'core.hooksPath=/dev/null', 'commit', '-q', '-m', message], { env: { GIT_AUTHOR_DATE: '2026-02-01T10:00:00Z' } });
      return world.repo.head();
    };
    world.repo.write('src/settings.js', 'export const key = process.env.KEY;\n');
    const skipped = sameSecond('Tidy settings');
    world.repo.write('src/other.js', 'o\n');
    const kept = sameSecond('Other work');
    expect(world.repo.mirror(['sync-up', '--no-pr']).code).toBe(3);
    const done = world.repo.mirror(['skip']);
    expect(done.code, done.stdout + done.stderr).toBe(0);
    const notes = world.repo.git('notes', '--ref=refs/notes/mirror-sync', 'list').split('\n').map((line) => line.split(' ')[1]);
    expect(notes).toEqual([kept]);
    expect(notes).not.toContain(skipped);
    expect(world.repo.git('notes', '--ref=refs/notes/mirror-sync', 'show', kept)).toContain(`published ${world.repo.head('refs/heads/mirror/sync-up')}`);
  });

  it('abort leaves everything exactly as before', () => {
    const world = dependentWorld();
    world.repo.git('branch', 'mirror/sync-up', 'HEAD~2');
    const before = checkoutSnapshot(world);
    const refs = world.repo.git('for-each-ref');
    expect(world.repo.mirror(['sync-up', '--no-pr']).code).toBe(3);
    const aborted = world.repo.mirror(['abort']);
    expect(aborted.code).toBe(0);
    expect(checkoutSnapshot(world)).toBe(before);
    expect(world.repo.git('for-each-ref')).toBe(refs);
    expect(world.repo.git('worktree', 'list').split('\n')).toHaveLength(1);
    expect(world.repo.mirror(['continue']).code).toBe(2);
  });

  it('abort restores the branch after a crash inside set-branch, even after continue crashed again', () => {
    for (const existing of [true, false]) {
      const world = syncWorld();
      for (const name of ['a', 'b', 'c']) world.repo.write(`src/${name}.js`, `${name}\n`).commit(`Add ${name}`);
      if (existing) world.repo.git('branch', 'mirror/sync-up', 'HEAD~2');
      const original = world.repo.tryGit('rev-parse', '--verify', '--quiet', 'refs/heads/mirror/sync-up').stdout.trim();
      const refs = world.repo.git('for-each-ref');
      const stateFile = join(world.repo.dir, '.git', 'mirror', 'run-state.json');
      const state = () => JSON.parse(readFileSync(stateFile, 'utf8')) as { cursor: number; steps: { op: string }[] };
      const setBranch = 2;
      const killed = world.repo.mirror(['sync-up', '--no-pr'], { env: { MIRROR_FAULT_AFTER_STEP: String(setBranch) } });
      expect(killed.code).not.toBe(0);
      expect(state().steps[state().cursor]!.op).toBe('set-branch');
      // the ref was moved before the crash
      expect(world.repo.git('rev-parse', 'refs/heads/mirror/sync-up')).not.toBe(original);
      if (existing) {
        // continue redoes set-branch, then crashes after the push: still nothing to take for the branch's old value
        const again = world.repo.mirror(['continue'], { env: { MIRROR_FAULT_AFTER_STEP: String(setBranch + 1) } });
        expect(again.code).not.toBe(0);
        expect(state().steps[state().cursor]!.op).toBe('push');
      }
      const aborted = world.repo.mirror(['abort']);
      expect(aborted.code, aborted.stdout + aborted.stderr).toBe(0);
      expect(world.repo.tryGit('rev-parse', '--verify', '--quiet', 'refs/heads/mirror/sync-up').stdout.trim()).toBe(original);
      if (!existing) expect(world.repo.git('for-each-ref')).toBe(refs);
    }
  });

  it('recovers a run killed mid-way, with continue or with abort', () => {
    for (const finish of ['continue', 'abort'] as const) {
      const world = syncWorld();
      for (const name of ['a', 'b', 'c']) world.repo.write(`src/${name}.js`, `${name}\n`).commit(`Add ${name}`);
      world.repo.write('src/d.js', 'd\n').write('private/d.md', 'private d\n').commit('Add d');
      const before = checkoutSnapshot(world);
      const refs = world.repo.git('for-each-ref');
      const killed = world.repo.mirror(['sync-up', '--no-pr'], { env: { MIRROR_FAULT_AFTER_STEP: '1' } });
      expect(killed.code).not.toBe(0);
      expect(world.repo.mirror(['status']).stdout).toMatch(/was interrupted/);
      const after = world.repo.mirror([finish]);
      expect(after.code, after.stdout + after.stderr).toBe(0);
      expect(checkoutSnapshot(world)).toBe(before);
      if (finish === 'continue') {
        world.repo.git('fetch', '-q', 'upstream');
        expect(upstreamLog(world, 'refs/remotes/upstream/mirror/sync-up')).toEqual(['Add a', 'Add b', 'Add c', 'Add d']);
      } else {
        expect(world.repo.git('for-each-ref')).toBe(refs);
      }
    }
  });
});

describe('mirror sync-up: the pull request', () => {
  let forge: FakeForge | undefined;
  afterEach(async () => {
    await forge?.close();
    forge = undefined;
  });

  it('opens one pull request listing public titles only, and updates it on the next run', async () => {
    forge = await startFakeForge('github', { token: 'fake-token-for-tests' });
    forge.addRepo({ owner: 'acme', name: 'widget', private: false, branches: ['main', 'mirror/sync-up'] });
    const world = syncWorld({ forge });
    world.repo.write('src/a.js', 'a\n').commit('Add a');
    world.repo.write('private/secret-plan.md', 'p\n').commit('Customer roadmap for ACME');
    const first = await world.repo.mirrorAsync(['sync-up']);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(first.stdout).toMatch(/pull request: http:\/\/127\.0\.0\.1:\d+\/acme\/widget\/pull\/1/);
    const pulls = forge.pulls('acme/widget');
    expect(pulls).toHaveLength(1);
    expect(pulls[0]).toMatchObject({ title: 'Add a', base: 'main' });
    expect(pulls[0]!.body).toContain('- Add a');
    expect(pulls[0]!.body).toContain('1 other commit was held back');
    expect(pulls[0]!.body).not.toContain('roadmap');
    expect(pulls[0]!.body).not.toMatch(/[0-9a-f]{7,}/);

    world.repo.write('src/b.js', 'b\n').commit('Add b');
    const second = await world.repo.mirrorAsync(['sync-up']);
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(forge.pulls('acme/widget')).toHaveLength(1);
    expect(forge.pulls('acme/widget')[0]!.title).toBe('Sync from mirror: 2 commits');
    expect(forge.requests.every((request) => request.auth === 'valid')).toBe(true);
    expect(first.stdout + first.stderr + second.stdout + second.stderr).not.toContain('fake-token-for-tests');
  });

  it('does not list a commit left out with mirror skip: it counts as held back', async () => {
    forge = await startFakeForge('github', { token: 'fake-token-for-tests' });
    forge.addRepo({ owner: 'acme', name: 'widget', private: false, branches: ['main', 'mirror/sync-up'] });
    const world = syncWorld({ forge });
    world.repo.write('src/settings.js', `export const key = "${awsAccessKeyId()}";\n`).commit('Add settings');
    world.repo.write('src/settings.js', 'export const key = process.env.KEY;\n').commit('Tidy settings');
    world.repo.write('src/other.js', 'o\n').commit('Other work');
    const paused = await world.repo.mirrorAsync(['sync-up']);
    expect(paused.code, paused.stdout + paused.stderr).toBe(3);
    const done = await world.repo.mirrorAsync(['skip']);
    expect(done.code, done.stdout + done.stderr).toBe(0);
    const pull = forge.pulls('acme/widget')[0]!;
    expect(pull.title).toBe('Other work');
    expect(pull.body).toContain('carries 1 commit');
    expect(pull.body).toContain('- Other work');
    expect(pull.body).not.toContain('Tidy settings');
    expect(pull.body).toContain('2 other commits were held back');
  });

  it('pushes to a public fork and opens the pull request from owner:branch', async () => {
    forge = await startFakeForge('github', { token: 'fake-token-for-tests' });
    forge.addRepo({ owner: 'acme', name: 'widget', private: false, branches: ['main'] });
    forge.addRepo({ owner: 'me', name: 'widget', private: false, branches: ['main', 'fix-a'] });
    const world = syncWorld({ forge });
    const fork = world.sandbox.bare('fork');
    const forkUrl = forge.remoteUrl('me/widget');
    world.repo.git('remote', 'add', 'fork', forkUrl);
    world.repo.git('config', `url.${fork}.insteadOf`, forkUrl);
    world.repo.write('src/a.js', 'a\n').commit('Add a');
    const run = await world.repo.mirrorAsync(['sync-up', '--push-remote', 'fork', '--branch', 'fix-a']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(world.repo.git('ls-remote', fork, 'refs/heads/fix-a')).not.toBe('');
    expect(world.repo.git('ls-remote', world.upstream, 'refs/heads/fix-a')).toBe('');
    expect(forge.pulls('acme/widget')[0]).toMatchObject({ head: 'fix-a' });
  });
});
