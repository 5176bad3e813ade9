import { spread, type Spread } from './percentiles.js';
import type { MeasuredJob } from './latency.js';

export const EXTERNAL_LANE = '(external lane)';

export interface WhatIf {
  /** the pickup delay of the external lane, seconds */
  pickup: number;
  /** jobs that would move: external-safe jobs on the team's own runners */
  moved: number;
  /** queue of the jobs that stay on the team's runners: replayed as they are now, and after the move */
  remaining: { before: Spread; after: Spread };
  /** queue of the jobs that move: replayed on their lane now, and on the external lane */
  movedQueue: { before: Spread; after: Spread };
  /** queue seconds summed over every job of the team's runners, replayed before and after the move (cost per hour saved) */
  totalQueue: { before: number; after: number };
  assumptions: string[];
}

const sum = (map: Map<MeasuredJob, number>) => [...map.values()].reduce((total, value) => total + value, 0);

/** One runner per lane, first come first served: when each job would start. */
function replay(jobs: { job: MeasuredJob; lane: string; pickup: number }[]): Map<MeasuredJob, number> {
  const freeAt = new Map<string, number>();
  const queue = new Map<MeasuredJob, number>();
  for (const { job, lane, pickup } of [...jobs].sort((a, b) => a.job.arrival - b.job.arrival || a.job.jobId - b.job.jobId)) {
    const start = Math.max(job.arrival + pickup, freeAt.get(lane) ?? -Infinity);
    freeAt.set(lane, start + job.run);
    queue.set(job, start - job.arrival);
  }
  return queue;
}

/**
 * Replays the measured arrivals (created_at) and run times against one runner per
 * lane, before and after the external-safe jobs of the team's own lanes move to one
 * external runner whose pickup takes `pickup` seconds. Both sides are modelled, so the
 * difference is the move's, not the model's. Pure.
 */
export function whatIf(jobs: MeasuredJob[], pickup: number): WhatIf {
  const own = jobs.filter((job) => job.ownRunner);
  const moves = (job: MeasuredJob) => job.class === 'external-safe';
  const before = replay(own.map((job) => ({ job, lane: job.lane, pickup: 0 })));
  const after = replay(own.map((job) => (moves(job) ? { job, lane: EXTERNAL_LANE, pickup } : { job, lane: job.lane, pickup: 0 })));
  const pick = (map: Map<MeasuredJob, number>, wanted: boolean) => own.filter((job) => moves(job) === wanted).map((job) => map.get(job)!);
  return {
    pickup,
    moved: own.filter(moves).length,
    remaining: { before: spread(pick(before, false)), after: spread(pick(after, false)) },
    movedQueue: { before: spread(pick(before, true)), after: spread(pick(after, true)) },
    totalQueue: { before: sum(before), after: sum(after) },
    assumptions: [
      'jobs arrive when the forge created them (created_at) and run as long as they ran',
      'each lane of the team\'s own runners is one runner taking jobs first come, first served; jobs on hosted labels are left out',
      `the external lane is one runner that needs ${pickup} s to pick a job up`,
      'every external-safe job on the team\'s runners moves (movable ones included); the rest stay on their lane',
    ],
  };
}
