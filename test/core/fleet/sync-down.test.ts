import { describe, expect, it } from 'vitest';
import { judgeSync, parseResultLine, reportOf, resultLine, summariseSync, syncSummaryLine, type MirrorSyncFacts } from '../../../src/core/fleet/sync-down.js';

const run = (conclusion: string | null) => ({ id: 7, conclusion, htmlUrl: 'https://forge.example/acme/m/actions/runs/7' });
const pull = { number: 3, url: 'https://forge.example/acme/m/pull/3', head: 'mirror/sync-down-2026-03-01-0123abcd' };

describe('the result line sync-down --ci prints', () => {
  it('round-trips through a job log with timestamps and other lines around it', () => {
    const line = resultLine(reportOf({ status: 'paused', behind: 2, conflicts: ['app.txt', 'docs/a b.md'] }));
    const log = `2026-03-01T10:00:00.1Z ##[group]Run mirror\n2026-03-01T10:00:01.2Z sync-down: upstream/main brought 2 commits\n2026-03-01T10:00:01.3Z ${line}\n2026-03-01T10:00:01.4Z ##[error]Process completed with exit code 3.\n`;
    expect(parseResultLine(log)).toEqual({ status: 'conflict', behind: 2, conflicts: ['app.txt', 'docs/a b.md'] });
  });

  it('takes the last well-formed line, and ignores a line that only mentions the marker', () => {
    const log = [resultLine({ status: 'merged', behind: 1 }), 'echo mirror-sync-down-result: not json', resultLine({ status: 'up-to-date', behind: 0 }), 'mirror-sync-down-result: {"status":"exploded"}'].join('\r\n');
    expect(parseResultLine(log)).toEqual({ status: 'up-to-date', behind: 0 });
    expect(parseResultLine('no marker here')).toBeUndefined();
  });

  it('maps every sync-down result', () => {
    expect(reportOf({ status: 'up-to-date', behind: 0 })).toEqual({ status: 'up-to-date', behind: 0 });
    expect(reportOf({ status: 'done', behind: 3, pushedTo: 'origin/main' })).toEqual({ status: 'merged', behind: 3, pushedTo: 'origin/main' });
    expect(reportOf({ status: 'done', behind: 3, pushedTo: 'origin/mirror/sync-down-x', pullRequestUrl: pull.url })).toEqual({ status: 'pull-request', behind: 3, pushedTo: 'origin/mirror/sync-down-x', pullRequestUrl: pull.url });
  });
});

describe('judgeSync', () => {
  const cases: Array<[string, MirrorSyncFacts, { outcome: string; ok: boolean; conflicts?: string[]; pullRequestUrl?: string }]> = [
    ['a run that merged', { state: 'run', run: run('success'), result: { status: 'merged', behind: 2, pushedTo: 'origin/main' }, openPull: undefined }, { outcome: 'merged', ok: true }],
    ['a run with nothing to do', { state: 'run', run: run('success'), result: { status: 'up-to-date', behind: 0 }, openPull: undefined }, { outcome: 'up-to-date', ok: true }],
    ['a run that opened a pull request (the forge\'s URL wins)', { state: 'run', run: run('success'), result: { status: 'pull-request', behind: 1, pullRequestUrl: 'x' }, openPull: pull }, { outcome: 'pull-request', ok: true, pullRequestUrl: pull.url }],
    ['a run that failed on a conflict', { state: 'run', run: run('failure'), result: { status: 'conflict', behind: 1, conflicts: ['app.txt'] }, openPull: undefined }, { outcome: 'conflict', ok: false, conflicts: ['app.txt'] }],
    ['a run that failed otherwise', { state: 'run', run: run('failure'), result: undefined, openPull: undefined }, { outcome: 'failed', ok: false }],
    ['a cancelled run that had merged before', { state: 'run', run: run('cancelled'), result: { status: 'merged', behind: 1 }, openPull: undefined }, { outcome: 'failed', ok: false }],
    ['a successful run without a result line, with an open pull request', { state: 'run', run: run('success'), result: undefined, openPull: pull }, { outcome: 'pull-request', ok: true, pullRequestUrl: pull.url }],
    ['a successful run without a result line', { state: 'run', run: run('success'), result: undefined, openPull: undefined }, { outcome: 'merged', ok: true }],
    ['a run still going at the timeout', { state: 'timed-out', run: run(null) }, { outcome: 'failed', ok: false }],
    ['an unreachable mirror', { state: 'unreachable', error: 'no such repository' }, { outcome: 'unreachable', ok: false }],
    ['a refused dispatch', { state: 'error', error: 'no workflow' }, { outcome: 'failed', ok: false }],
    ['a local conflict', { state: 'local', clone: '/c/m', result: { status: 'conflict', behind: 1, conflicts: ['a', 'b'] } }, { outcome: 'conflict', ok: false, conflicts: ['a', 'b'] }],
    ['a local merge', { state: 'local', clone: '/c/m', result: { status: 'merged', behind: 1, pushedTo: 'origin/main' } }, { outcome: 'merged', ok: true }],
  ];
  for (const [name, facts, expected] of cases) {
    it(name, () => {
      expect(judgeSync('m', facts)).toMatchObject({ name: 'm', ...expected });
    });
  }

  it('names the conflicting files in its message', () => {
    expect(judgeSync('m', { state: 'local', clone: '/c/m', result: { status: 'conflict', behind: 1, conflicts: ['app.txt', 'b.txt'] } }).message).toBe('conflicts in app.txt, b.txt');
  });

  it('summarises by outcome', () => {
    const verdicts = [
      judgeSync('a', { state: 'unreachable', error: 'x' }),
      judgeSync('b', { state: 'local', clone: '/c', result: { status: 'merged', behind: 1 } }),
      judgeSync('c', { state: 'local', clone: '/c', result: { status: 'conflict', behind: 1, conflicts: [] } }),
    ];
    const summary = summariseSync(verdicts);
    expect(summary).toMatchObject({ mirrors: 3, ok: 1, attention: 2, merged: 1, conflict: 1, unreachable: 1, failed: 0 });
    expect(syncSummaryLine(summary)).toBe('3 mirror(s), 1 merged, 1 conflict, 1 unreachable');
  });
});
