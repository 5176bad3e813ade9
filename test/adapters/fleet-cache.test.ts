import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FleetCache, mirrorNamespace, UPSTREAM_NAMESPACE } from '../../src/adapters/git/fleet-cache.js';
import { Sandbox } from '../helpers/sandbox.js';

const MERGE_DATE = '2026-02-03T04:05:06Z';

/**
 * An upstream whose own history has merges (pull requests merged with --no-ff, as on
 * GitHub), and mirrors fetched into one cache: the facts of each from one git process.
 */
describe('FleetCache.mirrorFacts', () => {
  const sandbox = new Sandbox();
  const upstream = sandbox.bare('upstream');
  const dev = sandbox.repo('dev');
  dev.git('remote', 'add', 'origin', upstream);
  dev.write('app.txt', 'one\n').commit('U1');
  dev.git('checkout', '-q', '-b', 'topic');
  dev.write('topic.txt', 'topic\n').commit('T1');
  dev.git('checkout', '-q', 'main');
  sandbox.git(dev.dir, ['-c', 'core.hooksPath=/dev/null', 'merge', '-q', '--no-ff', '-m', 'Merge pull request #1', 'topic']);
  const upstreamMerge = dev.head();
  dev.git('push', '-q', 'origin', 'main');

  // started from the upstream's merge, two private commits, never merged upstream in
  const started = sandbox.bare('started');
  const work = sandbox.repo('work');
  work.git('fetch', '-q', upstream, 'main');
  work.git('reset', '-q', '--hard', 'FETCH_HEAD');
  work.write('private/a.txt', 'a\n').commit('P1');
  work.write('private/b.txt', 'b\n').commit('P2');
  work.git('push', '-q', started, 'HEAD:refs/heads/main');

  // upstream moves on; a second mirror merges it in, then adds a private topic by a merge of its own
  dev.write('app.txt', 'one\ntwo\n').commit('U2');
  dev.write('app.txt', 'one\ntwo\nthree\n').commit('U3');
  dev.git('push', '-q', 'origin', 'main');
  const merged = sandbox.bare('merged');
  work.git('fetch', '-q', upstream, 'main');
  sandbox.git(work.dir, ['-c', 'core.hooksPath=/dev/null', 'merge', '-q', '--no-ff', '-m', 'Merge upstream', 'FETCH_HEAD~1'], {
    env: { GIT_COMMITTER_DATE: MERGE_DATE, GIT_AUTHOR_DATE: MERGE_DATE },
  });
  const mirrorMerge = work.head();
  work.git('checkout', '-q', '-b', 'private-topic');
  work.write('private/c.txt', 'c\n').commit('P3');
  work.git('checkout', '-q', 'main');
  sandbox.git(work.dir, ['-c', 'core.hooksPath=/dev/null', 'merge', '-q', '--no-ff', '-m', 'Merge private topic', 'private-topic']);
  work.git('push', '-q', merged, 'HEAD:refs/heads/main');

  const facts = async () => {
    const cache = await FleetCache.open(join(sandbox.root, 'cache'));
    expect(await cache.fetchBranch(upstream, 'main', UPSTREAM_NAMESPACE)).toEqual({ ok: true, found: true });
    expect(await cache.tip(`${UPSTREAM_NAMESPACE}/heads/main`)).toBe(dev.head());
    const result: Record<string, unknown> = {};
    for (const [name, url] of [['started', started], ['merged', merged]] as const) {
      expect(await cache.fetchBranch(url, 'main', mirrorNamespace(name))).toEqual({ ok: true, found: true });
      result[name] = await cache.mirrorFacts(`${mirrorNamespace(name)}/heads/main`, `${UPSTREAM_NAMESPACE}/heads/main`);
    }
    expect(await cache.fetchBranch(started, 'none-such', mirrorNamespace('started'))).toEqual({ ok: true, found: false });
    return result;
  };

  it('counts ahead and behind, and finds the mirror\'s own last merge from upstream, not one of the upstream\'s merges', async () => {
    expect(upstreamMerge).not.toBe(mirrorMerge);
    expect(await facts()).toEqual({
      // P1, P2; U2, U3: the upstream's merge it started from is no merge from upstream
      started: { ahead: 2, behind: 2, lastMerge: undefined },
      // P1, P2, the merge of U2, P3 and the merge of the private topic (not from upstream); U3
      merged: { ahead: 5, behind: 1, lastMerge: { commit: mirrorMerge, date: '2026-02-03T04:05:06+00:00' } },
    });
  });

  it('fetches many mirrors in one git fetch --multiple; the failed ones say why, as fetchBranch does', async () => {
    const cache = await FleetCache.open(join(sandbox.root, 'cache-many'));
    const gone = join(sandbox.root, 'gone.git');
    const items = [
      { url: started, branch: 'main', namespace: mirrorNamespace('started') },
      { url: gone, branch: 'main', namespace: mirrorNamespace('gone') },
      { url: merged, branch: 'none-such', namespace: mirrorNamespace('nobranch') },
      { url: merged, branch: 'main', namespace: mirrorNamespace('merged') },
    ];
    const outcomes = await cache.fetchMany(items, 2);
    expect(outcomes).toEqual([
      { ok: true, found: true },
      await cache.fetchBranch(gone, 'main', mirrorNamespace('gone')),
      { ok: true, found: false },
      { ok: true, found: true },
    ]);
    expect(outcomes[1]).toMatchObject({ ok: false, error: expect.stringContaining('gone.git') });
    expect(await cache.tip(`${mirrorNamespace('started')}/heads/main`)).toBe(sandbox.git(started, ['rev-parse', 'main']));
    expect(await cache.tip(`${mirrorNamespace('merged')}/heads/main`)).toBe(sandbox.git(merged, ['rev-parse', 'main']));
  });
});
