import { afterAll, describe, expect, it } from 'vitest';
import { SyncUpRounds } from './sync-up-rounds.js';

/** sync-up killed at each step's before point (in the saved state, not yet begun): see kill-points.ts. */
describe('sync-up killed at every step before', () => {
  let rounds: SyncUpRounds;
  afterAll(() => rounds?.close());

  it('abort restores, continue finishes; published once, nothing private', async () => {
    rounds = await SyncUpRounds.start();
    const points = await rounds.points();
    expect(points.map((p) => p.split(':')[1])).toEqual(expect.arrayContaining(['fast-replay', 'worktree-add', 'pick-partial', 'verify', 'set-branch', 'push', 'pull-request', 'record', 'worktree-remove']));
    for (const point of points.filter((p) => p.endsWith(':before'))) await rounds.killAt(point);
    // ten points, four CLI runs each, with the forge in this process: well past the default timeout on a busy machine
  }, 300_000);
});
