import { afterAll, describe, expect, it } from 'vitest';
import { measureLatency } from '../../../src/app/audit/latency.js';
import type { JobRecord, RunWithJobs } from '../../../src/core/lanes/types.js';
import { actionsRoutes } from '../../helpers/fake-actions.js';
import { startFakeForge, type FakeForge } from '../../helpers/fake-forge.js';
import { Sandbox } from '../../helpers/sandbox.js';

/**
 * A job is classed by the workflow file at the commit its run ran, not by today's:
 * a window can span a change that moved a job across the boundary.
 */
const TOKEN = ['fake', 'actions', 'read', 'token'].join('-');
const forges: FakeForge[] = [];
afterAll(async () => {
  for (const forge of forges) await forge.close();
});

const workflow = (lint: string) => `name: CI
on: [push, pull_request]
permissions:
  contents: read
jobs:
  lint:
    runs-on: [self-hosted, lab]
${lint}    steps:
      - uses: actions/checkout@v4
      - run: npm run lint
`;

const at = (seconds: number) => new Date(Date.parse('2026-11-30T08:00:00Z') + seconds * 1000).toISOString().replace('.000Z', 'Z');
function run(id: number, headSha: string): RunWithJobs {
  const job: JobRecord = {
    id: id * 100 + 1,
    runId: id,
    name: 'lint',
    labels: ['self-hosted', 'lab'],
    status: 'completed',
    conclusion: 'success',
    createdAt: at(id * 1000),
    startedAt: at(id * 1000 + 30),
    completedAt: at(id * 1000 + 90),
    steps: [{ name: 'Set up job', startedAt: at(id * 1000 + 30), completedAt: at(id * 1000 + 31) }],
  };
  return { run: { id, workflowPath: '.github/workflows/ci.yml', workflowName: 'CI', event: 'pull_request', headSha, createdAt: at(id * 1000), status: 'completed', conclusion: 'success' }, jobs: [job] };
}

describe('audit latency: classes from the workflow files at each run\'s commit', () => {
  it('an older commit where lint used an environment: local-only then, movable now; a commit the clone lacks falls back to the work tree', async () => {
    const repo = new Sandbox().repo();
    repo.write('.github/workflows/ci.yml', workflow('    environment: lint-reports\n'));
    repo.commit('Lint with an environment');
    const before = repo.git('rev-parse', 'HEAD');
    repo.write('.github/workflows/ci.yml', workflow(''));
    repo.commit('Lint needs nothing');
    const now = repo.git('rev-parse', 'HEAD');
    const history = [run(1, before), run(2, now), run(3, 'f'.repeat(40))];
    const server = await startFakeForge('github', { token: TOKEN, extraRoutes: actionsRoutes({ kind: 'github', repo: 'acme/app', history }) });
    server.addRepo({ owner: 'acme', name: 'app', private: true });
    forges.push(server);

    const { report } = await measureLatency({
      cwd: repo.dir,
      repo: server.remoteUrl('acme/app'),
      forge: 'github',
      apiUrl: server.apiUrl,
      since: '2026-11-30T00:00:00Z',
      limit: 100,
      pickup: 10,
      env: { GH_ENTERPRISE_TOKEN: TOKEN },
      now: new Date('2026-12-01T00:00:00Z'),
    });
    expect(report.baseline.jobs.map((job) => [job.runId, job.class, job.movable])).toEqual([
      [1, 'local-only', false],
      [2, 'external-safe', true],
      [3, 'external-safe', true],
    ]);
    expect(report.notes).toContain('1 of 3 run commits ran workflow files other than HEAD\'s: their jobs are classed by the files as they were then');
    expect(report.notes).toContain('1 of 3 run commits are not in this clone: their jobs were classed by the work tree\'s workflow files (fetch them to class each run by the files it ran)');
    // the what-if moves only what could move when it ran
    expect(report.whatIf.moved).toBe(2);
  });
});
