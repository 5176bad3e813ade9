import type { AuditResult, TrustClass } from '../audit/types.js';
import { ruleForLabel, type LabelDeclarations } from '../audit/runners.js';
import { spread, type Spread } from './percentiles.js';
import type { JobRecord, RunWithJobs } from './types.js';

/** One job as measured: seconds, and how the figures were obtained. */
export interface MeasuredJob {
  runId: number;
  jobId: number;
  workflow: string;
  job: string;
  /** `[self-hosted, lab]`: the labels as a runner matches them (a set, sorted) */
  lane: string;
  /** a lane any of whose labels is not a stock hosted label: the team's own runners */
  ownRunner: boolean;
  class: TrustClass | 'unknown';
  movable: boolean;
  arrival: number;
  queue: number;
  run: number;
  /** `started_at` equalled `created_at` on a job that has steps: the first step's start was used */
  queueFromFirstStep: boolean;
}

export interface Dropped {
  jobId: number;
  reason: 'not completed' | 'no steps' | 'negative queue' | 'no start time';
}

export interface Group {
  key: string;
  queue: Spread;
  run: Spread;
  /** queue / (queue + run), summed over the group's jobs */
  queuedShare: number;
}

export interface LatencyBaseline {
  jobs: MeasuredJob[];
  dropped: Dropped[];
  byLane: Group[];
  byClass: Group[];
  /** jobs whose queue time came from their first step */
  firstStepFallbacks: number;
  notes: string[];
}

const seconds = (iso: string) => Date.parse(iso) / 1000;

/** The lane a job's labels make: order and case do not matter to a runner. */
export function laneOf(labels: readonly string[]): string {
  return `[${[...new Set(labels.map((label) => label.trim()))].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())).join(', ')}]`;
}

/**
 * The audit's job for a forge job: GitHub names a job by its `name:` (or id), a matrix
 * leg as `name (a, b)`, a called workflow's job as `caller / callee`.
 */
function auditedJob(audit: AuditResult | undefined, workflowPath: string | undefined, jobName: string): { class: TrustClass; movable: boolean } | undefined {
  if (!audit || workflowPath === undefined) return undefined;
  const path = workflowPath.replace(/@.*$/, '');
  // Gitea and Forgejo may name the workflow by its file name alone
  const workflow = audit.workflows.find((candidate) => candidate.file === path) ?? (path.includes('/') ? undefined : audit.workflows.find((candidate) => candidate.file.endsWith(`/${path}`)));
  if (!workflow) return undefined;
  const base = jobName.split(' / ')[0]!.replace(/ \(.*\)$/, '').trim();
  const job = workflow.jobs.find((candidate) => (candidate.name ?? candidate.id) === base) ?? workflow.jobs.find((candidate) => candidate.id === base);
  return job ? { class: job.class, movable: job.movable === true } : undefined;
}

function measure(job: JobRecord): { queue: number; run: number; arrival: number; fallback: boolean } | Dropped['reason'] {
  if (job.status !== 'completed') return 'not completed';
  // jobs that stayed "queued" and never ran, then were completed with the run, have no steps
  if (job.steps.length === 0) return 'no steps';
  if (job.startedAt === null || job.completedAt === null) return 'no start time';
  const created = seconds(job.createdAt);
  let started = seconds(job.startedAt);
  let fallback = false;
  // actions/runner#1881: a snapshot taken while queued can keep started_at == created_at
  if (started === created) {
    const first = job.steps.map((step) => step.startedAt).find((value): value is string => value !== null);
    if (first !== undefined && seconds(first) > created) {
      started = seconds(first);
      fallback = true;
    }
  }
  const queue = started - created;
  // llvm/llvm-project#130941: clock skew gives small negative gaps; they are not queue times
  if (queue < 0) return 'negative queue';
  return { queue, run: Math.max(0, seconds(job.completedAt) - started), arrival: created, fallback };
}

function group(jobs: MeasuredJob[], keyOf: (job: MeasuredJob) => string): Group[] {
  const groups = new Map<string, MeasuredJob[]>();
  for (const job of jobs) groups.set(keyOf(job), [...(groups.get(keyOf(job)) ?? []), job]);
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, members]) => {
      const queued = members.reduce((sum, job) => sum + job.queue, 0);
      const total = members.reduce((sum, job) => sum + job.queue + job.run, 0);
      return { key, queue: spread(members.map((job) => job.queue)), run: spread(members.map((job) => job.run)), queuedShare: total === 0 ? 0 : queued / total };
    });
}

/** The measured baseline: per lane and per trust class; `audit` may be one audit or one per run commit. Pure. */
export function latencyBaseline(history: RunWithJobs[], audit: AuditResult | undefined | ((commit: string) => AuditResult | undefined), labels: LabelDeclarations & { laneLabel?: string } = {}): LatencyBaseline {
  const lane = labels.laneLabel?.trim().toLowerCase();
  const jobs: MeasuredJob[] = [];
  const dropped: Dropped[] = [];
  for (const { run, jobs: runJobs } of history) {
    for (const job of runJobs) {
      const measured = measure(job);
      if (typeof measured === 'string') {
        dropped.push({ jobId: job.id, reason: measured });
        continue;
      }
      // the workflow files as they were at the run's commit, when the caller has them
      const audited = auditedJob(typeof audit === 'function' ? audit(run.headSha) : audit, run.workflowPath, job.name);
      jobs.push({
        runId: run.id,
        jobId: job.id,
        workflow: run.workflowPath ?? run.workflowName,
        job: job.name,
        lane: laneOf(job.labels),
        // the external lane, once a pilot runs there, is not the team's runner
        ownRunner: !job.labels.some((label) => label.trim().toLowerCase() === lane) && job.labels.some((label) => ruleForLabel(label, labels).role !== 'hosted'),
        class: audited?.class ?? 'unknown',
        movable: audited?.movable ?? false,
        arrival: measured.arrival,
        queue: measured.queue,
        run: measured.run,
        queueFromFirstStep: measured.fallback,
      });
    }
  }
  jobs.sort((a, b) => a.arrival - b.arrival || a.jobId - b.jobId);
  const firstStepFallbacks = jobs.filter((job) => job.queueFromFirstStep).length;
  const notes: string[] = [];
  if (firstStepFallbacks > 0) notes.push(`${firstStepFallbacks} job${firstStepFallbacks > 1 ? 's' : ''} reported started_at equal to created_at (actions/runner#1881): their queue time runs to the first step's start`);
  const count = (reason: Dropped['reason']) => dropped.filter((item) => item.reason === reason).length;
  for (const reason of ['not completed', 'no steps', 'negative queue', 'no start time'] as const) {
    if (count(reason) > 0) notes.push(`${count(reason)} job${count(reason) > 1 ? 's' : ''} left out: ${reason}`);
  }
  const unknown = jobs.filter((job) => job.class === 'unknown').length;
  if (unknown > 0) notes.push(`${unknown} job${unknown > 1 ? 's' : ''} could not be matched to a job of the audited workflow files: class "unknown"`);
  return { jobs, dropped, byLane: group(jobs, (job) => job.lane), byClass: group(jobs, (job) => job.class), firstStepFallbacks, notes };
}
