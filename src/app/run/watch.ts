import { realSleep, type Sleep } from '../../adapters/forge/http.js';
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
  const sleep = request.sleep ?? realSleep;
  const clock = request.clock ?? Date.now;
  const started = clock();
  const deadline = request.timeoutMs !== undefined ? started + request.timeoutMs : undefined;
  const state = new Map<number, WatchedRun>();
  let delay: number | undefined;
  let timedOut = false;
  let last = false;
  for (;;) {
    const changes: string[] = [];
    for (const id of ids) {
      const previous = state.get(id);
      if (previous && previous.verdict !== 'running') continue;
      const run = await api.run(repoRef, id);
      const jobs = await api.jobs(repoRef, id);
      changes.push(...progressLines(previous, { run, jobs }));
      state.set(id, { run, jobs, verdict: verdictOf(run) });
    }
    const snapshot: WatchState = { runs: ids.map((id) => state.get(id)!) };
    request.onProgress?.(snapshot, changes);
    const open = snapshot.runs.filter((item) => item.verdict === 'running').length;
    if (open === 0) break;
    if (last) {
      timedOut = true;
      break;
    }
    const now = clock();
    delay = nextPollDelay({
      baseMs: request.intervalMs ?? 5000,
      maxMs: request.maxIntervalMs ?? 30_000,
      previousMs: delay,
      changed: changes.length > 0,
      requestsPerPoll: open * 2,
      ...(api.rateLimit() ? { rateLimit: api.rateLimit()! } : {}),
      now,
    });
    if (deadline !== undefined && now + delay >= deadline) {
      // one last look at the deadline, then give up
      last = true;
      await sleep(Math.max(0, deadline - now));
      continue;
    }
    await sleep(delay);
  }
  const runs = ids.map((id) => state.get(id)!);
  const verdicts = runs.map((item) => item.verdict);
  return {
    runs: runs.map(({ run, jobs, verdict }) => ({ id: run.id, status: run.status, conclusion: run.conclusion, htmlUrl: run.htmlUrl, verdict, jobs })),
    timedOut,
    exitCode: exitCodeOf(verdicts, timedOut),
  };
}
