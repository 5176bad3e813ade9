import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeForge, type FakeForge } from '../helpers/fake-forge.js';
import { checkoutSnapshot, syncWorld, upstreamCommits } from '../helpers/sync-world.js';

describe('mirror sync-down', () => {
  it('is a success when already up to date', () => {
    const world = syncWorld();
    const run = world.repo.mirror(['sync-down']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('already up to date');
  });

  it('merges upstream/main into main, reports how far behind it was, and pushes to the mirror', () => {
    const world = syncWorld();
    world.repo.write('private/c.md', 'customer\n').commit('Customer work');
    upstreamCommits(world, [{ files: { 'src/u1.js': '1\n' } }, { files: { 'src/u2.js': '2\n' } }]);
    const run = world.repo.mirror(['sync-down', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({ status: 'done', behind: 2, ahead: 1, pushedTo: 'origin/main' });
    expect(world.repo.git('log', '-1', '--format=%s')).toBe('Merge upstream/main into main (mirror sync-down)');
    expect(world.repo.git('rev-parse', 'HEAD^2')).toBe(world.repo.git('rev-parse', 'upstream/main'));
    expect(world.repo.git('ls-remote', world.mirror, 'refs/heads/main').split('\t')[0]).toBe(world.repo.head());
    expect(world.repo.mirror(['sync-down']).stdout).toContain('already up to date');
  });

  it('rebases with --rebase and does not push with --no-push', () => {
    const world = syncWorld();
    world.repo.write('src/mine.js', 'm\n').commit('Mirror work');
    const pushed = world.repo.git('ls-remote', world.mirror, 'refs/heads/main');
    upstreamCommits(world, [{ files: { 'src/u1.js': '1\n' } }]);
    const run = world.repo.mirror(['sync-down', '--rebase', '--no-push']);
    expect(run.code, run.stderr).toBe(0);
    expect(world.repo.git('log', '--format=%s', '-3').split('\n')).toEqual(['Mirror work', 'Upstream change 1', 'Public app']);
    expect(world.repo.git('ls-remote', world.mirror, 'refs/heads/main')).toBe(pushed);
  });

  it('refuses a dirty tree or an operation in progress (exit 2) and changes nothing', () => {
    const world = syncWorld();
    upstreamCommits(world, [{ files: { 'src/u1.js': '1\n' } }]);
    world.repo.write('src/app.js', 'edited\n');
    const before = checkoutSnapshot(world);
    const dirty = world.repo.mirror(['sync-down']);
    expect(dirty.code).toBe(2);
    expect(dirty.stderr).toMatch(/uncommitted changes/);
    expect(checkoutSnapshot(world)).toBe(before);

    world.repo.git('checkout', '--', 'src/app.js');
    writeFileSync(join(world.repo.dir, '.git', 'MERGE_HEAD'), `${world.repo.head()}\n`);
    const busy = world.repo.mirror(['sync-down']);
    expect(busy.code).toBe(2);
    expect(busy.stderr).toMatch(/a merge is in progress/);
  });

  it('warns when upstream writes into a private zone', () => {
    const world = syncWorld();
    upstreamCommits(world, [{ files: { 'private/oops.md': 'upstream should not do this\n' } }]);
    const run = world.repo.mirror(['sync-down', '--no-push']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/! upstream changes private\/oops\.md, inside private zone "private-dir"/);
  });

  describe('on conflict', () => {
    function conflicted() {
      const world = syncWorld();
      world.repo.write('src/app.js', 'export const app = "mirror";\n').commit('Mirror tweak');
      upstreamCommits(world, [{ files: { 'src/app.js': 'export const app = "upstream";\n' } }]);
      const before = checkoutSnapshot(world);
      const run = world.repo.mirror(['sync-down']);
      return { world, before, run };
    }

    it('pauses with exit 3 and continues after resolution', () => {
      const { world, run } = conflicted();
      expect(run.code).toBe(3);
      expect(run.stdout).toMatch(/paused: merging upstream stopped on conflicts in: src\/app\.js/);
      expect(world.repo.mirror(['status']).stdout).toMatch(/sync-down, step 1 of 2 \(merge\) paused/);
      world.repo.write('src/app.js', 'export const app = "both";\n');
      world.repo.git('add', 'src/app.js');
      const resumed = world.repo.mirror(['continue']);
      expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0);
      expect(world.repo.git('rev-parse', 'HEAD^2')).toBe(world.repo.git('rev-parse', 'upstream/main'));
      expect(world.repo.git('ls-remote', world.mirror, 'refs/heads/main').split('\t')[0]).toBe(world.repo.head());
      expect(existsSync(join(world.repo.dir, '.git', 'mirror', 'run-state.json'))).toBe(false);
    });

    it('abort restores HEAD, index and files exactly', () => {
      const { world, before, run } = conflicted();
      expect(run.code).toBe(3);
      const aborted = world.repo.mirror(['abort']);
      expect(aborted.code, aborted.stderr).toBe(0);
      expect(checkoutSnapshot(world)).toBe(before);
      expect(existsSync(join(world.repo.dir, '.git', 'MERGE_HEAD'))).toBe(false);
    });

    it('refuses to start another run while one is paused', () => {
      const { world } = conflicted();
      const again = world.repo.mirror(['sync-up', '--no-pr']);
      expect(again.code).toBe(2);
      expect(again.stderr).toMatch(/a sync-down run is not finished/);
    });
  });

  describe('--ci', () => {
    let forge: FakeForge | undefined;
    afterEach(async () => {
      await forge?.close();
      forge = undefined;
    });

    it('on a protected main, pushes a mirror/sync-down-* branch and opens a pull request in the mirror', async () => {
      forge = await startFakeForge('github', { token: 'fake-token-for-tests' });
      forge.addRepo({ owner: 'acme', name: 'widget', private: false, branches: ['main'] });
      const world = syncWorld({ forge });
      forge.addRepo({ owner: 'acme', name: 'widget-mirror', private: true, branches: ['main'], protectedBranches: ['main'], git: world.mirror });
      const mirrorMain = world.repo.git('ls-remote', world.mirror, 'refs/heads/main');
      upstreamCommits(world, [{ files: { 'src/u1.js': '1\n' } }]);
      const run = await world.repo.mirrorAsync(['sync-down', '--ci']);
      expect(run.code, run.stdout + run.stderr).toBe(0);
      const pushed = world.repo.git('ls-remote', world.mirror, 'refs/heads/mirror/*').split('\t')[1]!;
      expect(pushed).toMatch(/^refs\/heads\/mirror\/sync-down-/);
      expect(world.repo.git('ls-remote', world.mirror, 'refs/heads/main')).toBe(mirrorMain);
      expect(run.stdout).toMatch(/pull request: http:\/\/127\.0\.0\.1:\d+\/acme\/widget-mirror\/pull\/1/);
      const pulls = forge.pulls('acme/widget-mirror');
      expect(pulls).toHaveLength(1);
      expect(pulls[0]).toMatchObject({ base: 'main', head: pushed.replace('refs/heads/', '') });
      // the last line is for `mirror fleet sync-down`, which reads it from the job log
      const last = run.stdout.trimEnd().split('\n').at(-1)!;
      expect(last.startsWith('mirror-sync-down-result: ')).toBe(true);
      expect(JSON.parse(last.slice('mirror-sync-down-result: '.length))).toEqual({
        status: 'pull-request',
        behind: 1,
        pullRequestUrl: expect.stringMatching(/\/acme\/widget-mirror\/pull\/1$/),
        pushedTo: `origin/${pushed.replace('refs/heads/', '')}`,
      });
    });
  });
});

describe('mirror status', () => {
  it('shows ahead/behind, what waits to go up by class, and no paused run', () => {
    const world = syncWorld();
    world.repo.write('src/a.js', 'a\n').commit('Public');
    world.repo.write('private/b.md', 'b\n').commit('Private');
    upstreamCommits(world, [{ files: { 'src/u.js': 'u\n' } }]);
    world.repo.git('fetch', '-q', 'upstream');
    const status = JSON.parse(world.repo.mirror(['status', '--json']).stdout);
    expect(status).toMatchObject({ ahead: 2, behind: 1, unpushed: 2 });
    expect(status.waiting).toMatchObject({ public: 1, private: 1, blocked: 0 });
    expect(status.paused).toBeUndefined();
  });
});
