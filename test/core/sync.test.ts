import { describe, expect, it } from 'vitest';
import { classifyCommit } from '../../src/core/sync/classify.js';
import { fastReplayPrefix } from '../../src/core/sync/fast-replay.js';
import { hexTokens, privateIdLookup, publicMessage } from '../../src/core/sync/message.js';
import { privateCopies } from '../../src/core/sync/private-copies.js';
import { normaliseWhitespace, privateBlobsAround, privateTrees } from '../../src/core/sync/private-trees.js';
import { pullRequestPlan, pullRequestText } from '../../src/core/sync/pull-request-text.js';
import type { Candidate, ChangeEntry, Classified } from '../../src/core/sync/types.js';
import { alreadyUpstream } from '../../src/core/sync/upstream.js';

const Z = '0'.repeat(40);
const oid = (n: number) => n.toString(16).padStart(40, '0');
const isPrivatePath = (path: string) => path.startsWith('private/');
const entry = (status: string, path: string, oldOid: string, newOid: string, fromPath?: string): ChangeEntry => ({
  status,
  path,
  fromPath,
  oldMode: oldOid === Z ? '000000' : '100644',
  oldOid,
  newMode: newOid === Z ? '000000' : '100644',
  newOid,
});
const candidate = (id: number, entries: ChangeEntry[], message = `Commit ${id}\n`): Candidate => ({ oid: oid(id), subject: message.split('\n')[0]!, message, entries });
/** the candidates as one line of history, each the parent of the next */
const chain = (commits: Candidate[]) => commits.map((commit, i) => ({ oid: commit.oid, parents: i ? [commits[i - 1]!.oid] : [], entries: commit.entries }));
const context = (overrides: Partial<Parameters<typeof classifyCommit>[1]> = {}) => ({
  isPrivatePath,
  blockers: new Map<string, string[]>(),
  holdMessages: [],
  privateTrailers: ['Customer-Ticket'],
  isPrivateCommitId: () => false,
  split: true,
  ...overrides,
});

describe('public messages', () => {
  const mine = ['1234567abcdef1234567abcdef1234567abcdef0'];
  it.each([
    ['Fix it\n\nCustomer-Ticket: ACME-1\nSigned-off-by: A <a@x>\n', 'Fix it\n\nSigned-off-by: A <a@x>\n'],
    ['Port\n\n(cherry picked from commit 1234567abcdef1234567abcdef1234567abcdef0)\n', 'Port\n'],
    ['Revert 1234567abc, keep deadbee1\n', 'Revert a private commit, keep deadbee1\n'],
    ['customer-ticket: lower case too\nBody\n', 'Body\n'],
  ])('%j becomes %j', (message, expected) => {
    expect(publicMessage(message, { privateTrailers: ['Customer-Ticket'], isPrivateCommitId: privateIdLookup(mine) })).toBe(expected);
  });
});

describe('hex tokens in messages', () => {
  it('finds each candidate id once, whatever its length', () => {
    expect([...hexTokens(['This reverts commit 1234567abc, reversing\nchanges made to deadbee1.\n', 'again 1234567abc; not 123456 nor XYZ1234567'])]).toEqual(['1234567abc', 'deadbee1']);
  });
});

describe('private content copied to a public path without a rename or copy git reports', () => {
  const facts = (overrides = {}) => ({ isPrivatePath, upstreamBlobs: new Set<string>(), headPrivateBlobs: new Map<string, string>(), ...overrides });

  it('blocks a public file whose blob was earlier under a private zone', () => {
    const earlier = candidate(1, [entry('A', 'private/pricing.md', Z, oid(50))]);
    const copy = candidate(2, [entry('A', 'docs/pricing.md', Z, oid(50))]);
    const edited = candidate(3, [entry('M', 'private/pricing.md', oid(50), oid(51))]);
    const copyOfEdit = candidate(4, [entry('M', 'docs/pricing.md', oid(50), oid(51))]);
    const blockers = privateCopies([earlier, copy, edited, copyOfEdit], facts());
    expect([...blockers.keys()]).toEqual([copy.oid, copyOfEdit.oid]);
    expect(blockers.get(copy.oid)![0]).toMatch(/public docs\/pricing\.md has exactly the content of private private\/pricing\.md/);
  });

  it('blocks content only main\'s tree has under a private zone (it came by a merge)', () => {
    const copy = candidate(1, [entry('A', 'docs/acme.md', Z, oid(60))]);
    expect(privateCopies([copy], facts({ headPrivateBlobs: new Map([[oid(60), 'private/acme.md']]) })).has(copy.oid)).toBe(true);
  });

  it('lets through public content later copied or moved into a private zone, content upstream has, and empty files', () => {
    const first = candidate(1, [entry('A', 'src/tool.js', Z, oid(70))]);
    const moved = candidate(2, [entry('R', 'private/tool.js', oid(70), oid(70), 'src/tool.js')]);
    const back = candidate(3, [entry('A', 'src/tool.js', Z, oid(70))]);
    const known = candidate(4, [entry('A', 'private/license.txt', Z, oid(71)), entry('A', 'src/license.txt', Z, oid(71))]);
    const empty = candidate(5, [entry('A', 'private/.keep', Z, 'e69de29bb2d1d6434b8b29ae775ad8c2e48c5391'), entry('A', 'src/.keep', Z, 'e69de29bb2d1d6434b8b29ae775ad8c2e48c5391')]);
    const headPrivateBlobs = new Map([[oid(70), 'private/tool.js']]);
    const commits = [first, moved, back, known, empty];
    const trees = privateTrees(chain(commits), isPrivatePath);
    const privateAround = (id: string) => privateBlobsAround(chain(commits).find((c) => c.oid === id)!, trees);
    expect(privateCopies(commits, facts({ upstreamBlobs: new Set([oid(71)]), headPrivateBlobs, privateAround, textKey: () => 'same' })).size).toBe(0);
  });

  it('blocks a private file copied to a public path in the commit that adds it, and a copy equal up to whitespace', () => {
    const both = candidate(1, [entry('A', 'private/terms.md', Z, oid(72)), entry('A', 'docs/terms.md', Z, oid(72))]);
    const again = candidate(2, [entry('D', 'docs/terms.md', oid(72), Z)]);
    const reflowed = candidate(3, [entry('A', 'docs/terms.txt', Z, oid(73)), entry('A', 'src/other.js', Z, oid(74))]);
    const commits = [both, again, reflowed];
    const trees = privateTrees(chain(commits), isPrivatePath);
    const privateAround = (id: string) => privateBlobsAround(chain(commits).find((c) => c.oid === id)!, trees);
    const textKey = (blob: string) => ({ [oid(72)]: 'terms', [oid(73)]: 'terms', [oid(74)]: 'other' })[blob];
    const blockers = privateCopies(commits, facts({ privateAround, textKey }));
    expect([...blockers.keys()]).toEqual([both.oid, reflowed.oid]);
    expect(blockers.get(both.oid)![0]).toMatch(/public docs\/terms\.md has exactly the content of private private\/terms\.md/);
    expect(blockers.get(reflowed.oid)!.join()).toMatch(/public docs\/terms\.txt has the content \(up to whitespace\) of private private\/terms\.md/);
    expect(blockers.get(reflowed.oid)).toHaveLength(1);
  });
});

describe('private trees rebuilt from the log', () => {
  it('follows first parents, renames, deletions and merges, in any input order', () => {
    const add = { oid: 'a', parents: [], entries: [entry('A', 'private/x.md', Z, oid(1)), entry('A', 'src/y.js', Z, oid(2))] };
    const move = { oid: 'b', parents: ['a'], entries: [entry('R', 'private/z.md', oid(1), oid(1), 'private/x.md')] };
    const side = { oid: 'c', parents: ['a'], entries: [entry('A', 'private/side.md', Z, oid(3))] };
    const merge = { oid: 'm', parents: ['b', 'c'], entries: [entry('A', 'private/side.md', Z, oid(3))] };
    const drop = { oid: 'd', parents: ['m'], entries: [entry('D', 'private/z.md', oid(1), Z)] };
    const trees = privateTrees([drop, merge, side, move, add], isPrivatePath);
    expect([...trees.get('b')!]).toEqual([['private/z.md', oid(1)]]);
    expect([...trees.get('m')!].sort()).toEqual([['private/side.md', oid(3)], ['private/z.md', oid(1)]]);
    expect([...trees.get('d')!]).toEqual([['private/side.md', oid(3)]]);
    expect([...privateBlobsAround(drop, trees).keys()].sort()).toEqual([oid(1), oid(3)]);
  });

  it('normalises whitespace runs, line ends and indentation', () => {
    expect(normaliseWhitespace('  Acme\tpays\r\n  12k  \n\n')).toBe(normaliseWhitespace('Acme pays\n12k\n'));
    expect(normaliseWhitespace('Acme pays 12k')).not.toBe(normaliseWhitespace('Acme pays 13k'));
  });
});

describe('commit classes', () => {
  it.each<[string, Candidate, Partial<Parameters<typeof classifyCommit>[1]>, string, boolean]>([
    ['public', candidate(1, [entry('A', 'src/a.js', Z, oid(11))]), {}, 'public', true],
    ['private', candidate(2, [entry('A', 'private/a.md', Z, oid(12))]), {}, 'private', false],
    ['mixed, split', candidate(3, [entry('A', 'src/a.js', Z, oid(13)), entry('A', 'private/b.md', Z, oid(14))]), {}, 'mixed', true],
    ['mixed, no split', candidate(4, [entry('A', 'src/a.js', Z, oid(13)), entry('A', 'private/b.md', Z, oid(14))]), { split: false }, 'mixed', false],
    ['blocked by a secret', candidate(5, [entry('A', 'src/a.js', Z, oid(15))]), { blockers: new Map([[oid(5), ['a secret']]]) }, 'blocked', false],
    ['private content renamed public', candidate(6, [entry('R', 'docs/a.md', oid(16), oid(16), 'private/a.md')]), {}, 'blocked', false],
    ['held by message', candidate(7, [entry('A', 'src/a.js', Z, oid(17))], '[internal] x\n'), { holdMessages: [/^\[internal\]/] }, 'private', false],
    ['empty', candidate(8, []), {}, 'empty', false],
  ])('%s', (_, commit, overrides, cls, replay) => {
    const classified = classifyCommit(commit, context(overrides));
    expect(classified.class).toBe(cls);
    expect(classified.replay).toBe(replay);
    expect(classified.reasons.length).toBeGreaterThan(0);
  });

  it('a public path renamed into a private zone is a public deletion and a private addition', () => {
    const classified = classifyCommit(candidate(9, [entry('R', 'private/a.md', oid(19), oid(19), 'docs/a.md')]), context());
    expect(classified).toMatchObject({ class: 'mixed', dropPaths: ['private/a.md'] });
  });
});

describe('already upstream', () => {
  const upstreamTree = new Map([['src/f.txt', `100644 ${oid(100)}`]]);
  const facts = (overrides = {}) => ({
    patchEquivalent: new Set<string>(),
    publishedMerged: new Set<string>(),
    upstreamEntry: (path: string) => upstreamTree.get(path),
    isPrivatePath,
    groups: [] as string[][],
    ...overrides,
  });

  it('recognises a change upstream already has, and does not mistake a revert for one', () => {
    const change = candidate(1, [entry('M', 'src/f.txt', oid(100), oid(101))]);
    const revert = candidate(2, [entry('M', 'src/f.txt', oid(101), oid(100))]);
    const same = candidate(3, [entry('M', 'src/g.txt', Z, oid(102))]);
    const reasons = alreadyUpstream([change, revert, same], () => true, facts());
    expect(reasons.has(change.oid)).toBe(false);
    expect(reasons.has(revert.oid)).toBe(false);
    expect(alreadyUpstream([candidate(4, [entry('M', 'src/f.txt', oid(99), oid(100))])], () => true, facts()).get(oid(4))).toMatch(/changes nothing/);
  });

  it('recognises a group published together and squash-merged by its end result', () => {
    const first = candidate(1, [entry('A', 'src/n.txt', Z, oid(200))]);
    const second = candidate(2, [entry('M', 'src/n.txt', oid(200), oid(201))]);
    const squashed = new Map([...upstreamTree, ['src/n.txt', `100644 ${oid(201)}`]]);
    const reasons = alreadyUpstream([first, second], () => true, facts({ upstreamEntry: (path: string) => squashed.get(path), groups: [[first.oid, second.oid]] }));
    expect([...reasons.keys()]).toEqual([first.oid, second.oid]);
  });

  it('trusts patch ids and published copies', () => {
    const commit = candidate(1, [entry('A', 'src/x.txt', Z, oid(300))]);
    expect(alreadyUpstream([commit], () => true, facts({ patchEquivalent: new Set([commit.oid]) })).get(commit.oid)).toMatch(/patch id/);
    expect(alreadyUpstream([commit], () => true, facts({ publishedMerged: new Set([commit.oid]) })).get(commit.oid)).toMatch(/published copy/);
  });
});

describe('fast replay', () => {
  const upstreamTree = new Map([['src/f.txt', `100644 ${oid(100)}`], ['docs/old.md', `100644 ${oid(110)}`]]);
  const upstreamEntry = (path: string) => upstreamTree.get(path);

  it('takes commits whose paths are as their parent left them, and stops at the first that needs a merge', () => {
    const commits = [
      { ...candidate(1, [entry('M', 'src/f.txt', oid(100), oid(101)), entry('A', 'private/p.md', Z, oid(102))]), dropPaths: ['private/p.md'] },
      { ...candidate(2, [entry('R', 'docs/new.md', oid(110), oid(110), 'docs/old.md')]), dropPaths: [] },
      { ...candidate(3, [entry('M', 'src/f.txt', oid(100), oid(103))]), dropPaths: [] },
      { ...candidate(4, [entry('A', 'src/g.txt', Z, oid(104))]), dropPaths: [] },
    ];
    const prefix = fastReplayPrefix(commits, upstreamEntry);
    expect(prefix.map((commit) => commit.oid)).toEqual([oid(1), oid(2)]);
    expect(prefix[0]!.changes).toEqual([{ path: 'src/f.txt', mode: '100644', oid: oid(101) }]);
    expect(prefix[1]!.changes).toEqual([{ path: 'docs/old.md', delete: true }, { path: 'docs/new.md', mode: '100644', oid: oid(110) }]);
  });

  it('a public file moved into a private zone becomes a deletion', () => {
    const commits = [{ ...candidate(1, [entry('R', 'private/f.txt', oid(100), oid(100), 'src/f.txt')]), dropPaths: ['private/f.txt'] }];
    expect(fastReplayPrefix(commits, upstreamEntry)[0]!.changes).toEqual([{ path: 'src/f.txt', delete: true }]);
  });
});

describe('pull request text', () => {
  const commit = (cls: Classified['class'], replay: boolean, message: string): Classified => ({
    oid: oid(Math.floor(Math.random() * 1e6)),
    subject: message,
    class: cls,
    reasons: [],
    replay,
    dropPaths: [],
    publicMessage: `${message}\n`,
  });

  it('lists public titles and only counts what is held back', () => {
    const { title, body } = pullRequestText(pullRequestPlan([commit('public', true, 'Fix a'), commit('mixed', true, 'Add b'), commit('private', false, 'Secret plan for ACME'), commit('upstream', false, 'Old')]));
    expect(title).toBe('Sync from mirror: 2 commits');
    expect(body).toContain('- Fix a');
    expect(body).toContain('- Add b (public part)');
    expect(body).toContain('1 other commit was held back');
    expect(body).not.toContain('ACME');
    expect(body).not.toContain('Old');
  });

  it('uses the commit title when there is one commit', () => {
    expect(pullRequestText(pullRequestPlan([commit('public', true, 'Fix a')])).title).toBe('Fix a');
  });

  it('does not list a commit left out with mirror skip (it counts as held back), nor one found already upstream', () => {
    const [a, b, c] = [commit('public', true, 'Fix a'), commit('public', true, 'Tidy for Acme'), commit('public', true, 'Same as upstream')];
    const outcomes = new Map([[b.oid, 'held-back' as const], [c.oid, 'upstream' as const]]);
    const { title, body } = pullRequestText(pullRequestPlan([a, b, c, commit('private', false, 'Plan')]), (oid) => outcomes.get(oid) ?? 'included');
    expect(title).toBe('Fix a');
    expect(body).toContain('carries 1 commit proposed');
    expect(body).not.toContain('Tidy');
    expect(body).not.toContain('Same as upstream');
    expect(body).toContain('2 other commits were held back');
  });
});
