import { afterAll, describe, expect, it } from 'vitest';
import { startFakeForge, type FakeForge } from '../helpers/fake-forge.js';
import { syncWorld, upstreamCommits } from '../helpers/sync-world.js';
import type { World } from '../helpers/world.js';
import { killAbortContinue, tracePoints } from './kill-points.js';

/**
 * A mirror whose every round of new work goes through all of sync-up's steps: a
 * plain public commit (fast replay), a public commit that needs a content merge (upstream changed the same file), so the
 * worktree and picks are used; a mixed commit, split; a private one, held back.
 * Between rounds the maintainer merges the pull request (upstream main := the branch).
 */
export class SyncUpRounds {
  round = 0;
  private constructor(
    readonly world: World,
    readonly forge: FakeForge,
  ) {}

  static async start(): Promise<SyncUpRounds> {
    const forge = await startFakeForge('github', { token: 'fake-token-for-tests' });
    forge.addRepo({ owner: 'acme', name: 'widget', private: false, branches: ['main', 'mirror/sync-up'] });
    return new SyncUpRounds(syncWorld({ forge }), forge);
  }

  /** New work on both sides, shaped as above. */
  prepare(): void {
    const n = ++this.round;
    const { world } = this;
    const repo = world.repo;
    const lines = (first: string, last: string) => `${first}\nexport const b = 2;\nexport const c = 3;\n${last}\n`;
    upstreamCommits(world, [{ files: { [`src/r${n}.js`]: lines('export const a = 1;', 'export const z = 26;') } }], { fetch: true });
    repo.git('-c', 'core.hooksPath=/dev/null', 'merge', '-q', '--no-edit', 'upstream/main');
    upstreamCommits(world, [{ files: { [`src/r${n}.js`]: lines('export const a = 1;', 'export const z = 27;') } }], { fetch: true });
    repo.write(`src/plain${n}.js`, `export const p = ${n};\n`).commit(`Plain ${n}`);
    repo.write(`src/r${n}.js`, lines('export const a = 100;', 'export const z = 26;')).commit(`Public ${n}`);
    repo.write(`private/c${n}.md`, `customer ${n}\n`).write(`docs/p${n}.md`, `docs ${n}\n`).commit(`Mixed ${n}`);
    repo.write(`private/only${n}.md`, `only ${n}\n`).commit(`Private ${n}`);
  }

  run = (env: NodeJS.ProcessEnv) => this.world.repo.mirrorAsync(['sync-up'], { env });
  resume = (args: string[]) => this.world.repo.mirrorAsync(args);

  /** What the public side holds after the round: its work once, nothing private, one pull request. */
  checkPublished(label: string): void {
    const n = this.round;
    const git = (...args: string[]) => this.world.sandbox.git(this.world.upstream, args);
    const branch = 'refs/heads/mirror/sync-up';
    expect(git('ls-tree', '-r', '--name-only', branch), label).not.toMatch(/private/);
    expect(git('show', `${branch}:docs/p${n}.md`), label).toBe(`docs ${n}`);
    expect(git('show', `${branch}:src/r${n}.js`), label).toContain('export const a = 100;');
    const subjects = git('log', '--format=%s', `main..${branch}`).split('\n');
    expect(subjects.sort(), label).toEqual([`Mixed ${n}`, `Plain ${n}`, `Public ${n}`]);
    expect(git('log', '--format=%B', `main..${branch}`), label).not.toMatch(/only|customer|Private/);
    expect(this.forge.pulls('acme/widget'), label).toHaveLength(1);
  }

  /** The maintainer merges the pull request. */
  mergePullRequest(): void {
    const git = (...args: string[]) => this.world.sandbox.git(this.world.upstream, args);
    git('update-ref', 'refs/heads/main', git('rev-parse', 'refs/heads/mirror/sync-up'));
    this.world.repo.git('fetch', '-q', 'upstream');
  }

  async points(): Promise<string[]> {
    this.prepare();
    const { points, result } = await tracePoints(this.world, this.run);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    this.checkPublished('traced run');
    this.mergePullRequest();
    return points;
  }

  async killAt(point: string): Promise<void> {
    this.prepare();
    await killAbortContinue(this.world, point, this.run, this.resume);
    this.checkPublished(point);
    this.mergePullRequest();
  }

  close(): Promise<void> {
    return this.forge.close();
  }
}

/**
 * Kills sync-up at every step's `phase` point, one kill per round: each phase is its own
 * test file so the three run in parallel.
 */
export function describeKillsAt(phase: 'before' | 'begin' | 'end'): void {
  describe(`sync-up killed at every step ${phase}`, () => {
    let rounds: SyncUpRounds;
    afterAll(() => rounds?.close());

    it('abort restores, continue finishes; published once, nothing private', async () => {
      rounds = await SyncUpRounds.start();
      const points = await rounds.points();
      expect(points.map((p) => p.split(':')[1])).toEqual(
        expect.arrayContaining(['fast-replay', 'worktree-add', 'pick-partial', 'verify', 'set-branch', 'push', 'pull-request', 'record', 'worktree-remove']),
      );
      for (const point of points.filter((p) => p.endsWith(`:${phase}`))) await rounds.killAt(point);
      // ten points, four CLI runs each, with the forge in this process: well past the default timeout on a busy machine
    }, 300_000);
  });
}
