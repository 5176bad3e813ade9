import type { JobSnapshot } from '../../core/run/types.js';
import { ExitCode, MirrorError } from '../../errors.js';
import { artifactFromJson, expiredArtifactError, jobFromJson, runFromJson, type ArtifactJson, type JobJson, type RunJson } from './actions-runs.js';
import { rateLimitFrom, type ActionsRunsApi, type RateLimitState } from './actions-runs-types.js';
import { USER_AGENT, type ClientOptions } from './common.js';
import { DEFAULT_RETRY, FailedAttempt, isForgeError, networkCodeOf, realSleep, retriedRequest, serverMessageOf, type ErrorContext } from './http.js';
import { fetchFromStorage } from './storage.js';
import type { RepoRef } from './types.js';

/*
 * Forgejo and Gitea Actions (`/api/v1`), with plain fetch. What differs from GitHub:
 * - dispatch (Gitea 1.24, Forgejo): `return_run_info: true` makes Forgejo 11+ answer
 *   201 `{ id, run_number, jobs }`; Gitea ignores it and answers 204 (find the run
 *   through run-name);
 * - runs, jobs and artifacts arrived late and in GitHub's shapes (Gitea 1.24;
 *   Forgejo's native runs list later): an older server answers them with a plain
 *   404, turned here into "this forge version lacks X";
 * - web pages of a run are addressed by its number, not its id.
 */

type Query = Record<string, string | number | boolean | undefined>;

interface Answer<T> {
  status: number;
  data: T;
  headers: Record<string, string>;
  bytes: Uint8Array;
}

export async function createForgejoActionsRuns(options: ClientOptions): Promise<ActionsRunsApi> {
  const base = options.apiUrl.replace(/\/+$/, '');
  const basePath = new URL(base).pathname.replace(/\/+$/, '');
  const policy = options.retry ?? DEFAULT_RETRY;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const sleep = options.sleep ?? realSleep;
  const token = options.token;
  const context: ErrorContext = { kind: 'forgejo', authenticated: token !== undefined, secrets: token ? [token] : [] };
  let lastLimit: RateLimitState | undefined;

  async function call<T>(method: string, relative: string, query: Query = {}, body?: unknown, manual = false): Promise<Answer<T>> {
    const url = new URL(base + relative);
    for (const [key, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(key, String(value));
    const path = basePath + relative;
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': USER_AGENT };
    if (token) headers.authorization = `token ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    return retriedRequest(
      async () => {
        let response: Response;
        try {
          // manual: a download's redirect goes to storage, which must not get the token
          response = await fetch(url, {
            method,
            headers,
            body: body === undefined ? undefined : JSON.stringify(body),
            signal: AbortSignal.timeout(timeoutMs),
            redirect: manual ? 'manual' : 'follow',
          });
        } catch (error) {
          throw new FailedAttempt({ method, path, headers: {}, networkCode: networkCodeOf(error) ?? 'no response' });
        }
        const answered = Object.fromEntries([...response.headers].map(([name, value]) => [name.toLowerCase(), value]));
        lastLimit = rateLimitFrom(answered) ?? lastLimit;
        const bytes = new Uint8Array(await response.arrayBuffer().catch(() => new ArrayBuffer(0)));
        const text = new TextDecoder().decode(bytes);
        let data: unknown = text;
        try {
          data = text ? JSON.parse(text) : undefined;
        } catch {
          // not JSON (a log, a zip): the bytes are what counts
        }
        const redirect = manual && response.status >= 300 && response.status < 400;
        if (!response.ok && !redirect) {
          throw new FailedAttempt({ method, path, status: response.status, headers: answered, serverMessage: serverMessageOf(data) });
        }
        return { status: response.status, data: data as T, headers: answered, bytes };
      },
      { policy, sleep },
      context,
    );
  }

  const repoPath = (repo: RepoRef) => `/repos/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}`;

  let version: string | undefined;
  async function serverVersion(): Promise<string> {
    if (version === undefined) {
      try {
        version = (await call<{ version?: string }>('GET', '/version')).data?.version ?? 'unknown';
      } catch {
        version = 'unknown';
      }
    }
    return version;
  }

  /** A 404 from an Actions endpoint: the thing is missing, or this server has no such endpoint at all. */
  async function lacking(error: unknown, repo: RepoRef, feature: string, needs: string): Promise<never> {
    if (isForgeError(error) && error.status === 404) {
      const probe = await call('GET', `${repoPath(repo)}/actions/runs`, { limit: 1 }).then(
        () => true,
        () => false,
      );
      if (!probe || feature === 'workflow dispatch') {
        const shown = await serverVersion();
        if (!probe) {
          throw new MirrorError('forge-lacks-feature', `this forge version (${shown}) lacks ${feature} through its API (${needs})`, {
            exitCode: ExitCode.usage,
            suggestions: ['upgrade the forge, or use its web interface for this step', 'the README lists which versions have which Actions endpoints'],
          });
        }
      }
    }
    throw error;
  }

  async function download(repo: RepoRef, relative: string): Promise<Uint8Array> {
    const answer = await call<unknown>('GET', relative, {}, undefined, true);
    const location = answer.headers.location;
    if (answer.status >= 300 && answer.status < 400 && location) return fetchFromStorage(new URL(location, base).toString(), { policy, sleep }, context, timeoutMs);
    return answer.bytes;
  }

  return {
    kind: 'forgejo',

    async dispatch(repo, { workflow, ref, inputs }) {
      try {
        const answer = await call<{ id?: number; run_number?: number } | undefined>(
          'POST',
          `${repoPath(repo)}/actions/workflows/${encodeURIComponent(workflow)}/dispatches`,
          {},
          { ref, inputs, return_run_info: true },
        );
        const id = answer.data && typeof answer.data === 'object' ? answer.data.id : undefined;
        if (typeof id !== 'number') return {};
        const web = base.replace(/\/api\/v1$/, '');
        const number = answer.data?.run_number;
        return {
          runId: id,
          url: `${base}${repoPath(repo)}/actions/runs/${id}`,
          ...(number !== undefined ? { htmlUrl: `${web}/${repo.owner}/${repo.name}/actions/runs/${number}` } : {}),
        };
      } catch (error) {
        return lacking(error, repo, 'workflow dispatch', 'Gitea 1.24, Forgejo 11 and later');
      }
    },

    async run(repo, id) {
      try {
        return runFromJson((await call<RunJson>('GET', `${repoPath(repo)}/actions/runs/${id}`)).data);
      } catch (error) {
        return lacking(error, repo, 'the runs API', 'Gitea 1.24 and later; Forgejo with the native runs list');
      }
    },

    async jobs(repo, runId) {
      const jobs: JobSnapshot[] = [];
      try {
        for (let page = 1; page <= 20; page++) {
          const { data } = await call<{ jobs?: JobJson[] }>('GET', `${repoPath(repo)}/actions/runs/${runId}/jobs`, { page, limit: 50 });
          const batch = data?.jobs ?? [];
          jobs.push(...batch.map(jobFromJson));
          if (batch.length < 50) break;
        }
      } catch (error) {
        return lacking(error, repo, 'the jobs API', 'Gitea 1.24 and later');
      }
      return jobs;
    },

    async artifacts(repo, runId) {
      try {
        const { data } = await call<{ artifacts?: ArtifactJson[] }>('GET', `${repoPath(repo)}/actions/runs/${runId}/artifacts`);
        return (data?.artifacts ?? []).map(artifactFromJson);
      } catch (error) {
        return lacking(error, repo, 'the artifacts API', 'Gitea 1.24 and later');
      }
    },

    async downloadArtifact(repo, artifact) {
      try {
        return await download(repo, `${repoPath(repo)}/actions/artifacts/${artifact.id}/zip`);
      } catch (error) {
        if (isForgeError(error) && error.status === 410) throw expiredArtifactError(artifact.name, error.endpoint);
        throw error;
      }
    },

    async jobLog(repo, jobId) {
      return new TextDecoder().decode(await download(repo, `${repoPath(repo)}/actions/jobs/${jobId}/logs`));
    },

    async recentRuns(repo, { workflow, limit, event }) {
      try {
        const { data } = await call<{ workflow_runs?: RunJson[] }>('GET', `${repoPath(repo)}/actions/runs`, {
          limit: Math.max(1, Math.min(50, limit)),
          ...(event ? { event } : {}),
        });
        const runs = (data?.workflow_runs ?? []).map(runFromJson);
        // no per-workflow list on these forges: filter by the workflow's file
        return workflow ? runs.filter((run) => !run.workflowPath || run.workflowPath.endsWith(`/${workflow}`) || run.workflowPath === workflow) : runs;
      } catch (error) {
        return lacking(error, repo, 'the runs API', 'Gitea 1.24 and later; Forgejo with the native runs list');
      }
    },

    rateLimit: () => lastLimit,
  };
}
