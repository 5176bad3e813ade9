import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pullRequestText } from '../../src/core/sync/pull-request-text.js';
import { startFakeForge, type FakeForge } from '../helpers/fake-forge.js';
import { fleetWorld, serveLocally, type FleetWorld } from '../helpers/fleet-world.js';
import { randomFrom } from '../helpers/tokens.js';

const TOKEN = ['fleet', randomFrom('abcdef0123456789', 24)].join('-');
let world: FleetWorld;
let fake: FakeForge;
const pullHead = (n: number) => `refs/pull/${n}/head`;

/**
 * globex and acme both carry the same public fix (docs/guide.txt) among their own
 * commits, and each proposed it upstream with sync-up: acme's built on an older
 * upstream. hooli proposed another change. A contributor's pull request and one
 * whose head ref the forge lost complete the list.
 */
beforeAll(async () => {
  world = fleetWorld();
  const { sandbox, mirrors, upstream } = world;
  fake = await startFakeForge('github', { token: TOKEN, etags: true });
  fake.addRepo({ owner: 'acme', name: 'upstream', private: false });
  serveLocally(sandbox, fake.url, 'acme', sandbox.root);

  // the mirrors' own histories: the fix among private work
  const carry = (name: 'globex' | 'acme', file: string, text: string, message: string) => {
    const clone = sandbox.repo(`${name}-fix`);
    clone.git('fetch', '-q', mirrors[name], 'main');
    clone.git('reset', '-q', '--hard', 'FETCH_HEAD');
    clone.write(`private/${name}-notes.txt`, `${name} only\n`);
    clone.commit(`${name}: private notes`);
    clone.write(file, text);
    clone.commit(message);
    clone.git('push', '-q', mirrors[name], 'HEAD:refs/heads/main');
  };
  carry('globex', 'docs/guide.txt', 'Use widgets with care.\n', 'Add a guide');
  carry('acme', 'docs/guide.txt', 'Use widgets with care.\n', 'docs: a guide for widgets');

  // the proposals as the forge keeps them: refs/pull/N/head in the upstream repository
  const dev = sandbox.repo('proposer');
  dev.git('fetch', '-q', upstream, 'main');
  const propose = (number: number, base: string, file: string, text: string, message: string) => {
    dev.git('checkout', '-q', '--detach', base);
    dev.write(file, text);
    dev.commit(message);
    dev.git('push', '-q', upstream, `HEAD:${pullHead(number)}`);
  };
  const u3 = dev.head('FETCH_HEAD');
  const u2 = dev.head('FETCH_HEAD~1');
  const body = (title: string) => pullRequestText({ commits: [{ oid: '0'.repeat(40), title, mixed: false }], heldBack: 1 }).body;
  propose(1, u3, 'docs/guide.txt', 'Use widgets with care.\n', 'Add a guide');
  fake.addPullRequest('acme/upstream', { head: 'globex-fork:mirror/sync-up', title: 'Add a guide', body: body('Add a guide'), createdAt: '2026-03-01T10:00:00Z' });
  propose(2, u2, 'docs/guide.txt', 'Use widgets with care.\n', 'docs: a guide for widgets');
  fake.addPullRequest('acme/upstream', { head: 'acme-fork:mirror/sync-up', title: 'docs: a guide for widgets', body: body('docs: a guide for widgets'), createdAt: '2026-03-02T10:00:00Z' });
  propose(3, u3, 'docs/faq.txt', 'Q: why?\n', 'Add a FAQ');
  fake.addPullRequest('acme/upstream', { head: 'hooli-fork:mirror/proposal', title: 'Add a FAQ', body: body('Add a FAQ'), createdAt: '2026-03-03T10:00:00Z' });
  propose(4, u3, 'docs/guide.txt', 'Use widgets with care.\n', 'A contributor writes the same guide');
  fake.addPullRequest('acme/upstream', { head: 'someone:feature/guide', title: 'A guide', body: 'I wrote a guide.', createdAt: '2026-02-01T10:00:00Z' });
  // #5: a sync-up pull request whose head ref is gone from the forge
  fake.addPullRequest('acme/upstream', { head: 'acme-fork:upstream-proposal', title: 'Lost', body: body('Lost'), createdAt: '2026-03-04T10:00:00Z' });

  world.writeFleet(
    ['globex', 'acme', 'hooli'].map((name) => ({ name, url: fake.remoteUrl(`acme/${name}`), labels: name === 'hooli' ? ['eu'] : ['us'] })),
    { upstream: { url: fake.remoteUrl('acme/upstream'), forge: 'github', apiUrl: fake.apiUrl } },
  );
});
afterAll(() => fake?.close());

describe('mirror fleet proposals (real git, local fake forge)', () => {
  it('groups the same change proposed by two mirrors, keeps the oldest, lists the rest', async () => {
    fake.resetLog();
    const run = await world.control.mirrorAsync(['fleet', 'proposals', '--json'], { env: { GH_ENTERPRISE_TOKEN: TOKEN } });
    expect(run.stdout + run.stderr).not.toContain(TOKEN);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.groups).toHaveLength(1);
    const [group] = report.groups;
    expect(group).toMatchObject({ keep: 1, close: [2], mirrors: ['acme', 'globex'] });
    expect(group.patchId).toMatch(/^[0-9a-f]{40}$/);
    expect(group.pulls.map((pull: { number: number; head: string; commits: number; carriedBy: string[] }) => [pull.number, pull.head, pull.commits, pull.carriedBy])).toEqual([
      [1, 'globex-fork:mirror/sync-up', 1, ['acme', 'globex']],
      [2, 'acme-fork:mirror/sync-up', 1, ['acme', 'globex']],
    ]);
    expect(report.single.map((pull: { number: number; carriedBy: string[] }) => [pull.number, pull.carriedBy])).toEqual([[3, []]]);
    expect(report.unreadable).toEqual([expect.objectContaining({ number: 5, unreadable: expect.stringMatching(/refs\/pull\/5\/head/) })]);
    expect(report.summary).toEqual({ pulls: 4, groups: 1, toClose: 1, unreadable: 1 });
    expect(report.unreachable).toEqual([]);
    // one page of pull requests: a single forge request, authenticated
    expect(fake.requests.map((r) => `${r.method} ${r.apiPath}`)).toEqual(['GET /repos/acme/upstream/pulls']);
    expect(report.requests).toEqual({ requests: 1, notModified: 0 });
  });

  it('asks again with the ETag: a 304 answers from the cache with the same result', async () => {
    fake.resetLog();
    const run = await world.control.mirrorAsync(['fleet', 'proposals', '--json'], { env: { GH_ENTERPRISE_TOKEN: TOKEN } });
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]!.ifNoneMatch).toMatch(/^W\/"/);
    expect(fake.requests[0]!.status).toBe(304);
    expect(report.requests).toEqual({ requests: 1, notModified: 1 });
    expect(report.groups[0]).toMatchObject({ keep: 1, close: [2] });
  });

  it('prints which to merge and which to close; --label keeps the proposals its mirrors carry', async () => {
    const run = await world.control.mirrorAsync(['fleet', 'proposals'], { env: { GH_ENTERPRISE_TOKEN: TOKEN } });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/same change \(patch id [0-9a-f]{12}\), carried by acme, globex:/);
    expect(run.stdout).toMatch(/ {2}keep  #1 Add a guide \(globex-fork:mirror\/sync-up, 1 commit, opened 2026-03-01T10:00:00Z\)/);
    expect(run.stdout).toMatch(/ {2}close #2 docs: a guide for widgets/);
    expect(run.stdout).toContain('→ merge #1 (the oldest); close #2 as duplicates of it');
    expect(run.stdout).toContain('! #5 Lost: head not readable');
    expect(run.stdout).toContain('4 sync-up pull request(s), 1 proposed more than once, 1 to close, 1 unreadable');
    const eu = await world.control.mirrorAsync(['fleet', 'proposals', '--json', '--label', 'eu'], { env: { GH_ENTERPRISE_TOKEN: TOKEN } });
    expect(JSON.parse(eu.stdout).groups).toEqual([]);
    const markdown = await world.control.mirrorAsync(['fleet', 'proposals', '--format', 'markdown'], { env: { GH_ENTERPRISE_TOKEN: TOKEN } });
    expect(markdown.stdout).toContain('| **keep** (oldest) |');
    expect(markdown.stdout).toContain('| close (duplicate of #1) |');
  });
});
