import { describe, expect, it } from 'vitest';
import { judgeMirror, summarise, summaryLine, type ForgeFacts, type GitFacts } from '../../../src/core/fleet/verdict.js';

const ok = (ahead: number, behind: number): GitFacts => ({ state: 'ok', ahead, behind, lastMerge: undefined });
const skipped: ForgeFacts = { state: 'skipped', reason: 'no token' };
const run = (conclusion: string | null, status = 'completed') => ({ status, conclusion, createdAt: '2026-03-01T00:00:00Z', url: 'https://forge.invalid/run/1' });
const judge = (git: GitFacts, forge: ForgeFacts = skipped, maxBehind?: number) => judgeMirror({ name: 'm', labels: [], branch: 'main', git, forge }, { maxBehind });

describe('fleet verdicts', () => {
  it.each([
    ['up to date, forge skipped', ok(3, 0), skipped, undefined, 'ok'],
    ['behind', ok(0, 1), skipped, undefined, 'fail'],
    ['behind within --max-behind', ok(0, 2), skipped, 2, 'ok'],
    ['unreachable', { state: 'unreachable', error: 'no route' } as GitFacts, skipped, undefined, 'fail'],
    ['branch missing', { state: 'no-branch', branch: 'main' } as GitFacts, skipped, undefined, 'fail'],
    ['last sync-down failed', ok(0, 0), { state: 'ok', lastRun: run('failure'), syncPulls: [] } as ForgeFacts, undefined, 'fail'],
    ['last sync-down succeeded', ok(0, 0), { state: 'ok', lastRun: run('success'), syncPulls: [] } as ForgeFacts, undefined, 'ok'],
    ['sync-down running', ok(0, 0), { state: 'ok', lastRun: run(null, 'in_progress'), syncPulls: [] } as ForgeFacts, undefined, 'ok'],
    ['never ran', ok(0, 0), { state: 'ok', lastRun: 'none', syncPulls: [] } as ForgeFacts, undefined, 'warn'],
    ['no workflow', ok(0, 0), { state: 'ok', lastRun: 'no-workflow', syncPulls: [] } as ForgeFacts, undefined, 'fail'],
    ['forge lacks runs list', ok(0, 0), { state: 'ok', lastRun: 'unavailable', syncPulls: [] } as ForgeFacts, undefined, 'ok'],
    ['open sync pull request', ok(0, 0), { state: 'ok', lastRun: run('success'), syncPulls: [{ number: 4, url: 'u', head: 'mirror/sync-up' }] } as ForgeFacts, undefined, 'warn'],
    ['forge unreadable', ok(0, 0), { state: 'error', error: '401' } as ForgeFacts, undefined, 'fail'],
  ])('%s → %s', (_name, git, forge, maxBehind, level) => {
    expect(judge(git, forge, maxBehind).level).toBe(level);
  });

  it('explains each check', () => {
    expect(judge(ok(0, 2)).checks).toEqual([
      { check: 'behind', level: 'fail', message: '2 commit(s) behind upstream' },
      { check: 'sync-down-run', level: 'skip', message: 'forge facts skipped: no token' },
    ]);
  });

  it('sums the fleet up in one line', () => {
    const verdicts = [judge(ok(1, 0)), judge(ok(0, 3)), judge({ state: 'unreachable', error: 'x' })];
    const summary = summarise(verdicts);
    expect(summary).toEqual({ mirrors: 3, ok: 1, warn: 0, fail: 2, unreachable: 1, behind: 1, forgeSkipped: 3, drifted: 0 });
    expect(summaryLine(summary)).toBe('3 mirror(s), 1 ok, 0 warn, 2 fail, 1 unreachable, 1 behind upstream, forge facts skipped for 3');
  });
});
