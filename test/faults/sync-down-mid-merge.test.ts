import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { syncWorld, upstreamCommits } from '../helpers/sync-world.js';
import type { World } from '../helpers/world.js';
import { spawnMirror, waitForFile } from './spawn.js';
import { fullSnapshot } from './state.js';

/**
 * `kill -9` of sync-down while git's own merge is writing the work tree: git dies
 * too, leaving `index.lock`, no MERGE_HEAD, and the files it had written as
 * untracked files. A smudge filter on `*.dat` holds the merge at a known place
 * (after `docs/new.md` and `src/new1.js`, before `z/slow.dat`) and tells the test
 * when it got there.
 */
function killedMidMerge(): Promise<{ world: World; before: string }> {
  const world = syncWorld();
  const repo = world.repo;
  repo.write('src/mirror-only.js', 'export const m = 1;\n').commit('Mirror work');
  repo.git('push', '-q', '--no-verify', 'origin', 'main');
  upstreamCommits(world, [
    { files: { 'docs/new.md': 'new docs\n', 'src/new1.js': 'export const n = 1;\n', 'src/app.js': 'export const app = 2;\n', 'z/slow.dat': 'slow\n' } },
  ]);
  // the user's own untracked and ignored files, some beside where the merge writes: they must survive
  repo.write('.git/info/exclude', 'build/\n');
  repo.write('notes.txt', 'my notes\n').write('docs/draft.md', 'my draft\n').write('build/out.log', 'log\n');
  const marker = join(world.sandbox.root, 'smudge-started');
  writeFileSync(join(repo.dir, '.git', 'info', 'attributes'), '*.dat filter=slow\n');
  repo.git('config', 'filter.slow.clean', 'cat');
  // the first smudge (the interrupted run's) announces itself and hangs; later ones pass through
  repo.git('config', 'filter.slow.smudge', `if [ -e '${marker}' ]; then cat; else touch '${marker}'; sleep 60; cat; fi`);
  const before = fullSnapshot(world);
  const run = spawnMirror(repo, ['sync-down']);
  return waitForFile(marker).then(async () => {
    run.killGroup();
    const result = await run.done;
    expect(result.code).toBe(-1);
    // the state the issue describes: git's lock, no merge in progress, the written files untracked
    expect(existsSync(join(repo.dir, '.git', 'index.lock'))).toBe(true);
    expect(existsSync(join(repo.dir, '.git', 'MERGE_HEAD'))).toBe(false);
    expect(existsSync(join(repo.dir, 'docs', 'new.md'))).toBe(true);
    return { world, before };
  });
}

describe('sync-down killed with -9 inside git merge', () => {
  it('abort restores index, files (removing only what the run created), refs and .git/mirror exactly', async () => {
    const { world, before } = await killedMidMerge();
    const aborted = world.repo.mirror(['abort']);
    expect(aborted.code, aborted.stdout + aborted.stderr).toBe(0);
    expect(fullSnapshot(world)).toBe(before);
    for (const mine of ['notes.txt', 'docs/draft.md', 'build/out.log']) expect(existsSync(join(world.repo.dir, mine)), mine).toBe(true);
    for (const created of ['docs/new.md', 'src/new1.js', 'z']) expect(existsSync(join(world.repo.dir, created)), created).toBe(false);
    // and a new run goes through
    const again = world.repo.mirror(['sync-down']);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(world.repo.git('show', 'HEAD:src/new1.js')).toBe('export const n = 1;');
  });

  it('continue finishes the merge and the push', async () => {
    const { world } = await killedMidMerge();
    const resumed = world.repo.mirror(['continue']);
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0);
    const repo = world.repo;
    expect(repo.git('rev-parse', 'HEAD^2')).toBe(repo.git('rev-parse', 'upstream/main'));
    expect(repo.git('status', '--porcelain', '--untracked-files=all')).toBe('?? docs/draft.md\n?? notes.txt');
    expect(repo.git('ls-remote', world.mirror, 'refs/heads/main').split('\t')[0]).toBe(repo.head());
    expect(existsSync(join(repo.dir, '.git', 'mirror', 'run-state.json'))).toBe(false);
    expect(existsSync(join(repo.dir, '.git', 'mirror', 'run.lock'))).toBe(false);
  });
});
