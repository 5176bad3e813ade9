import type { JobRecord, RunWithJobs } from '../../src/core/lanes/types.js';

/**
 * Workflow runs and jobs for the fake forge (plugged in through `extraRoutes`), in the
 * real endpoints' shapes: GitHub `GET /repos/{o}/{r}/actions/runs` (`workflow_runs`,
 * `total_count`, `per_page`/`page`, `created=>=…`) and `…/runs/{id}/jobs` (`jobs`);
 * Gitea/Forgejo the same under /api/v1 with `limit`/`page`. Includes the pitfalls
 * the reader must handle: a job whose `started_at` equals its `created_at` while its
 * steps started later (actions/runner#1881), a job with no steps on a completed
 * run, a negative queue gap, and pagination.
 */

const T0 = Date.parse('2026-11-30T08:00:00Z') / 1000;
const iso = (seconds: number) => new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');

interface JobSpec {
  name: string;
  labels: string[];
  /** seconds after the run's creation */
  created: number;
  started: number;
  completed: number;
  /** report started_at = created_at, with the first step at `started` */
  startedAtPitfall?: boolean;
  noSteps?: boolean;
}

function job(runId: number, index: number, base: number, spec: JobSpec): JobRecord {
  const created = base + spec.created;
  const started = base + spec.started;
  return {
    id: runId * 100 + index,
    runId,
    name: spec.name,
    labels: spec.labels,
    status: 'completed',
    conclusion: 'success',
    createdAt: iso(created),
    startedAt: iso(spec.startedAtPitfall ? created : started),
    completedAt: iso(base + spec.completed),
    steps: spec.noSteps ? [] : [{ name: 'Set up job', startedAt: iso(started), completedAt: iso(started + 1) }],
  };
}

function run(id: number, at: number, workflowPath: string, specs: JobSpec[]): RunWithJobs {
  const base = T0 + at;
  return {
    run: { id, workflowPath, workflowName: workflowPath.replace(/^.*\//, ''), event: 'pull_request', headSha: `${id}`.padStart(40, 'a'), createdAt: iso(base), status: 'completed', conclusion: 'success' },
    jobs: specs.map((spec, index) => job(id, index + 1, base, spec)),
  };
}

const LAB = ['self-hosted', 'lab'];

/**
 * "Small jobs wait minutes behind heavy ones" on the single-runner repository: every
 * 1000 s a CI run; lint (60 s) first, e2e (300 s), unit (120 s) last, all on the one
 * lab runner. Run 3's unit job shows the started_at pitfall; run 3 also has a
 * never-run job with no steps; a hosted job gives a lane the replay leaves out.
 */
export function goHistory(): RunWithJobs[] {
  return [1, 2, 3].map((n) =>
    run(n, (n - 1) * 1000, '.github/workflows/ci.yml', [
      { name: 'lint', labels: LAB, created: 0, started: 0, completed: 60 },
      { name: 'e2e', labels: LAB, created: 0, started: 60, completed: 360 },
      { name: 'unit', labels: LAB, created: 0, started: 360, completed: 480, ...(n === 3 ? { startedAtPitfall: true } : {}) },
      ...(n === 3 ? [{ name: 'gpu-bench', labels: [...LAB, 'gpu'], created: 0, started: 0, completed: 0, noSteps: true }] : []),
      ...(n === 1 ? [{ name: 'hosted-check', labels: ['ubuntu-latest'], created: 0, started: 5, completed: 35 }] : []),
    ]),
  );
}

/** A well-provisioned single runner: every job picked up in about a second. */
export function noGoHistory(): RunWithJobs[] {
  return [1, 2, 3, 4].map((n) =>
    run(n, (n - 1) * 1000, '.github/workflows/ci.yml', [
      { name: 'lint', labels: LAB, created: 0, started: 1, completed: 61 },
      { name: 'unit', labels: LAB, created: 100, started: 101, completed: 221 },
      { name: 'e2e', labels: LAB, created: 300, started: 302, completed: 602 },
    ]),
  );
}

/** A run's JSON as the forge sends it (GitHub's names; Gitea and Forgejo copy them). */
function runJson(entry: RunWithJobs): Record<string, unknown> {
  const { run: r } = entry;
  return { id: r.id, name: r.workflowName, path: r.workflowPath, event: r.event, head_sha: r.headSha, created_at: r.createdAt, run_started_at: r.createdAt, status: r.status, conclusion: r.conclusion };
}

function jobJson(j: JobRecord): Record<string, unknown> {
  return {
    id: j.id,
    run_id: j.runId,
    name: j.name,
    labels: j.labels,
    status: j.status,
    conclusion: j.conclusion,
    created_at: j.createdAt,
    started_at: j.startedAt,
    completed_at: j.completedAt,
    steps: j.steps.map((step, index) => ({ name: step.name, number: index + 1, status: 'completed', conclusion: 'success', started_at: step.startedAt, completed_at: step.completedAt })),
  };
}

export interface ActionsRoutesOptions {
  kind: 'github' | 'forgejo';
  /** `owner/name` */
  repo: string;
  history: RunWithJobs[];
  /** Forgejo/Gitea only: answer 404 as a server without the runs API does */
  noRunsApi?: boolean;
  /** the server's own page cap (Gitea/Forgejo MAX_RESPONSE_ITEMS), below what clients ask */
  maxPageSize?: number;
}

/** The `extraRoutes` hook for `startFakeForge`. */
export function actionsRoutes(options: ActionsRoutesOptions) {
  const prefix = `/repos/${options.repo}/actions/runs`;
  // newest first, as the forges list them
  const runs = [...options.history].sort((a, b) => Date.parse(b.run.createdAt) - Date.parse(a.run.createdAt) || b.run.id - a.run.id);
  const pageOf = <T>(items: T[], query: Record<string, string>): T[] => {
    const size = Math.min(options.kind === 'github' ? Math.min(Number(query.per_page ?? 30) || 30, 100) : Math.min(Number(query.limit ?? 30) || 30, 50), options.maxPageSize ?? Infinity);
    const number = Math.max(1, Number(query.page ?? 1) || 1);
    return items.slice((number - 1) * size, number * size);
  };
  return ({ method, apiPath, query, authenticated }: { method: string; apiPath: string; query: Record<string, string>; authenticated: boolean }) => {
    if (method !== 'GET' || !apiPath.toLowerCase().startsWith(prefix.toLowerCase())) return undefined;
    // the repositories these histories belong to are private, as the forges treat them
    if (!authenticated) return { status: 404, body: { message: 'Not Found' } };
    if (options.noRunsApi) return { status: 404, body: { message: 'Not Found' } };
    const rest = apiPath.slice(prefix.length);
    if (rest === '') {
      let list = runs;
      const created = query.created?.match(/^>=(.+)$/)?.[1];
      if (created) list = list.filter((entry) => Date.parse(entry.run.createdAt) >= Date.parse(created));
      return { status: 200, body: { total_count: list.length, workflow_runs: pageOf(list, query).map(runJson) } };
    }
    const jobs = /^\/(\d+)\/jobs$/.exec(rest);
    if (jobs) {
      const entry = runs.find((candidate) => candidate.run.id === Number(jobs[1]));
      if (!entry) return { status: 404, body: { message: 'Not Found' } };
      return { status: 200, body: { total_count: entry.jobs.length, jobs: pageOf(entry.jobs, query).map(jobJson) } };
    }
    return undefined;
  };
}
