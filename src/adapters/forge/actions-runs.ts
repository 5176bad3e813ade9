import type { ArtifactInfo, JobSnapshot, RunSnapshot } from '../../core/run/types.js';
import { ExitCode, MirrorError } from '../../errors.js';
import { rateLimitFrom, type ActionsRunsApi, type RateLimitState } from './actions-runs-types.js';
import type { ClientOptions } from './common.js';
import { isForgeError } from './http.js';
import { createOctokitClient } from './octokit-client.js';
import { fetchFromStorage } from './storage.js';

/* GitHub's run, job and artifact JSON, the fields read (shared with Gitea's look-alike API). */
export interface RunJson {
  id: number;
  run_number?: number;
  display_title?: string;
  name?: string;
  path?: string;
  event?: string;
  status?: string | null;
  conclusion?: string | null;
  head_branch?: string | null;
  head_sha?: string;
  url: string;
  html_url: string;
  created_at?: string;
  run_started_at?: string;
  started_at?: string;
  updated_at?: string;
}
export interface JobJson {
  id: number;
  name: string;
  status?: string;
  conclusion?: string | null;
  labels?: string[];
  runner_name?: string | null;
  created_at?: string;
  started_at?: string | null;
  completed_at?: string | null;
  steps?: Array<{ number: number; name: string; status?: string; conclusion?: string | null; started_at?: string | null; completed_at?: string | null }>;
}
export interface ArtifactJson {
  id: number;
  name: string;
  size_in_bytes?: number;
  expired?: boolean;
  expires_at?: string | null;
  digest?: string | null;
}

const opt = (value: string | null | undefined) => (value ? value : undefined);

/** Whether a run's workflow path (`.forgejo/workflows/x.yml`, `x.yml`) is the workflow file named; a run without one could be. */
export function isRunOf(path: string | undefined, workflow: string): boolean {
  return !path || path === workflow || path.endsWith(`/${workflow}`);
}

export function runFromJson(data: RunJson): RunSnapshot {
  return {
    id: data.id,
    ...(data.run_number !== undefined ? { number: data.run_number } : {}),
    title: data.display_title ?? data.name ?? '',
    ...(data.path ? { workflowPath: data.path } : {}),
    ...(data.event ? { event: data.event } : {}),
    status: data.status ?? 'queued',
    conclusion: data.conclusion ?? null,
    ...(opt(data.head_branch) ? { branch: data.head_branch! } : {}),
    ...(data.head_sha ? { sha: data.head_sha } : {}),
    url: data.url,
    htmlUrl: data.html_url,
    ...(opt(data.created_at) ? { createdAt: data.created_at } : {}),
    ...(opt(data.run_started_at ?? data.started_at) ? { startedAt: (data.run_started_at ?? data.started_at)! } : {}),
    ...(opt(data.updated_at) ? { updatedAt: data.updated_at } : {}),
  };
}

export function jobFromJson(data: JobJson): JobSnapshot {
  return {
    id: data.id,
    name: data.name,
    status: data.status ?? 'queued',
    conclusion: data.conclusion ?? null,
    labels: data.labels ?? [],
    ...(opt(data.runner_name) ? { runnerName: data.runner_name! } : {}),
    ...(opt(data.created_at) ? { createdAt: data.created_at } : {}),
    ...(opt(data.started_at) ? { startedAt: data.started_at! } : {}),
    ...(opt(data.completed_at) ? { completedAt: data.completed_at! } : {}),
    steps: (data.steps ?? []).map((step) => ({
      number: step.number,
      name: step.name,
      status: step.status ?? 'queued',
      conclusion: step.conclusion ?? null,
      ...(opt(step.started_at) ? { startedAt: step.started_at! } : {}),
      ...(opt(step.completed_at) ? { completedAt: step.completed_at! } : {}),
    })),
  };
}

export function artifactFromJson(data: ArtifactJson): ArtifactInfo {
  return {
    id: data.id,
    name: data.name,
    sizeInBytes: data.size_in_bytes ?? 0,
    expired: data.expired === true,
    ...(opt(data.expires_at) ? { expiresAt: data.expires_at! } : {}),
    ...(opt(data.digest) ? { digest: data.digest! } : {}),
  };
}

export function expiredArtifactError(name: string, endpoint: string): MirrorError {
  return new MirrorError('run-artifact-expired', `artifact ${name} has expired: the forge no longer keeps it (${endpoint})`, {
    exitCode: ExitCode.usage,
    suggestions: ['run the experiment again, and set a longer retention (the template\'s retention_days input)'],
  });
}

/**
 * GitHub and GitHub Enterprise through Octokit (loaded on first use). Polled
 * reads (a run, its jobs) are conditional: a 304 answer costs no rate limit.
 */
export async function createGitHubActionsRuns(options: ClientOptions): Promise<ActionsRunsApi> {
  let lastLimit: RateLimitState | undefined;
  const { octokit, retry, context, timeoutMs } = await createOctokitClient(options, {
    conditionalGets: true,
    onHeaders: (headers) => {
      lastLimit = rateLimitFrom(headers) ?? lastLimit;
    },
  });

  const base = (repo: { owner: string; name: string }) => ({ owner: repo.owner, repo: repo.name });

  /** Follows a download endpoint's redirect by hand, so the token stays with GitHub. */
  async function redirected(route: string, params: Record<string, unknown>): Promise<Uint8Array> {
    const response = await octokit.request(route, { ...params, request: { redirect: 'manual' } });
    const location = (response.headers as Record<string, string | undefined>).location;
    if (response.status >= 300 && response.status < 400 && location) return fetchFromStorage(location, retry, context, timeoutMs);
    // a server that answers with the bytes directly
    const data = response.data as unknown;
    if (data instanceof ArrayBuffer) return new Uint8Array(data);
    if (typeof data === 'string') return new TextEncoder().encode(data);
    throw new MirrorError('run-download-failed', `GitHub answered ${response.status} without a download location for ${route}`, { exitCode: ExitCode.internal });
  }

  return {
    kind: 'github',

    async dispatch(repo, { workflow, ref, inputs }) {
      const route = 'POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches';
      try {
        const response = await octokit.request(route, { ...base(repo), workflow_id: workflow, ref, inputs, return_run_details: true });
        const data = (response.data ?? {}) as { workflow_run_id?: number; run_url?: string; html_url?: string };
        if ((response.status as number) === 200 && typeof data.workflow_run_id === 'number') {
          return { runId: data.workflow_run_id, ...(data.run_url ? { url: data.run_url } : {}), ...(data.html_url ? { htmlUrl: data.html_url } : {}) };
        }
        return {};
      } catch (error) {
        // a server from before return_run_details may refuse the unknown key: dispatch the old way (204)
        if (isForgeError(error) && error.status === 422 && /return_run_details/i.test(error.serverMessage ?? '')) {
          await octokit.request(route, { ...base(repo), workflow_id: workflow, ref, inputs });
          return {};
        }
        throw error;
      }
    },

    async run(repo, id) {
      const { data } = await octokit.request('GET /repos/{owner}/{repo}/actions/runs/{run_id}', { ...base(repo), run_id: id });
      return runFromJson(data as unknown as RunJson);
    },

    async jobs(repo, runId) {
      const jobs: JobSnapshot[] = [];
      for (let page = 1; page <= 10; page++) {
        const { data } = await octokit.request('GET /repos/{owner}/{repo}/actions/runs/{run_id}/jobs', { ...base(repo), run_id: runId, per_page: 100, page });
        const batch = (data as unknown as { jobs: JobJson[]; total_count?: number }).jobs ?? [];
        jobs.push(...batch.map(jobFromJson));
        if (batch.length < 100) break;
      }
      return jobs;
    },

    async artifacts(repo, runId) {
      const { data } = await octokit.request('GET /repos/{owner}/{repo}/actions/runs/{run_id}/artifacts', { ...base(repo), run_id: runId, per_page: 100 });
      return ((data as unknown as { artifacts: ArtifactJson[] }).artifacts ?? []).map(artifactFromJson);
    },

    async downloadArtifact(repo, artifact) {
      try {
        return await redirected('GET /repos/{owner}/{repo}/actions/artifacts/{artifact_id}/{archive_format}', { ...base(repo), artifact_id: artifact.id, archive_format: 'zip' });
      } catch (error) {
        // 410 Gone: "Artifact has expired" (the text has changed over time; the status has not)
        if (isForgeError(error) && error.status === 410) throw expiredArtifactError(artifact.name, error.endpoint);
        throw error;
      }
    },

    async jobLog(repo, jobId) {
      const bytes = await redirected('GET /repos/{owner}/{repo}/actions/jobs/{job_id}/logs', { ...base(repo), job_id: jobId });
      return new TextDecoder().decode(bytes);
    },

    async recentRuns(repo, { workflow, limit, event }) {
      const per_page = Math.max(1, Math.min(100, limit));
      const query = { ...base(repo), per_page, exclude_pull_requests: true, ...(event ? { event } : {}) };
      const { data } = workflow
        ? await octokit.request('GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs', { ...query, workflow_id: workflow })
        : await octokit.request('GET /repos/{owner}/{repo}/actions/runs', query);
      return ((data as unknown as { workflow_runs: RunJson[] }).workflow_runs ?? []).map(runFromJson);
    },

    rateLimit: () => lastLimit,
  };
}
