import type { JobSnapshot, RunSnapshot } from './types.js';

/** `watch`'s exit codes: 0 success, 1 a run that ended otherwise, 3 the timeout came first. */
export const WATCH_EXIT = { success: 0, failed: 1, timeout: 3 } as const;

export type RunVerdict = 'success' | 'failed' | 'running';

export function verdictOf(run: Pick<RunSnapshot, 'status' | 'conclusion'>): RunVerdict {
  if (run.status !== 'completed') return 'running';
  return run.conclusion === 'success' ? 'success' : 'failed';
}

export function exitCodeOf(verdicts: readonly RunVerdict[], timedOut: boolean): number {
  if (timedOut || verdicts.includes('running')) return WATCH_EXIT.timeout;
  return verdicts.every((verdict) => verdict === 'success') ? WATCH_EXIT.success : WATCH_EXIT.failed;
}

/** Milliseconds between two ISO times, or undefined when either is missing or the gap is negative. */
export function durationMs(from: string | undefined, to: string | undefined): number | undefined {
  if (!from || !to) return undefined;
  const gap = Date.parse(to) - Date.parse(from);
  return Number.isFinite(gap) && gap >= 0 ? gap : undefined;
}

export function formatDuration(ms: number | undefined): string {
  if (ms === undefined) return '-';
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

/** A job's state in one word: its conclusion once completed, else its status. */
export function stateWord(item: { status: string; conclusion: string | null }): string {
  return item.status === 'completed' ? (item.conclusion ?? 'completed') : item.status;
}

/** What changed between two polls, as lines a log can keep (the plain, non-TTY progress). */
export function progressLines(
  previous: { run?: RunSnapshot; jobs: readonly JobSnapshot[] } | undefined,
  current: { run: RunSnapshot; jobs: readonly JobSnapshot[] },
): string[] {
  const lines: string[] = [];
  const id = current.run.id;
  if (!previous?.run || stateWord(previous.run) !== stateWord(current.run)) lines.push(`run ${id}: ${stateWord(current.run)}`);
  const before = new Map((previous?.jobs ?? []).map((job) => [job.id, job]));
  for (const job of current.jobs) {
    const old = before.get(job.id);
    if (!old || stateWord(old) !== stateWord(job)) {
      const runner = job.runnerName ? ` on ${job.runnerName}` : job.labels.length ? ` [${job.labels.join(', ')}]` : '';
      lines.push(`run ${id}: job ${job.name}${runner}: ${stateWord(job)}`);
    }
    const oldSteps = new Map((old?.steps ?? []).map((step) => [step.number, step]));
    for (const step of job.steps) {
      const was = oldSteps.get(step.number);
      if (step.status === 'queued' || step.status === 'pending') continue;
      if (!was || stateWord(was) !== stateWord(step)) lines.push(`run ${id}:   step ${step.number} ${step.name}: ${stateWord(step)}`);
    }
  }
  return lines;
}

/** The whole picture, redrawn in place on a terminal. */
export function progressBoard(runs: ReadonlyArray<{ run: RunSnapshot; jobs: readonly JobSnapshot[] }>, now: number): string[] {
  const lines: string[] = [];
  for (const { run, jobs } of runs) {
    const elapsed = formatDuration(durationMs(run.startedAt ?? run.createdAt, run.status === 'completed' ? run.updatedAt : new Date(now).toISOString()));
    lines.push(`${mark(run)} run ${run.id} ${run.title}  ${stateWord(run)}  ${elapsed}`);
    for (const job of jobs) {
      const jobTime = formatDuration(durationMs(job.startedAt, job.completedAt ?? (job.startedAt ? new Date(now).toISOString() : undefined)));
      lines.push(`  ${mark(job)} ${job.name}  ${stateWord(job)}  ${jobTime}`);
      for (const step of job.steps) if (step.status !== 'queued' && step.status !== 'pending') lines.push(`      ${mark(step)} ${step.name}`);
    }
  }
  return lines;
}

function mark(item: { status: string; conclusion: string | null }): string {
  if (item.status !== 'completed') return item.status === 'in_progress' ? '*' : '.';
  if (item.conclusion === 'success') return '✓';
  if (item.conclusion === 'skipped' || item.conclusion === 'neutral') return '-';
  return '✗';
}
