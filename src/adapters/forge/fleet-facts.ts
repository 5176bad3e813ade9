import { repoApiPath, type ClientOptions } from './common.js';
import type { EtagStore } from './etag-store.js';
import { createFleetGetter, type RequestTally } from './fleet-get.js';
import { isRunOf } from './actions-runs.js';
import { isForgeError } from './http.js';
import type { ForgeKind, RepoRef } from './types.js';

/**
 * The two reads `mirror fleet status` makes per mirror: the newest run of the
 * mirror's own sync-down workflow, and its open sync pull requests. GETs through
 * the shared clients (Octokit on GitHub, the Forgejo request function), so retries,
 * rate limits and error mapping are the ones every adapter has; kept apart from the Forge interface
 * so the fleet view does not widen what every adapter must implement.
 */

export interface WorkflowRunFact {
  id: number;
  status: string;
  /** null while the run is not completed */
  conclusion: string | null;
  createdAt: string;
  url: string;
}

/** `none`: the workflow exists and never ran; `no-workflow`: the forge has no such workflow file; `unavailable`: this forge lacks the endpoint. */
export type LastRun = WorkflowRunFact | 'none' | 'no-workflow' | 'unavailable';

export interface SyncPullFact {
  number: number;
  url: string;
  head: string;
}

export interface FleetForgeFacts {
  lastRun: LastRun;
  syncPulls: SyncPullFact[];
}

export const SYNC_DOWN_WORKFLOW = 'mirror-sync-down.yml';
/** the head branches sync-down (`mirror/sync-down-DATE-SHA`) and sync-up (`mirror/sync-up`) push */
export const SYNC_BRANCH_PREFIX = 'mirror/sync-';

export interface FleetForgeOptions {
  /** ETags (and bodies) of earlier runs: unchanged answers come back as 304s */
  etags?: EtagStore;
  /** counts the requests made, also when the read ends in an error */
  tally?: RequestTally;
}

export async function readFleetForgeFacts(kind: ForgeKind, client: ClientOptions, repo: RepoRef, options: FleetForgeOptions = {}): Promise<FleetForgeFacts & { requests: RequestTally }> {
  const { get: conditional, tally } = await createFleetGetter(kind, client, options);
  const get = async <T>(path: string, query: Record<string, string>) => (await conditional<T>(path, query)).data;
  const repoPath = repoApiPath(repo);

  const lastRun = async (): Promise<LastRun> => {
    type Run = { id: number; status: string; conclusion: string | null; created_at: string; html_url: string; path?: string };
    try {
      // Forgejo and Gitea list a repository's runs, not a workflow's: the newest of the sync-down file among the last 50
      const data =
        kind === 'github'
          ? await get<{ workflow_runs?: Run[] }>(`${repoPath}/actions/workflows/${SYNC_DOWN_WORKFLOW}/runs`, { per_page: '1', exclude_pull_requests: 'true' })
          : await get<{ workflow_runs?: Run[] }>(`${repoPath}/actions/runs`, { limit: '50' });
      const run = kind === 'github' ? data?.workflow_runs?.[0] : (data?.workflow_runs ?? []).find((candidate) => candidate.path !== undefined && isRunOf(candidate.path, SYNC_DOWN_WORKFLOW));
      if (!run) return 'none';
      return { id: run.id, status: run.status, conclusion: run.conclusion ?? null, createdAt: run.created_at, url: run.html_url };
    } catch (error) {
      // GitHub: the workflow file does not exist; Forgejo before its runs list: no such route
      if (isForgeError(error) && error.status === 404) return kind === 'github' ? 'no-workflow' : 'unavailable';
      throw error;
    }
  };

  const [run, pulls] = await Promise.all([lastRun(), listSyncPulls(kind, get, repoPath)]);
  return { lastRun: run, syncPulls: pulls, requests: tally };
}

/** The repository's open pull requests whose head is a sync branch, oldest first (one request). */
export async function readSyncPulls(kind: ForgeKind, client: ClientOptions, repo: RepoRef): Promise<SyncPullFact[]> {
  const { get } = await createFleetGetter(kind, client);
  return listSyncPulls(kind, async <T>(path: string, query: Record<string, string>) => (await get<T>(path, query)).data, repoApiPath(repo));
}

type Get = <T>(path: string, query: Record<string, string>) => Promise<T>;

async function listSyncPulls(kind: ForgeKind, get: Get, repoPath: string): Promise<SyncPullFact[]> {
  type End = { ref?: string; label?: string };
  type Pull = { number: number; html_url: string; head: End };
  const query: Record<string, string> = kind === 'github' ? { state: 'open', per_page: '100' } : { state: 'open', limit: '50' };
  const pulls = await get<Pull[]>(`${repoPath}/pulls`, query);
  return (Array.isArray(pulls) ? pulls : [])
    .map((pull) => ({ number: pull.number, url: pull.html_url, head: headBranch(kind, pull.head) }))
    .filter((pull) => pull.head.startsWith(SYNC_BRANCH_PREFIX))
    .sort((a, b) => a.number - b.number);
}

/** Forgejo's head.ref turns into refs/pull/N/head once the branch is gone; its label stays the branch. */
export function headBranch(kind: ForgeKind, end: { ref?: string; label?: string }): string {
  const branch = kind === 'forgejo' ? (end.label ?? end.ref ?? '') : (end.ref ?? '');
  return branch.replace(/^refs\/heads\//, '');
}
