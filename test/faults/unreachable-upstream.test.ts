import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { syncWorld, upstreamCommits } from '../helpers/sync-world.js';
import { fullSnapshot } from './state.js';

/**
 * An upstream that is down, wrong or missing: sync-down says so in git's words,
 * naming the remote (its URL without credentials), exits 2 and changes nothing.
 */
describe('sync-down with an unreachable upstream', () => {
  const world = syncWorld();
  upstreamCommits(world, [{ files: { 'src/u1.js': '1\n' } }]);

  it.each([
    ['a path that is no repository', () => join(world.sandbox.root, 'no-such-upstream.git'), /does not appear to be a git repository/],
    ['a server that is down (credentials in the URL)', () => 'http://someone:hunter2-password@127.0.0.1:9/acme/widget.git', /Failed to connect|Couldn't connect|unable to access/],
  ])('%s: exit 2, the remote named, nothing changed', (_name, url, why) => {
    const good = world.repo.git('remote', 'get-url', 'upstream');
    world.repo.git('remote', 'set-url', 'upstream', url());
    try {
      const before = fullSnapshot(world);
      for (const args of [['sync-down'], ['sync-down', '--json'], ['sync-up', '--no-pr']]) {
        const run = world.repo.mirror(args);
        const out = run.stdout + run.stderr;
        expect(run.code, out).toBe(2);
        expect(out).toMatch(/git fetch upstream \(/);
        expect(out).toMatch(why);
        expect(out).toMatch(/nothing changed/);
        expect(out).not.toMatch(/unexpected error|\n\s+at [\w.<>]+ \(|hunter2/);
        expect(fullSnapshot(world)).toBe(before);
      }
    } finally {
      world.repo.git('remote', 'set-url', 'upstream', good);
    }
  });

  it('a remote that is not configured at all: exit 2, named, nothing changed', () => {
    const good = world.repo.git('remote', 'get-url', 'upstream');
    world.repo.git('remote', 'remove', 'upstream');
    try {
      const before = fullSnapshot(world);
      const run = world.repo.mirror(['sync-down']);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/no remote named "upstream"/);
      expect(fullSnapshot(world)).toBe(before);
    } finally {
      world.repo.git('remote', 'add', 'upstream', good);
    }
  });

  it('once the URL is right again, sync-down works', () => {
    const run = world.repo.mirror(['sync-down', '--no-push']);
    expect(run.code, run.stderr).toBe(0);
    expect(world.repo.tryGit('merge-base', '--is-ancestor', 'upstream/main', 'HEAD').code).toBe(0);
    expect(world.repo.git('show', 'HEAD:src/u1.js')).toBe('1');
  });
});
