import { describe, expect, it } from 'vitest';
import { groupProposals, isSyncUpPull, type ProposalFacts } from '../../../src/core/fleet/proposals.js';
import { pullRequestText } from '../../../src/core/sync/pull-request-text.js';

const pull = (number: number, patchId: string | undefined, commits: string[], createdAt = `2026-03-0${number}T00:00:00Z`, extra: Partial<ProposalFacts> = {}): ProposalFacts => ({
  number,
  url: `https://forge.invalid/pull/${number}`,
  title: `pull ${number}`,
  body: '',
  head: 'mirror/sync-up',
  headOwner: `fork${number}`,
  createdAt,
  patchId,
  commits: commits.map((patch, index) => ({ oid: `${number}${index}`, patchId: patch })),
  ...extra,
});

describe('fleet proposals', () => {
  it('knows a sync-up pull request by its body or a default branch name', () => {
    const body = pullRequestText({ commits: [{ oid: 'a', title: 'Fix', mixed: false }], heldBack: 0 }).body;
    expect(isSyncUpPull({ head: 'my-branch', body })).toBe(true);
    expect(isSyncUpPull({ head: 'mirror/proposal', body: '' })).toBe(true);
    expect(isSyncUpPull({ head: 'feature/x', body: 'a fix' })).toBe(false);
  });

  it('groups by the change patch id, keeps the oldest (number breaks a tie), says who carries it', () => {
    const report = groupProposals(
      [pull(3, 'c1', ['p1']), pull(1, 'c1', ['p1'], '2026-03-05T00:00:00Z'), pull(2, 'c1', ['p1', 'p2'], '2026-03-01T00:00:00Z'), pull(4, 'c2', ['p3']), pull(5, undefined, [])],
      [
        { name: 'acme', patchIds: ['p1', 'p9'] },
        { name: 'globex', patchIds: ['p1', 'p2'] },
      ],
    );
    expect(report.groups).toEqual([
      expect.objectContaining({ patchId: 'c1', keep: 2, close: [3, 1], mirrors: ['acme', 'globex'] }),
    ]);
    expect(report.groups[0]!.pulls.map((p) => [p.number, p.carriedBy])).toEqual([
      [2, ['globex']],
      [3, ['acme', 'globex']],
      [1, ['acme', 'globex']],
    ]);
    expect(report.single.map((p) => p.number)).toEqual([4, 5]);
    expect(report.summary).toEqual({ pulls: 5, groups: 1, toClose: 2, unreadable: 0 });
  });

  it('lists an unreadable head apart and never groups it', () => {
    const report = groupProposals([pull(1, 'c1', ['p1']), pull(2, undefined, [], undefined, { unreadable: "couldn't find remote ref" })], []);
    expect(report.groups).toEqual([]);
    expect(report.unreadable.map((p) => p.number)).toEqual([2]);
    expect(report.single.map((p) => [p.number, p.head])).toEqual([[1, 'fork1:mirror/sync-up']]);
  });
});
