import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pullRequestText } from '../../src/core/sync/pull-request-text.js';
import { startFakeForge, type FakeForge } from '../helpers/fake-forge.js';
import { fleetWorld, serveLocally, type FleetWorld } from '../helpers/fleet-world.js';
import { randomFrom } from '../helpers/tokens.js';

const TOKEN = randomFrom('abcdef0123456789', 40);
let world: FleetWorld;
let fake: FakeForge;

/** Two proposals of one change on a Forgejo upstream, from the upstream's own branches (no fork): Forgejo's shapes. */
beforeAll(async () => {
  world = fleetWorld();
  const { sandbox, upstream } = world;
  fake = await startFakeForge('forgejo', { token: TOKEN, etags: true });
  fake.addRepo({ owner: 'acme', name: 'upstream', private: false, branches: ['mirror/sync-up', 'mirror/proposal'] });
  serveLocally(sandbox, fake.url, 'acme', sandbox.root);
  const dev = sandbox.repo('proposer');
  dev.git('fetch', '-q', upstream, 'main');
  for (const [number, message] of [[1, 'Add a changelog'], [2, 'docs: changelog']] as const) {
    dev.git('checkout', '-q', '--detach', 'FETCH_HEAD');
    dev.write('CHANGELOG.md', '# Changes\n');
    dev.commit(message);
    dev.git('push', '-q', upstream, `HEAD:refs/pull/${number}/head`);
  }
  const body = pullRequestText({ commits: [{ oid: 'a', title: 'Add a changelog', mixed: false }], heldBack: 0 }).body;
  fake.addPullRequest('acme/upstream', { head: 'mirror/sync-up', title: 'Add a changelog', body, createdAt: '2026-04-02T00:00:00Z' });
  fake.addPullRequest('acme/upstream', { head: 'mirror/proposal', title: 'docs: changelog', body, createdAt: '2026-04-01T00:00:00Z' });
  world.writeFleet([{ name: 'globex', url: world.mirrors.globex }], { upstream: { url: fake.remoteUrl('acme/upstream'), forge: 'forgejo', apiUrl: fake.apiUrl } });
});
afterAll(() => fake?.close());

describe('mirror fleet proposals on Forgejo', () => {
  it('groups by patch id and keeps the one opened first, whatever its number', async () => {
    fake.resetLog();
    const run = await world.control.mirrorAsync(['fleet', 'proposals', '--json'], { env: { FORGEJO_TOKEN: TOKEN } });
    expect(run.stdout + run.stderr).not.toContain(TOKEN);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.groups).toEqual([expect.objectContaining({ keep: 2, close: [1], mirrors: [] })]);
    expect(report.groups[0].pulls.map((pull: { head: string }) => pull.head)).toEqual(['acme:mirror/proposal', 'acme:mirror/sync-up']);
    expect(fake.requests.map((r) => `${r.method} ${r.apiPath} ${r.query.limit}`)).toEqual(['GET /repos/acme/upstream/pulls 50']);
  });
});
