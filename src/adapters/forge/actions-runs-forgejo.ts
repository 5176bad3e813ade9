import type { JobSnapshot } from '../../core/run/types.js';
import { ExitCode, MirrorError } from '../../errors.js';
import { artifactFromJson, expiredArtifactError, isRunOf, jobFromJson, runFromJson, type ArtifactJson, type JobJson, type RunJson } from './actions-runs.js';
import type { ActionsRunsApi } from './actions-runs-types.js';
import { repoApiPath, type ClientOptions } from './common.js';
import { createForgejoRequester } from './forgejo-request.js';
import { isForgeError } from './http.js';
import { fetchFromStorage } from './storage.js';
import type { RepoRef } from './types.js';

/*
 * Forgejo and Gitea Actions (`/api/v1`), through forgejo-request.ts. What differs from GitHub:
 * - dispatch (Gitea 1.24, Forgejo): `return_run_info: true` makes Forgejo 11+ answer
 *   201 `{ id, run_number, jobs }`; Gitea ignores it and answers 204 (find the run
 *   through run-name);
 * - runs, jobs and artifacts arrived late and in GitHub's shapes (Gitea 1.24;
 *   Forgejo's native runs list later): an older server answers them with a plain
 *   404, turned here into "this forge version lacks X";
 * - web pages of a run are addressed by its number, not its id.
 */

export async function createForgejoActionsRuns(options: ClientOptions): Promise<ActionsRunsApi> {
  const requester = createForgejoRequester(options);
  const { base, retry, context, timeoutMs, call } = requester;

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
      const probe = await call('GET', `${repoApiPath(repo)}/actions/runs`, { limit: 1 }).then(
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
    // manual: the redirect goes to storage, which must not get the token
    const answer = await call<unknown>('GET', relative, {}, undefined, true);
    const location = answer.headers.location;
    if (answer.status >= 300 && answer.status < 400 && location) return fetchFromStorage(new URL(location, base).toString(), retry, context, timeoutMs);
    return answer.bytes;
  }

  return {
    kind: 'forgejo',

    async dispatch(repo, { workflow, ref, inputs }) {
      try {
        const answer = await call<{ id?: number; run_number?: number } | undefined>(
          'POST',
          `${repoApiPath(repo)}/actions/workflows/${encodeURIComponent(workflow)}/dispatches`,
          {},
          { ref, inputs, return_run_info: true },
        );
        const id = answer.data && typeof answer.data === 'object' ? answer.data.id : undefined;
        if (typeof id !== 'number') return {};
        const web = base.replace(/\/api\/v1$/, '');
        const number = answer.data?.run_number;
        return {
          runId: id,
          url: `${base}${repoApiPath(repo)}/actions/runs/${id}`,
          ...(number !== undefined ? { htmlUrl: `${web}/${repo.owner}/${repo.name}/actions/runs/${number}` } : {}),
        };
      } catch (error) {
        return lacking(error, repo, 'workflow dispatch', 'Gitea 1.24, Forgejo 11 and later');
      }
    },

    async run(repo, id) {
      try {
        return runFromJson((await call<RunJson>('GET', `${repoApiPath(repo)}/actions/runs/${id}`)).data);
      } catch (error) {
        return lacking(error, repo, 'the runs API', 'Gitea 1.24 and later; Forgejo with the native runs list');
      }
    },

    async jobs(repo, runId) {
      const jobs: JobSnapshot[] = [];
      try {
        for (let page = 1; page <= 20; page++) {
          const { data } = await call<{ jobs?: JobJson[] }>('GET', `${repoApiPath(repo)}/actions/runs/${runId}/jobs`, { page, limit: 50 });
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
        const { data } = await call<{ artifacts?: ArtifactJson[] }>('GET', `${repoApiPath(repo)}/actions/runs/${runId}/artifacts`);
        return (data?.artifacts ?? []).map(artifactFromJson);
      } catch (error) {
        return lacking(error, repo, 'the artifacts API', 'Gitea 1.24 and later');
      }
    },

    async downloadArtifact(repo, artifact) {
      try {
        return await download(repo, `${repoApiPath(repo)}/actions/artifacts/${artifact.id}/zip`);
      } catch (error) {
        if (isForgeError(error) && error.status === 410) throw expiredArtifactError(artifact.name, error.endpoint);
        throw error;
      }
    },

    async jobLog(repo, jobId) {
      return new TextDecoder().decode(await download(repo, `${repoApiPath(repo)}/actions/jobs/${jobId}/logs`));
    },

    async recentRuns(repo, { workflow, limit, event }) {
      try {
        const { data } = await call<{ workflow_runs?: RunJson[] }>('GET', `${repoApiPath(repo)}/actions/runs`, {
          limit: Math.max(1, Math.min(50, limit)),
          ...(event ? { event } : {}),
        });
        const runs = (data?.workflow_runs ?? []).map(runFromJson);
        // no per-workflow list on these forges: filter by the workflow's file
        return workflow ? runs.filter((run) => isRunOf(run.workflowPath, workflow)) : runs;
      } catch (error) {
        return lacking(error, repo, 'the runs API', 'Gitea 1.24 and later; Forgejo with the native runs list');
      }
    },

    rateLimit: requester.rateLimit,
  };
}
