import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeForge, type FakeForge } from '../helpers/fake-forge.js';
import { attachActionsRuns, type FakeActions } from '../helpers/fake-actions-runs.js';
import { fleetWorld, serveLocally, type FleetWorld } from '../helpers/fleet-world.js';
import { randomFrom } from '../helpers/tokens.js';

const TOKEN = randomFrom('abcdef0123456789', 40);
let world: FleetWorld;
let fake: FakeForge;

beforeAll(async () => {
  world = fleetWorld();
  fake = await startFakeForge('forgejo', { token: TOKEN });
  fake.addRepo({ owner: 'acme', name: 'hooli', private: true });
  fake.addPullRequest('acme/hooli', { head: 'mirror/sync-down-2026-03-03-0123abcd', title: 'Sync down' });
  fake.addPullRequest('acme/hooli', { head: 'feature/x', title: 'Not a sync' });
  serveLocally(world.sandbox, fake.url, 'acme', world.sandbox.root);
  world.writeFleet([{ name: 'hooli', url: fake.remoteUrl('acme/hooli'), forge: 'forgejo', apiUrl: fake.apiUrl }]);
});
afterAll(() => fake?.close());

describe('mirror fleet status on Forgejo (shared Forgejo request function)', () => {
  it('reads the open sync pull requests by their head label; a forge without the runs list says unavailable', async () => {
    fake.resetLog();
    const run = await world.control.mirrorAsync(['fleet', 'status', '--json'], { env: { FORGEJO_TOKEN: TOKEN } });
    expect(run.stdout + run.stderr).not.toContain(TOKEN);
    const status = JSON.parse(run.stdout);
    expect(status.mirrors[0].forge).toEqual({
      state: 'ok',
      lastRun: 'unavailable',
      syncPulls: [{ number: 1, url: `${fake.url}/acme/hooli/pulls/1`, head: 'mirror/sync-down-2026-03-03-0123abcd' }],
    });
    expect(fake.requests.every((request) => request.auth === 'valid')).toBe(true);
    expect(fake.requests).toHaveLength(2);
  });
});

describe('mirror fleet status on a Forgejo with the runs list', () => {
  let newer: FakeForge;
  let actions: FakeActions;
  let world2: FleetWorld;
  let lastSyncDown: number;
  beforeAll(async () => {
    world2 = fleetWorld();
    newer = await startFakeForge('forgejo', { token: TOKEN });
    actions = await attachActionsRuns(newer);
    newer.addRepo({ owner: 'acme', name: 'hooli', private: true });
    actions.seedRun('acme/hooli', 'mirror-sync-down.yml', { conclusion: 'success', createdAt: '2026-03-01T00:00:00Z' });
    lastSyncDown = actions.seedRun('acme/hooli', 'mirror-sync-down.yml', { conclusion: 'failure', createdAt: '2026-03-02T00:00:00Z' });
    // a newer run of another workflow is not the last sync-down
    actions.seedRun('acme/hooli', 'experiment.yml', { conclusion: 'success', createdAt: '2026-03-03T00:00:00Z' });
    serveLocally(world2.sandbox, newer.url, 'acme', world2.sandbox.root);
    world2.writeFleet([{ name: 'hooli', url: newer.remoteUrl('acme/hooli'), forge: 'forgejo', apiUrl: newer.apiUrl }]);
  });
  afterAll(() => newer?.close());

  it('reads the newest run of the sync-down workflow from the repository runs list, in two requests', async () => {
    newer.resetLog();
    const run = await world2.control.mirrorAsync(['fleet', 'status', '--json'], { env: { FORGEJO_TOKEN: TOKEN } });
    const status = JSON.parse(run.stdout);
    expect(status.mirrors[0].forge.lastRun).toMatchObject({ id: lastSyncDown, conclusion: 'failure', createdAt: '2026-03-02T00:00:00Z' });
    expect(run.code).toBe(1);
    expect(newer.requests.map((request) => request.apiPath).sort()).toEqual(['/repos/acme/hooli/actions/runs', '/repos/acme/hooli/pulls']);
  });
});
