import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditWorkflows } from '../../../src/core/audit/classify.js';
import { latencyBaseline, laneOf } from '../../../src/core/lanes/latency.js';
import { percentile } from '../../../src/core/lanes/percentiles.js';
import { whatIf } from '../../../src/core/lanes/what-if.js';
import { goHistory, noGoHistory } from '../../helpers/fake-actions.js';

const DIR = join(import.meta.dirname, '../../../fixtures/workflows/single-runner');
export const singleRunnerAudit = () =>
  auditWorkflows(
    readdirSync(DIR).map((name) => ({ file: `.github/workflows/${name}`, platform: 'github' as const, text: readFileSync(join(DIR, name), 'utf8') })),
    { root: '/repo', directories: ['.github/workflows'] },
  );

describe('percentiles', () => {
  it('nearest rank: a measured value, never interpolated', () => {
    expect(percentile([5, 1, 3, 2, 4], 0.5)).toBe(3);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.95)).toBe(10);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.5)).toBe(5);
    expect(percentile([], 0.5)).toBeUndefined();
  });

  it('a lane is the set of its labels', () => {
    expect(laneOf(['self-hosted', 'lab'])).toBe(laneOf(['lab', 'self-hosted', 'lab']));
  });
});

describe('the latency baseline of a synthetic history with a known answer', () => {
  const baseline = latencyBaseline(goHistory(), singleRunnerAudit());

  it('per lane: p50/p95/max of queue and run time, and the share of wall time queued', () => {
    expect(baseline.byLane).toEqual([
      { key: '[lab, self-hosted]', queue: { count: 9, p50: 60, p95: 360, max: 360 }, run: { count: 9, p50: 120, p95: 300, max: 300 }, queuedShare: 1260 / 2700 },
      { key: '[ubuntu-latest]', queue: { count: 1, p50: 5, p95: 5, max: 5 }, run: { count: 1, p50: 30, p95: 30, max: 30 }, queuedShare: 5 / 35 },
    ]);
  });

  it('per trust class, from the audit of the workflow files', () => {
    expect(baseline.byClass.map((group) => [group.key, group.queue])).toEqual([
      ['external-safe', { count: 6, p50: 0, p95: 360, max: 360 }],
      ['local-only', { count: 3, p50: 60, p95: 60, max: 60 }],
      ['unknown', { count: 1, p50: 5, p95: 5, max: 5 }],
    ]);
  });

  it('the queued started_at pitfall falls back to the first step and says so; a job with no steps is left out', () => {
    const unit3 = baseline.jobs.find((job) => job.runId === 3 && job.job === 'unit')!;
    expect(unit3).toMatchObject({ queue: 360, run: 120, queueFromFirstStep: true });
    expect(baseline.dropped).toEqual([{ jobId: 304, reason: 'no steps' }]);
    expect(baseline.notes).toEqual([
      "1 job reported started_at equal to created_at (actions/runner#1881): their queue time runs to the first step's start",
      '1 job left out: no steps',
      '1 job could not be matched to a job of the audited workflow files: class "unknown"',
    ]);
  });

  it('a negative gap is dropped, not counted as a queue', () => {
    const history = goHistory().slice(0, 1);
    history[0]!.jobs[0]!.startedAt = '2026-11-30T07:59:58Z';
    expect(latencyBaseline(history, undefined).dropped).toContainEqual({ jobId: 101, reason: 'negative queue' });
  });
});

describe('what-if: the external-safe jobs move to an external lane with pickup P', () => {
  it('go history: small jobs stop waiting behind the heavy one', () => {
    const result = whatIf(latencyBaseline(goHistory(), singleRunnerAudit()).jobs, 10);
    expect(result).toMatchObject({
      pickup: 10,
      moved: 6,
      remaining: { before: { count: 3, p50: 60, p95: 60, max: 60 }, after: { count: 3, p50: 0, p95: 0, max: 0 } },
      movedQueue: { before: { count: 6, p50: 0, p95: 360, max: 360 }, after: { count: 6, p50: 10, p95: 70, max: 70 } },
    });
    expect(result.assumptions[2]).toBe('the external lane is one runner that needs 10 s to pick a job up');
  });

  it('no-go history: pickup already about a second, the move only adds the external pickup', () => {
    const result = whatIf(latencyBaseline(noGoHistory(), singleRunnerAudit()).jobs, 10);
    expect(result).toMatchObject({
      moved: 8,
      remaining: { before: { count: 4, p95: 0 }, after: { count: 4, p95: 0 } },
      movedQueue: { before: { count: 8, p95: 0 }, after: { count: 8, p95: 10 } },
    });
  });
});

describe('jobs already on the external lane', () => {
  it('are not the team\'s runner: the what-if leaves them out like hosted jobs', () => {
    const history = goHistory().map((item) => ({ ...item, jobs: item.jobs.map((job) => (job.name === 'lint' ? { ...job, labels: ['burst'] } : job)) }));
    const onLane = latencyBaseline(history, singleRunnerAudit(), { laneLabel: 'burst' }).jobs.filter((job) => job.job === 'lint');
    expect(onLane.map((job) => [job.lane, job.ownRunner])).toEqual([['[burst]', false], ['[burst]', false], ['[burst]', false]]);
    // without the lane label, "burst" reads as one more runner of the team's
    expect(latencyBaseline(history, singleRunnerAudit()).jobs.filter((job) => job.job === 'lint').every((job) => job.ownRunner)).toBe(true);
  });
});
