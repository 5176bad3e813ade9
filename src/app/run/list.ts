import { durationMs } from '../../core/run/outcome.js';
import type { JobSnapshot, RunSnapshot } from '../../core/run/types.js';
import type { ArtifactInfo } from '../../core/run/types.js';
import { compareRuns, flattenMetrics, type Comparison } from '../../core/run/compare.js';
import { connectRuns, type RunConnection, type RunConnectionRequest } from './connect.js';
import { readMetrics } from './download.js';
import { loadRun } from './records.js';
import { targetIds } from './watch.js';

export interface RunSummary {
  id: number;
  title: string;
  workflow?: string;
  status: string;
  conclusion: string | null;
  branch?: string;
  htmlUrl: string;
  createdAt?: string;
  /** from start (or creation) to the last update of a completed run */
  durationMs?: number;
  /** as recorded at dispatch; undefined for a run dispatched elsewhere */
  inputs?: Record<string, string>;
  /** the runner labels its jobs asked for */
  labels: string[];
  runners: string[];
}

function summarise(run: RunSnapshot, jobs: readonly JobSnapshot[], inputs: Record<string, string> | undefined): RunSummary {
  const duration = run.status === 'completed' ? durationMs(run.startedAt ?? run.createdAt, run.updatedAt) : undefined;
  return {
    id: run.id,
    title: run.title,
    ...(run.workflowPath ? { workflow: run.workflowPath } : {}),
    status: run.status,
    conclusion: run.conclusion,
    ...(run.branch ? { branch: run.branch } : {}),
    htmlUrl: run.htmlUrl,
    ...(run.createdAt ? { createdAt: run.createdAt } : {}),
    ...(duration !== undefined ? { durationMs: duration } : {}),
    ...(inputs ? { inputs } : {}),
    labels: [...new Set(jobs.flatMap((job) => job.labels))].sort(),
    runners: [...new Set(jobs.map((job) => job.runnerName).filter((name): name is string => Boolean(name)))].sort(),
  };
}

export interface ListRequest extends RunConnectionRequest {
  workflow?: string;
  limit: number;
}

/** Recent runs, newest first, with the inputs mirror recorded when it dispatched them. */
export async function listRuns(request: ListRequest): Promise<{ runs: RunSummary[] }> {
  const connection = await connectRuns(request);
  const { api, repoRef, commonDir } = connection;
  const workflow = request.workflow && !/\.ya?ml$/.test(request.workflow) ? `${request.workflow}.yml` : request.workflow;
  const runs = (await api.recentRuns(repoRef, { ...(workflow ? { workflow } : {}), limit: request.limit })).slice(0, request.limit);
  const out: RunSummary[] = [];
  for (const run of runs) out.push(summarise(run, await api.jobs(repoRef, run.id), loadRun(commonDir, run.id)?.inputs));
  return { runs: out };
}

export interface ShowRequest extends RunConnectionRequest {
  id: number;
}

export interface ShowResult {
  run: RunSummary;
  jobs: JobSnapshot[];
  artifacts: ArtifactInfo[];
}

export async function showRun(request: ShowRequest): Promise<ShowResult> {
  const connection = await connectRuns(request);
  const { api, repoRef, commonDir } = connection;
  const run = await api.run(repoRef, request.id);
  const jobs = await api.jobs(repoRef, request.id);
  const artifacts = await api.artifacts(repoRef, request.id);
  return { run: summarise(run, jobs, loadRun(commonDir, run.id)?.inputs), jobs, artifacts };
}

export interface CompareRequest extends RunConnectionRequest {
  ids: number[];
  all?: boolean;
  batch?: string;
}

/** Each run's inputs (as recorded) and metrics.json (from its artifacts) side by side. */
export async function compareRunResults(request: CompareRequest, connected?: RunConnection): Promise<Comparison> {
  const connection = connected ?? (await connectRuns(request));
  const ids = targetIds(connection, request);
  const compared = [];
  for (const id of ids) {
    const run = await connection.api.run(connection.repoRef, id);
    const { metrics, problem } = await readMetrics(connection, id);
    compared.push({
      id,
      conclusion: run.status === 'completed' ? run.conclusion : null,
      inputs: loadRun(connection.commonDir, id)?.inputs ?? {},
      metrics: metrics === undefined ? {} : flattenMetrics(metrics),
      ...(problem ? { problem } : {}),
    });
  }
  return compareRuns(compared);
}
