import { afterEach, describe, expect, it } from 'vitest';
import { createGitHubActionsRuns } from '../../../src/adapters/forge/actions-runs.js';
import { watchMany } from '../../../src/app/run/watch.js';
import { attachActionsRuns, type FakeActions } from '../../helpers/fake-actions-runs.js';
import { startFakeForge, type FakeForge } from '../../helpers/fake-forge.js';

const TOKEN = ['watch', 'many', String(process.pid)].join('-');
const servers: Array<{ fake: FakeForge; actions: FakeActions }> = [];
afterEach(async () => {
  for (const { fake, actions } of servers.splice(0)) {
    await actions.close();
    await fake.close();
  }
});

/** A forge with one repository and its workflow; `rateLimit` is what its headers announce per hour. */
async function forge(rateLimit: number, runningTicks: number) {
  const fake = await startFakeForge('github', { token: TOKEN });
  const actions = await attachActionsRuns(fake, { rateLimit });
  servers.push({ fake, actions });
  fake.addRepo({ owner: 'acme', name: 'm', private: true });
  actions.addWorkflow('acme/m', { file: 'mirror-sync-down.yml', script: () => ({ conclusion: 'success', queuedTicks: 0, runningTicks }) });
  const api = await createGitHubActionsRuns({ apiUrl: fake.apiUrl, token: TOKEN, retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 2, maxTotalWaitMs: 100 } });
  const repo = { owner: 'acme', name: 'm' };
  const { runId } = await api.dispatch(repo, { workflow: 'mirror-sync-down.yml', ref: 'main', inputs: {} });
  return { fake, actions, api, repo, id: runId! };
}

describe('watchMany: runs of several forges in one loop', () => {
  it('waits as long as the tightest rate limit needs while its run is open, and no longer once it is done', async () => {
    const roomy = await forge(50_000, 6);
    const tight = await forge(600, 2);
    const sleeps: Array<{ ms: number; open: number }> = [];
    let open = 2;
    const { runs, timedOut } = await watchMany(
      [
        { api: roomy.api, repo: roomy.repo, id: roomy.id },
        { api: tight.api, repo: tight.repo, id: tight.id },
      ],
      {
        intervalMs: 100,
        maxIntervalMs: 400,
        sleep: async (ms) => void sleeps.push({ ms, open }),
        onProgress: (watched) => {
          open = watched.filter((item) => item.verdict === 'running').length;
        },
      },
    );
    expect(timedOut).toBe(false);
    expect(runs.map((item) => [item.run.id, item.verdict])).toEqual([
      [roomy.id, 'success'],
      [tight.id, 'success'],
    ]);
    // the tight forge's ~600 requests to its reset an hour away, 2 per poll: about one poll every 12 s
    const both = sleeps.filter((sleep) => sleep.open === 2);
    expect(both.length).toBeGreaterThan(0);
    for (const sleep of both) expect(sleep.ms).toBeGreaterThan(11_000);
    // alone, the roomy forge (~50 000 left) allows polls well under a second apart
    const alone = sleeps.filter((sleep) => sleep.open === 1);
    expect(alone.length).toBeGreaterThan(0);
    for (const sleep of alone) expect(sleep.ms).toBeLessThan(1_000);
    // each forge was read only for its own run, and each run until it completed
    expect(roomy.fake.requests.filter((request) => request.apiPath === `/repos/acme/m/actions/runs/${roomy.id}`).length).toBe(7);
    expect(tight.fake.requests.filter((request) => request.apiPath === `/repos/acme/m/actions/runs/${tight.id}`).length).toBe(3);
  });

  it('with endOnError, a run that cannot be read ends alone and the others are followed to their end', async () => {
    const good = await forge(50_000, 2);
    const bad = await forge(50_000, 2);
    bad.fake.fail({ status: 404, path: `/repos/acme/m/actions/runs/${bad.id}`, times: Number.POSITIVE_INFINITY });
    const { runs } = await watchMany(
      [
        { api: good.api, repo: good.repo, id: good.id },
        { api: bad.api, repo: bad.repo, id: bad.id },
      ],
      { intervalMs: 1, endOnError: true, sleep: async () => undefined },
    );
    expect(runs[0]).toMatchObject({ verdict: 'success' });
    expect(runs[1]).toMatchObject({ verdict: 'failed', error: expect.stringMatching(/404/) });
    await expect(watchMany([{ api: bad.api, repo: bad.repo, id: bad.id }], { intervalMs: 1, sleep: async () => undefined })).rejects.toThrow(/404/);
  });
});
