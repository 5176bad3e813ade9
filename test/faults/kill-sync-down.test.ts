import { describe, expect, it } from 'vitest';
import { syncWorld, upstreamCommits } from '../helpers/sync-world.js';
import { killAbortContinue, tracePoints } from './kill-points.js';

/** sync-down killed with -9 at every point of its program, merge and rebase. */
describe('sync-down killed at every recorded step', () => {
  const world = syncWorld();
  const repo = world.repo;
  repo.write('src/mirror-only.js', 'export const m = 1;\n').write('private/customer.md', 'customer\n').commit('Mirror work');
  repo.git('push', '-q', '--no-verify', 'origin', 'main');
  let round = 0;
  const nextUpstream = () => upstreamCommits(world, [{ files: { [`src/up${++round}.js`]: `export const u = ${round};\n` } }]);
  const resume = (args: string[]) => repo.mirrorAsync(args);

  it.each([[[] as string[]], [['--rebase', '--no-push']]])('sync-down %s: abort restores, continue finishes, published once, nothing private upstream', async (flags) => {
    const run = (env: NodeJS.ProcessEnv) => repo.mirrorAsync(['sync-down', ...flags], { env });
    nextUpstream();
    const { points, result } = await tracePoints(world, run);
    expect(result.code, result.stderr).toBe(0);
    const rebase = flags.includes('--rebase');
    const op = rebase ? 'rebase' : 'merge';
    expect(points).toEqual([`0:${op}:before`, `0:${op}:begin`, `0:${op}:end`, ...(rebase ? [] : ['1:push:before', '1:push:begin', '1:push:end'])]);
    for (const point of points) {
      nextUpstream();
      const upstreamRefs = repo.git('ls-remote', world.upstream);
      await killAbortContinue(world, point, run, resume);
      // upstream's work is in exactly once, and main went to the mirror
      expect(repo.git('log', '--format=%H', `-S`, `export const u = ${round};`, 'HEAD', '--', `src/up${round}.js`).split('\n')).toHaveLength(1);
      if (!rebase) {
        expect(repo.git('rev-parse', 'HEAD^2'), `${point}: merged`).toBe(repo.git('rev-parse', 'upstream/main'));
        expect(repo.git('ls-remote', world.mirror, 'refs/heads/main').split('\t')[0], `${point}: pushed`).toBe(repo.head());
      } else expect(repo.tryGit('merge-base', '--is-ancestor', 'upstream/main', 'HEAD').code, `${point}: rebased`).toBe(0);
      // sync-down never writes to the public side
      expect(repo.git('ls-remote', world.upstream), `${point}: upstream untouched`).toBe(upstreamRefs);
      expect(world.sandbox.git(world.upstream, ['ls-tree', '-r', '--name-only', 'main']), point).not.toMatch(/private/);
    }
  }, 180_000);
});
