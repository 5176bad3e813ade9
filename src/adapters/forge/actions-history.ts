import { ExitCode, MirrorError } from '../../errors.js';
import type { JobRecord, RunRecord, RunWithJobs } from '../../core/lanes/types.js';
import type { ClientOptions } from './common.js';
import { createForgejoRequester } from './forgejo-request.js';
import { isForgeError } from './http.js';
import { createOctokitClient } from './octokit-client.js';
import type { ForgeKind, RepoRef } from './types.js';

/**
 * Workflow runs and their jobs over a window, for `mirror audit latency` / `audit lanes`.
 * Reading only: a token with Actions read (GitHub `actions: read`, Forgejo/Gitea
 * `read:repository`) is enough.
 *
 * - GitHub / GHE (Octokit): `GET /repos/{o}/{r}/actions/runs?created=>=SINCE&exclude_pull_requests=true`
 *   (`per_page` ≤ 100; a filtered list stops at 1,000 runs, reported as a note) and
 *   `GET /repos/{o}/{r}/actions/runs/{id}/jobs`.
 * - Gitea ≥ 1.24 and Forgejo versions with the same endpoints under `/api/v1` (`limit`, `page`).
 *   A server without them answers 404: that becomes "this forge version lacks the
 *   Actions runs API", exit 2, never an empty history.
 * Rate limits: every request goes through the shared retry helper, which waits for
 * the reset (primary limit) or `retry-after` (secondary) within its budget.
 */
export interface HistoryQuery {
  /** runs created at or after this instant */
  since: Date;
  /** at most this many runs (newest first) */
  limit: number;
  /** called after each page of runs and each run's jobs */
  onProgress?: (progress: { runs: number; jobsOf: number }) => void;
}

export interface History {
  runs: RunWithJobs[];
  notes: string[];
}

interface RunJson {
  id: number;
  name?: string | null;
  path?: string | null;
  event?: string;
  head_sha?: string;
  created_at: string;
  status?: string | null;
  conclusion?: string | null;
}
interface JobJson {
  id: number;
  run_id?: number;
  name: string;
  labels?: string[];
  status?: string;
  conclusion?: string | null;
  created_at?: string;
  started_at?: string | null;
  completed_at?: string | null;
  steps?: { name?: string; started_at?: string | null; completed_at?: string | null }[];
}

type GetJson = <T>(segments: string[], query: Record<string, string | number>) => Promise<T>;

const GITHUB_FILTERED_CAP = 1000;

function toRun(data: RunJson): RunRecord {
  return {
    id: data.id,
    ...(data.path ? { workflowPath: data.path.replace(/@.*$/, '') } : {}),
    workflowName: data.name ?? '',
    event: data.event ?? '',
    headSha: data.head_sha ?? '',
    createdAt: data.created_at,
    status: data.status ?? 'unknown',
    conclusion: data.conclusion ?? null,
  };
}

function toJob(data: JobJson, runId: number): JobRecord {
  return {
    id: data.id,
    runId: data.run_id ?? runId,
    name: data.name,
    labels: data.labels ?? [],
    status: data.status ?? 'unknown',
    conclusion: data.conclusion ?? null,
    createdAt: data.created_at ?? '',
    startedAt: data.started_at ?? null,
    completedAt: data.completed_at ?? null,
    steps: (data.steps ?? []).map((step) => ({ name: step.name ?? '', startedAt: step.started_at ?? null, completedAt: step.completed_at ?? null })),
  };
}

/** Reads the window: runs newest first, then each run's jobs. */
export async function readActionsHistory(kind: ForgeKind, client: ClientOptions, repo: RepoRef, query: HistoryQuery): Promise<History> {
  const get = kind === 'github' ? await githubGetter(client) : forgejoGetter(client);
  const pageSize = kind === 'github' ? 100 : 50;
  const pageParam = kind === 'github' ? 'per_page' : 'limit';
  const since = query.since.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const notes: string[] = [];
  const runs: RunRecord[] = [];
  const base = ['repos', repo.owner, repo.name, 'actions', 'runs'];
  // a server may cap pages below what was asked (Gitea/Forgejo MAX_RESPONSE_ITEMS): the total decides, not a short page
  const more = (got: number, seen: number, total: number | undefined) => got > 0 && (typeof total === 'number' ? seen < total : got >= pageSize);
  let listed = 0;
  try {
    for (let page = 1; runs.length < query.limit; page++) {
      const filter: Record<string, string | number> = kind === 'github' ? { created: `>=${since}`, exclude_pull_requests: 'true' } : {};
      const data = await get<{ workflow_runs?: RunJson[]; total_count?: number }>(base, { ...filter, [pageParam]: pageSize, page });
      const batch = (data.workflow_runs ?? []).map(toRun);
      listed += batch.length;
      // Gitea/Forgejo have no created filter: stop at the first run older than the window
      const inWindow = batch.filter((run) => Date.parse(run.createdAt) >= query.since.getTime());
      runs.push(...inWindow.slice(0, query.limit - runs.length));
      query.onProgress?.({ runs: runs.length, jobsOf: 0 });
      if (!more(batch.length, listed, data.total_count) || inWindow.length < batch.length) break;
      if (kind === 'github' && page * pageSize >= GITHUB_FILTERED_CAP) {
        notes.push(`GitHub lists at most ${GITHUB_FILTERED_CAP} runs for a filtered query: the window was cut there; narrow --since`);
        break;
      }
    }
  } catch (error) {
    throw lacking(kind, error, 'the Actions runs API (GET /repos/{owner}/{repo}/actions/runs)');
  }
  if (runs.length >= query.limit) notes.push(`stopped at --limit ${query.limit} runs`);
  const withJobs: RunWithJobs[] = [];
  for (const run of runs) {
    const jobs: JobRecord[] = [];
    try {
      for (let page = 1; ; page++) {
        const data = await get<{ jobs?: JobJson[]; total_count?: number }>([...base, String(run.id), 'jobs'], { [pageParam]: pageSize, page });
        const batch = data.jobs ?? [];
        jobs.push(...batch.map((job) => toJob(job, run.id)));
        if (!more(batch.length, jobs.length, data.total_count)) break;
      }
    } catch (error) {
      throw lacking(kind, error, 'the Actions jobs API (GET /repos/{owner}/{repo}/actions/runs/{id}/jobs)');
    }
    withJobs.push({ run, jobs });
    query.onProgress?.({ runs: runs.length, jobsOf: withJobs.length });
  }
  return { runs: withJobs, notes };
}

function lacking(kind: ForgeKind, error: unknown, what: string): unknown {
  if (kind !== 'github' && isForgeError(error) && error.code === 'forge-not-found') {
    return new MirrorError('forge-lacks-actions-api', `this forge version lacks ${what}`, {
      exitCode: ExitCode.usage,
      suggestions: ['Gitea 1.24 and later, and Forgejo versions with the runs and jobs endpoints, have it; check GET /api/v1/version', 'or check the repository name and that Actions are enabled for it'],
    });
  }
  return error;
}

async function githubGetter(client: ClientOptions): Promise<GetJson> {
  const { octokit } = await createOctokitClient(client);
  return async <T>(segments: string[], query: Record<string, string | number>) => {
    const path = `/${segments.map(encodeURIComponent).join('/')}`;
    return (await octokit.request(`GET ${path}`, query)).data as T;
  };
}

function forgejoGetter(client: ClientOptions): GetJson {
  const { call } = createForgejoRequester(client);
  return async <T>(segments: string[], query: Record<string, string | number>) =>
    (await call<T>('GET', `/${segments.map(encodeURIComponent).join('/')}`, query)).data;
}
