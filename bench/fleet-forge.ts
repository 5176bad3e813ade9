/**
 * The local forge of the fleet case (bench/cases/fleet.sh): the tests' fake forge
 * (test/helpers/fake-forge.ts, GitHub's REST shapes) with its Actions runs
 * (fake-actions-runs.ts), seeded with the case's mirrors, so `mirror fleet status`
 * reads real-shaped workflow runs and pull requests and every request is counted.
 * Bundled by esbuild at benchmark time (bench/.work/fleet/forge.mjs), run with node.
 *
 *   node forge.mjs COUNT INFO_FILE   (token in BENCH_FORGE_TOKEN)
 *
 * Writes `url apiUrl` to INFO_FILE once listening. Mirror i (m001 … mNNN, owner
 * acme) has a `mirror-sync-down.yml` run: success, failure for every 10th, none at
 * all (no workflow: GitHub's 404) for every 25th; every 7th has an open sync-down
 * pull request and one unrelated one. Two extra routes, outside the API's paths:
 *   GET  /__bench/requests  {"total": N, "perRepo": {"m001": 2, …}} since the last reset
 *   POST /__bench/reset
 */
import { writeFileSync } from 'node:fs';
import { attachActionsRuns } from '../test/helpers/fake-actions-runs.js';
import { startFakeForge } from '../test/helpers/fake-forge.js';

const [countArg, infoFile] = process.argv.slice(2);
const token = process.env.BENCH_FORGE_TOKEN;
if (!countArg || !infoFile || !token) throw new Error('usage: BENCH_FORGE_TOKEN=… node forge.mjs COUNT INFO_FILE');
const count = Number(countArg);
const mirrorName = (i: number) => `m${String(i).padStart(3, '0')}`;

const fake = await startFakeForge('github', { token });
// the case makes thousands of requests: never let the announced rate limit throttle a run
const actions = await attachActionsRuns(fake, { rateLimit: 1e9 });
for (let i = 1; i <= count; i++) {
  const name = mirrorName(i);
  fake.addRepo({ owner: 'acme', name, private: true });
  if (i % 25 !== 0) {
    actions.seedRun(`acme/${name}`, 'mirror-sync-down.yml', { conclusion: 'success', createdAt: '2026-03-01T00:00:00Z' });
    actions.seedRun(`acme/${name}`, 'mirror-sync-down.yml', { conclusion: i % 10 === 0 ? 'failure' : 'success', createdAt: '2026-03-02T00:00:00Z' });
  }
  if (i % 7 === 0) {
    fake.addPullRequest(`acme/${name}`, { head: 'mirror/sync-down-2026-03-02-0123abcd', title: 'Sync down' });
    fake.addPullRequest(`acme/${name}`, { head: 'feature/unrelated', title: 'Not a sync' });
  }
}
fake.use(({ method, apiPath }) => {
  if (apiPath === '/__bench/reset' && method === 'POST') {
    fake.resetLog();
    return { status: 204 };
  }
  if (apiPath === '/__bench/requests' && method === 'GET') {
    const perRepo: Record<string, number> = {};
    let total = 0;
    for (const request of fake.requests) {
      const repo = /^\/repos\/acme\/([^/]+)/.exec(request.apiPath)?.[1];
      if (!repo) continue;
      perRepo[repo] = (perRepo[repo] ?? 0) + 1;
      total++;
    }
    return { status: 200, body: { total, perRepo } };
  }
  return undefined;
});
writeFileSync(infoFile, `${fake.url} ${fake.apiUrl}\n`);
const stop = () => void Promise.all([actions.close(), fake.close()]).finally(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
