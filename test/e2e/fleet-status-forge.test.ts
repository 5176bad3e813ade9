import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeForge, type FakeForge } from '../helpers/fake-forge.js';
import { attachActionsRuns, type FakeActions } from '../helpers/fake-actions-runs.js';
import { fleetWorld, serveLocally, type FleetWorld } from '../helpers/fleet-world.js';
import { randomFrom } from '../helpers/tokens.js';

const TOKEN = ['fleet', randomFrom('abcdef0123456789', 24)].join('-');
let world: FleetWorld;
let fake: FakeForge;
let actions: FakeActions;
let acmeFailedRun: number;

beforeAll(async () => {
  world = fleetWorld();
  fake = await startFakeForge('github', { token: TOKEN, etags: true });
  actions = await attachActionsRuns(fake);
  for (const name of ['globex', 'acme', 'hooli']) fake.addRepo({ owner: 'acme', name, private: true });
  actions.seedRun('acme/globex', 'mirror-sync-down.yml', { conclusion: 'failure' });
  actions.seedRun('acme/globex', 'mirror-sync-down.yml', { conclusion: 'success', createdAt: '2026-03-02T00:00:00Z' });
  acmeFailedRun = actions.seedRun('acme/acme', 'mirror-sync-down.yml', { conclusion: 'failure', createdAt: '2026-03-03T00:00:00Z' });
  fake.addPullRequest('acme/acme', { head: 'mirror/sync-down-2026-03-03-0123abcd', title: 'Sync down' });
  fake.addPullRequest('acme/acme', { head: 'feature/unrelated', title: 'Not a sync' });
  // hooli has no mirror-sync-down workflow: GitHub answers its runs list with 404
  serveLocally(world.sandbox, fake.url, 'acme', world.sandbox.root);
  world.writeFleet(['globex', 'acme', 'hooli'].map((name) => ({ name, url: fake.remoteUrl(`acme/${name}`), apiUrl: fake.apiUrl })));
});
afterAll(async () => {
  await actions?.close();
  await fake?.close();
});

describe('mirror fleet status (forge facts, local fake forge)', () => {
  it('reads the last mirror-sync-down run and open sync pull requests, in two requests per mirror', async () => {
    fake.resetLog();
    const run = await world.control.mirrorAsync(['fleet', 'status', '--json'], { env: { GH_ENTERPRISE_TOKEN: TOKEN } });
    expect(run.stdout + run.stderr).not.toContain(TOKEN);
    expect(run.code).toBe(1);
    const status = JSON.parse(run.stdout);
    const rows = Object.fromEntries(status.mirrors.map((row: { name: string; level: string; git: { behind: number }; forge: unknown }) => [row.name, { level: row.level, behind: row.git.behind, forge: row.forge }]));
    expect(rows).toEqual({
      globex: {
        level: 'ok',
        behind: 0,
        forge: { state: 'ok', lastRun: { id: expect.any(Number), status: 'completed', conclusion: 'success', createdAt: '2026-03-02T00:00:00Z', url: expect.stringContaining('/acme/globex/actions/runs/') }, syncPulls: [] },
      },
      acme: {
        level: 'fail',
        behind: 1,
        forge: {
          state: 'ok',
          lastRun: { id: acmeFailedRun, status: 'completed', conclusion: 'failure', createdAt: '2026-03-03T00:00:00Z', url: `${fake.url}/acme/acme/actions/runs/${acmeFailedRun}` },
          syncPulls: [{ number: 1, url: `${fake.url}/acme/acme/pull/1`, head: 'mirror/sync-down-2026-03-03-0123abcd' }],
        },
      },
      hooli: { level: 'fail', behind: 2, forge: { state: 'ok', lastRun: 'no-workflow', syncPulls: [] } },
    });
    const perMirror = new Map<string, number>();
    for (const request of fake.requests) {
      expect(request.auth).toBe('valid');
      const repo = /^\/repos\/acme\/([^/]+)/.exec(request.apiPath)![1]!;
      perMirror.set(repo, (perMirror.get(repo) ?? 0) + 1);
    }
    expect(Object.fromEntries(perMirror)).toEqual({ globex: 2, acme: 2, hooli: 2 });
    expect(fake.requests.filter((r) => r.apiPath.endsWith('/runs')).every((r) => r.query.per_page === '1')).toBe(true);
  });

  it('without a token the forge facts are marked skipped, never silently absent', async () => {
    fake.resetLog();
    const run = await world.control.mirrorAsync(['fleet', 'status']);
    expect(run.code).toBe(1);
    expect(fake.requests).toHaveLength(0);
    expect(run.stdout).toMatch(/✓\s+globex\s+0\s+0\s+never\s+skipped\s+skipped/);
    expect(run.stdout).toContain('forge facts: no token (GH_ENTERPRISE_TOKEN, GITHUB_ENTERPRISE_TOKEN unset)');
  });

  it('a rejected token makes the mirror fail with the forge error, the token never shown', async () => {
    const run = await world.control.mirrorAsync(['fleet', 'status', '--json', '--label', 'none-such'], { env: { GH_ENTERPRISE_TOKEN: `${TOKEN}x` } });
    expect(run.code).toBe(2);
    const wrong = await world.control.mirrorAsync(['fleet', 'status', '--json'], { env: { GH_ENTERPRISE_TOKEN: `${TOKEN}x` } });
    expect(wrong.stdout + wrong.stderr).not.toContain(TOKEN);
    const status = JSON.parse(wrong.stdout);
    expect(status.mirrors.map((row: { forge: { state: string } }) => row.forge.state)).toEqual(['error', 'error', 'error']);
    expect(status.mirrors[0].checks).toContainEqual({ check: 'sync-down-run', level: 'fail', message: expect.stringMatching(/^forge unreadable: /) });
  });

  it('asks again with the ETags kept on disk: unchanged answers are 304s, counted per mirror (at most three requests)', async () => {
    const first = JSON.parse((await world.control.mirrorAsync(['fleet', 'status', '--json'], { env: { GH_ENTERPRISE_TOKEN: TOKEN } })).stdout);
    fake.resetLog();
    const run = await world.control.mirrorAsync(['fleet', 'status', '--json'], { env: { GH_ENTERPRISE_TOKEN: TOKEN } });
    const status = JSON.parse(run.stdout);
    expect(fake.requests).toHaveLength(6);
    // hooli's runs list is a 404 (no workflow), which carries no ETag: asked whole each time
    const answered = fake.requests.map((request) => `${request.status} ${request.ifNoneMatch ? 'conditional' : 'plain'} ${request.apiPath}`).sort();
    expect(answered).toEqual([
      '304 conditional /repos/acme/acme/actions/workflows/mirror-sync-down.yml/runs',
      '304 conditional /repos/acme/acme/pulls',
      '304 conditional /repos/acme/globex/actions/workflows/mirror-sync-down.yml/runs',
      '304 conditional /repos/acme/globex/pulls',
      '304 conditional /repos/acme/hooli/pulls',
      '404 plain /repos/acme/hooli/actions/workflows/mirror-sync-down.yml/runs',
    ]);
    expect(status.mirrors.map((row: { requests: unknown }) => row.requests)).toEqual([
      { requests: 2, notModified: 2 },
      { requests: 2, notModified: 2 },
      { requests: 2, notModified: 1 },
    ]);
    expect(status.summary).toMatchObject({ requests: 6, notModified: 5 });
    // the same facts as the run that read the bodies
    expect(status.mirrors.map((row: { forge: unknown }) => row.forge)).toEqual(first.mirrors.map((row: { forge: unknown }) => row.forge));
    // a new run on acme changes the list: that answer comes whole again, the others stay 304
    fake.resetLog();
    actions.seedRun('acme/acme', 'mirror-sync-down.yml', { conclusion: 'success', createdAt: '2026-03-04T00:00:00Z' });
    const after = JSON.parse((await world.control.mirrorAsync(['fleet', 'status', '--json'], { env: { GH_ENTERPRISE_TOKEN: TOKEN } })).stdout);
    expect(fake.requests.filter((request) => request.status === 200).map((request) => request.apiPath)).toEqual(['/repos/acme/acme/actions/workflows/mirror-sync-down.yml/runs']);
    expect(after.mirrors.find((row: { name: string }) => row.name === 'acme').forge.lastRun).toMatchObject({ conclusion: 'success', createdAt: '2026-03-04T00:00:00Z' });
    for (const row of after.mirrors) expect(row.requests.requests).toBeLessThanOrEqual(3);
  });
});
