import type { ArtifactInfo, JobSnapshot, RunSnapshot } from '../../core/run/types.js';
import type { ForgeKind, RepoRef } from './types.js';

/**
 * One run's life through a forge's Actions API: dispatch it, read it, its jobs,
 * its artifacts and logs. (Listing runs over a time window, paginated, belongs to
 * actions-history.ts.) Both adapters answer in the core's run types.
 */
export interface DispatchRequest {
  /** the workflow's file name, e.g. `experiment.yml` */
  workflow: string;
  ref: string;
  inputs: Record<string, string>;
}

export interface DispatchAnswer {
  /** undefined when the forge answered 204 without the run (GitHub Enterprise Server, Gitea, older Forgejo) */
  runId?: number;
  url?: string;
  htmlUrl?: string;
}

export interface RateLimitState {
  remaining: number;
  /** epoch ms */
  resetAt: number;
}

export interface ActionsRunsApi {
  readonly kind: ForgeKind;
  dispatch(repo: RepoRef, request: DispatchRequest): Promise<DispatchAnswer>;
  run(repo: RepoRef, id: number): Promise<RunSnapshot>;
  jobs(repo: RepoRef, runId: number): Promise<JobSnapshot[]>;
  artifacts(repo: RepoRef, runId: number): Promise<ArtifactInfo[]>;
  /** the artifact's zip; the storage it redirects to never receives the token */
  downloadArtifact(repo: RepoRef, artifact: ArtifactInfo): Promise<Uint8Array>;
  jobLog(repo: RepoRef, jobId: number): Promise<string>;
  /** newest first, one page (at most 100) */
  recentRuns(repo: RepoRef, query: { workflow?: string; limit: number; event?: string }): Promise<RunSnapshot[]>;
  /** the rate limit as the last response told it, if it did */
  rateLimit(): RateLimitState | undefined;
}

export function rateLimitFrom(headers: Record<string, string | undefined>): RateLimitState | undefined {
  const remaining = Number(headers['x-ratelimit-remaining']);
  const reset = Number(headers['x-ratelimit-reset']);
  if (headers['x-ratelimit-remaining'] === undefined || !Number.isFinite(remaining) || !Number.isFinite(reset)) return undefined;
  return { remaining, resetAt: reset * 1000 };
}
