import type { ActionsRunsApi } from '../../adapters/forge/actions-runs-types.js';
import { realSleep, type Sleep } from '../../adapters/forge/http.js';
import type { RepoRef } from '../../adapters/forge/index.js';
import { exitCodeOf, progressLines, verdictOf, type RunVerdict } from '../../core/run/outcome.js';
import { nextPollDelay } from '../../core/run/poll.js';
import type { JobSnapshot, RunSnapshot } from '../../core/run/types.js';
import { connectRuns, type RunConnection, type RunConnectionRequest } from './connect.js';
import { loadBatch } from './records.js';

export interface WatchRequest extends RunConnectionRequest {
  ids: number[];
  /** the latest batch (or `batch`) instead of ids */
  all?: boolean;
  batch?: string;
  timeoutMs?: number;
  /** first poll interval (default 5 s; stretched to 30 s while nothing changes) */
  intervalMs?: number;
  maxIntervalMs?: number;
  sleep?: Sleep;
  clock?: () => number;
  /** called after every poll with the full picture and the lines that changed */
  onProgress?: (state: WatchState, changes: string[]) => void;
}

export interface WatchedRun {
  run: RunSnapshot;
  jobs: JobSnapshot[];
  verdict: RunVerdict;
  /** with `endOnError`: why this run could no longer be read (its verdict is then `failed`) */
  error?: string;
}

export interface WatchState {
  runs: WatchedRun[];
}

export interface WatchResult {
  runs: Array<{ id: number; status: string; conclusion: string | null; htmlUrl: string; verdict: RunVerdict; jobs: JobSnapshot[] }>;
  timedOut: boolean;
  /** 0 all succeeded, 1 one ended otherwise, 3 the timeout came first */
  exitCode: number;
}

/** The run ids a command acts on: those given, or a batch's. */
export function targetIds(connection: RunConnection, request: Pick<WatchRequest, 'ids' | 'all' | 'batch'>): number[] {
  if (request.all || request.batch) return loadBatch(connection.commonDir, request.batch).runs;
  return request.ids;
}

/** Follows runs to their end, politely: conditional requests, stretching intervals, within the rate limit. */
export async function watchRuns(request: WatchRequest, connected?: RunConnection): Promise<WatchResult> {
  const connection = connected ?? (await connectRuns(request));
  const { api, repoRef } = connection;
  const ids = targetIds(connection, request);
  const { runs, timedOut } = await watchMany(
    ids.map((id) => ({ api, repo: repoRef, id })),
    {
      timeoutMs: request.timeoutMs,
      intervalMs: request.intervalMs,
      maxIntervalMs: request.maxIntervalMs,
      sleep: request.sleep,
      clock: request.clock,
      ...(request.onProgress ? { onProgress: (watched: WatchedRun[], changes: string[]) => request.onProgress!({ runs: watched }, changes) } : {}),
    },
  );
  const verdicts = runs.map((item) => item.verdict);
  return {
    runs: runs.map(({ run, jobs, verdict }) => ({ id: run.id, status: run.status, conclusion: run.conclusion, htmlUrl: run.htmlUrl, verdict, jobs })),
    timedOut,
    exitCode: exitCodeOf(verdicts, timedOut),
  };
}

/** One run to follow: on which forge client and repository. Runs of many repositories (a fleet) share one loop. */
export interface WatchTarget {
  api: ActionsRunsApi;
  repo: RepoRef;
  id: number;
}

export type WatchOptions = Pick<WatchRequest, 'timeoutMs' | 'intervalMs' | 'maxIntervalMs' | 'sleep' | 'clock'> & {
  /** after every poll, every target's latest state (in the targets' order) and the lines that changed */
  onProgress?: (runs: WatchedRun[], changes: string[]) => void;
  /**
   * a run that cannot be read (after the adapter's retries) ends alone, `failed` with the error, and the
   * others are still followed; by default the error ends the watch (one repository: nothing else to follow)
   */
  endOnError?: boolean;
};

/**
 * The poll loop: reads every unfinished run (and its jobs) once per round, then
 * waits; the wait stretches while nothing changes and, for each forge client
 * (each has its own rate limit), never spends the limit faster than it refills.
 */
export async function watchMany(targets: readonly WatchTarget[], options: WatchOptions = {}): Promise<{ runs: WatchedRun[]; timedOut: boolean }> {
  const sleep = options.sleep ?? realSleep;
  const clock = options.clock ?? Date.now;
  const started = clock();
  const deadline = options.timeoutMs !== undefined ? started + options.timeoutMs : undefined;
  const state = new Map<WatchTarget, WatchedRun>();
  let delay: number | undefined;
  let timedOut = false;
  let last = false;
  for (;;) {
    const changes: string[] = [];
    for (const target of targets) {
      const previous = state.get(target);
      if (previous && previous.verdict !== 'running') continue;
      let run: RunSnapshot;
      let jobs: JobSnapshot[];
      try {
        run = await target.api.run(target.repo, target.id);
        jobs = await target.api.jobs(target.repo, target.id);
      } catch (error) {
        if (!options.endOnError) throw error;
        const message = error instanceof Error ? error.message : String(error);
        const unread: RunSnapshot = { id: target.id, title: '', status: 'unknown', conclusion: null, url: '', htmlUrl: '' };
        state.set(target, { run: previous?.run ?? unread, jobs: previous?.jobs ?? [], verdict: 'failed', error: message });
        changes.push(`run ${target.id}: cannot be read: ${message}`);
        continue;
      }
      changes.push(...progressLines(previous, { run, jobs }));
      state.set(target, { run, jobs, verdict: verdictOf(run) });
    }
    const snapshot = targets.map((target) => state.get(target)!);
    options.onProgress?.(snapshot, changes);
    const open = targets.filter((target) => state.get(target)!.verdict === 'running');
    if (open.length === 0) break;
    if (last) {
      timedOut = true;
      break;
    }
    const now = clock();
    const perClient = new Map<ActionsRunsApi, number>();
    for (const target of open) perClient.set(target.api, (perClient.get(target.api) ?? 0) + 1);
    const poll = {
      baseMs: options.intervalMs ?? 5000,
      maxMs: options.maxIntervalMs ?? 30_000,
      previousMs: delay,
      changed: changes.length > 0,
      now,
    };
    delay = Math.max(
      ...[...perClient].map(([api, count]) => nextPollDelay({ ...poll, requestsPerPoll: count * 2, ...(api.rateLimit() ? { rateLimit: api.rateLimit()! } : {}) })),
    );
    if (deadline !== undefined && now + delay >= deadline) {
      // one last look at the deadline, then give up
      last = true;
      await sleep(Math.max(0, deadline - now));
      continue;
    }
    await sleep(delay);
  }
  return { runs: targets.map((target) => state.get(target)!), timedOut };
}
