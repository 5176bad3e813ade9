import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { syncWorld, upstreamCommits } from '../helpers/sync-world.js';
import { spawnMirror, waitForFile } from './spawn.js';

/**
 * One sync at a time. A smudge filter on `*.dat` holds the first run inside its
 * merge (holding the lock) for two seconds and says when it got there, so the
 * second run's moment is chosen, not hoped for.
 */
describe('run lock: two real runs at once', () => {
  const world = syncWorld();
  const repo = world.repo;
  // mirror work of its own, so every sync-down is a true merge
  repo.write('src/mirror-only.js', 'export const m = 1;\n').commit('Mirror work');
  const smudging = join(world.sandbox.root, 'smudging');
  writeFileSync(join(repo.dir, '.git', 'info', 'attributes'), '*.dat filter=slow\n');
  repo.git('config', 'filter.slow.clean', 'cat');
  repo.git('config', 'filter.slow.smudge', `touch '${smudging}'; sleep 2; rm -f '${smudging}'; cat`);
  const lockFile = join(repo.dir, '.git', 'mirror', 'run.lock');

  it('a second run exits 2 naming the holder, or waits and then runs; several rounds', async () => {
    for (let round = 0; round < 3; round++) {
      upstreamCommits(world, [{ files: { [`data/r${round}.dat`]: `round ${round}\n` } }]);
      const first = spawnMirror(repo, ['sync-down']);
      await waitForFile(smudging);
      const second = spawnMirror(repo, round === 2 ? ['sync-up', '--no-pr'] : ['sync-down'], { MIRROR_LOCK_WAIT_MS: '0' });
      const waiter = spawnMirror(repo, ['sync-down', '--json'], { MIRROR_LOCK_WAIT_MS: '30000' });
      const [a, b, c] = await Promise.all([first.done, second.done, waiter.done]);
      expect(a.code, a.stderr).toBe(0);
      expect(b.code, b.stdout + b.stderr).toBe(2);
      expect(b.stderr).toMatch(new RegExp(`mirror sync-down \\(pid ${first.child.pid}, started [0-9T:.-]+Z\\) is running in this repository; nothing changed`));
      // the waiter ran after the first finished: nothing left to merge
      expect(c.code, c.stderr).toBe(0);
      expect(JSON.parse(c.stdout).status).toBe('up-to-date');
      expect(repo.git('rev-parse', 'HEAD^2')).toBe(repo.git('rev-parse', 'upstream/main'));
      expect(existsSync(lockFile)).toBe(false);
      expect(existsSync(join(repo.dir, '.git', 'mirror', 'run-state.json'))).toBe(false);
    }
  });

  it('two runs started together never both work: one merge per upstream change, nothing left behind', async () => {
    rmSync(join(repo.dir, '.git', 'info', 'attributes'));
    for (let round = 0; round < 4; round++) {
      upstreamCommits(world, [{ files: { [`src/together${round}.js`]: `export const t = ${round};\n` } }]);
      const before = repo.head();
      const runs = [spawnMirror(repo, ['sync-down', '--json']), spawnMirror(repo, ['sync-down', '--json'])];
      const results = await Promise.all(runs.map((run) => run.done));
      for (const result of results) expect([0, 2], result.stderr).toContain(result.code);
      const done = results.filter((result) => result.code === 0).map((result) => JSON.parse(result.stdout).status);
      // exactly one merged; the other either found it done or was turned away
      expect(done.filter((status) => status === 'done')).toHaveLength(1);
      expect(repo.git('rev-list', '--count', `${before}..HEAD`, '--merges')).toBe('1');
      expect(existsSync(lockFile)).toBe(false);
    }
  });

  it('a lock left by a run killed with -9 is recovered with a message', () => {
    upstreamCommits(world, [{ files: { 'src/killed.js': 'export const k = 1;\n' } }]);
    const killed = repo.mirror(['sync-down'], { env: { MIRROR_TEST_DIE_AT: '0:merge:begin' } });
    expect(killed.code).toBe(-1);
    expect(existsSync(lockFile)).toBe(true);
    const aborted = repo.mirror(['abort']);
    expect(aborted.code, aborted.stderr).toBe(0);
    expect(aborted.stderr).toMatch(/recovered a stale run lock: sync-down \(pid \d+, started [^)]+\) is no longer running/);
    expect(existsSync(lockFile)).toBe(false);
  });
});
