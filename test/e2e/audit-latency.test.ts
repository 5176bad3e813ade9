import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LatencyReport } from '../../src/app/audit/latency.js';
import { packageRoot } from '../../src/paths.js';
import { actionsRoutes, goHistory } from '../helpers/fake-actions.js';
import { startFakeForge, type FakeForge } from '../helpers/fake-forge.js';
import { Sandbox, type Repo } from '../helpers/sandbox.js';

const TOKEN = ['fake', 'actions', 'read', 'token'].join('-');
const sandbox = new Sandbox();
const forges: FakeForge[] = [];
afterAll(async () => {
  for (const forge of forges) await forge.close();
});

function singleRunnerRepo(dir: '.github/workflows' | '.forgejo/workflows' = '.github/workflows'): Repo {
  const repo = sandbox.repo();
  const fixtures = join(packageRoot, 'fixtures', 'workflows', 'single-runner');
  for (const name of readdirSync(fixtures)) repo.write(`${dir}/${name}`, readFileSync(join(fixtures, name)));
  repo.commit('Workflows');
  return repo;
}

async function forge(kind: 'github' | 'forgejo', extra: Partial<Parameters<typeof actionsRoutes>[0]> = {}): Promise<FakeForge> {
  const server = await startFakeForge(kind, { token: TOKEN, extraRoutes: actionsRoutes({ kind, repo: 'acme/app', history: goHistory(), ...extra }) });
  server.addRepo({ owner: 'acme', name: 'app', private: true });
  forges.push(server);
  return server;
}

describe('mirror audit latency (the built CLI against the fake forge)', () => {
  it('GitHub: the exact baseline and what-if of the go history, with a read-only token', async () => {
    const server = await forge('github');
    const repo = singleRunnerRepo();
    // not github.com: the token comes from GH_ENTERPRISE_TOKEN
    const env = { GH_ENTERPRISE_TOKEN: TOKEN, GITHUB_API_URL: '', GITHUB_SERVER_URL: '' };
    const run = await repo.mirrorAsync(['audit', 'latency', '--json', '--since', '2026-11-30T00:00:00Z', '--repo', server.remoteUrl('acme/app'), '--forge', 'github', '--api-url', server.apiUrl], { env });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as LatencyReport;
    expect(report.window.runs).toBe(3);
    // the synthetic history's commits are not in the test clone: classed by the work tree, and said so
    expect(report.notes).toEqual(["3 of 3 run commits are not in this clone: their jobs were classed by the work tree's workflow files (fetch them to class each run by the files it ran)"]);
    expect(report.baseline.byLane.map((g) => [g.key, g.queue.p50, g.queue.p95, g.queue.max, g.run.p95, g.queuedShare])).toEqual([
      ['[lab, self-hosted]', 60, 360, 360, 300, 1260 / 2700],
      ['[ubuntu-latest]', 5, 5, 5, 30, 5 / 35],
    ]);
    expect(report.whatIf).toMatchObject({ moved: 6, remaining: { before: { p95: 60 }, after: { p95: 0 } }, movedQueue: { before: { p95: 360 }, after: { p95: 70 } } });
    const listed = server.requests.filter((r) => r.apiPath === '/repos/acme/app/actions/runs');
    expect(listed[0]!.query).toMatchObject({ created: '>=2026-11-30T00:00:00Z', per_page: '100', page: '1', exclude_pull_requests: 'true' });
    expect(server.requests.every((r) => r.method === 'GET' && r.auth === 'valid')).toBe(true);
    expect(run.stdout).not.toContain(TOKEN);
  });

  it('table output: lanes, classes and the what-if sentence', async () => {
    const server = await forge('github');
    const repo = singleRunnerRepo();
    const run = await repo.mirrorAsync(['audit', 'latency', '--since', '2026-11-30', '--pickup', '10', '--repo', server.remoteUrl('acme/app'), '--forge', 'github', '--api-url', server.apiUrl], { env: { GH_ENTERPRISE_TOKEN: TOKEN } });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^LANE +JOBS +QUEUE p50 +p95 +max +RUN p50 +p95 +QUEUED\n\[lab, self-hosted\] +9 +60 s +6 m 0 s +6 m 0 s +2 m 0 s +5 m 0 s +46\.7 %\n\[ubuntu-latest\] +1 +5 s +5 s +5 s +30 s +30 s +14\.3 %$/m);
    expect(run.stdout).toContain(
      "what-if: if the 6 external-safe jobs moved to an external lane with pickup 10 s, the p95 queue of the remaining local-only jobs would go from 60 s to 0 s and the external-safe jobs' from 6 m 0 s to 70 s",
    );
    expect(run.stdout).toContain("note       1 job reported started_at equal to created_at (actions/runner#1881): their queue time runs to the first step's start");
  });

  it('Forgejo/Gitea: pages through a server that caps pages below the request; --limit stops early', async () => {
    const server = await forge('forgejo', { maxPageSize: 2 });
    const repo = singleRunnerRepo('.forgejo/workflows');
    const base = ['audit', 'latency', '--json', '--since', '2026-11-30', '--repo', server.remoteUrl('acme/app'), '--forge', 'forgejo', '--api-url', server.apiUrl];
    const all = await repo.mirrorAsync(base, { env: { FORGEJO_TOKEN: TOKEN } });
    expect(all.code).toBe(0);
    const report = JSON.parse(all.stdout) as LatencyReport;
    expect(report.window.runs).toBe(3);
    expect(report.baseline.jobs.length).toBe(10);
    expect(report.baseline.byClass.find((g) => g.key === 'external-safe')!.queue).toEqual({ count: 6, p50: 0, p95: 360, max: 360 });
    const limited = JSON.parse((await repo.mirrorAsync([...base, '--limit', '1'], { env: { FORGEJO_TOKEN: TOKEN } })).stdout) as LatencyReport;
    expect(limited.window.runs).toBe(1);
    expect(limited.notes).toContain('stopped at --limit 1 runs');
  });

  it('a Forgejo/Gitea version without the runs API: exit 2 saying so, never an empty baseline', async () => {
    const server = await forge('forgejo', { noRunsApi: true });
    const run = await singleRunnerRepo('.forgejo/workflows').mirrorAsync(['audit', 'latency', '--repo', server.remoteUrl('acme/app'), '--forge', 'forgejo', '--api-url', server.apiUrl], { env: { FORGEJO_TOKEN: TOKEN } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('this forge version lacks the Actions runs API (GET /repos/{owner}/{repo}/actions/runs)');
  });

  it('a rate limit is waited out (retry-after), then the figures are the same', async () => {
    const server = await forge('github');
    server.fail({ status: 429, headers: { 'retry-after': '0' }, path: /\/actions\/runs\/\d+\/jobs$/, times: 1 });
    const run = await singleRunnerRepo().mirrorAsync(['audit', 'latency', '--json', '--since', '2026-11-30', '--repo', server.remoteUrl('acme/app'), '--forge', 'github', '--api-url', server.apiUrl], {
      env: { GH_ENTERPRISE_TOKEN: TOKEN, MIRROR_FORGE_RETRY_DELAY_MS: '1' },
    });
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as LatencyReport).baseline.jobs.length).toBe(10);
  });

  it('a private repository without a token: the forge answers 404, exit 2', async () => {
    const server = await forge('github');
    const run = await singleRunnerRepo().mirrorAsync(['audit', 'latency', '--repo', server.remoteUrl('acme/app'), '--forge', 'github', '--api-url', server.apiUrl], { env: { GH_ENTERPRISE_TOKEN: '', GITHUB_TOKEN: '' } });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/404/);
  });

  it('a bad --since is a usage error', async () => {
    const run = await singleRunnerRepo().mirrorAsync(['audit', 'latency', '--since', 'last week']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('cannot read --since last week');
  });
});
