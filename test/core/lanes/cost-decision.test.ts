import { describe, expect, it } from 'vitest';
import { estimateCost } from '../../../src/core/lanes/cost.js';
import { decide } from '../../../src/core/lanes/decision.js';
import type { MeasuredJob } from '../../../src/core/lanes/latency.js';
import type { PriceBook } from '../../../src/core/lanes/prices.js';
import { whatIf } from '../../../src/core/lanes/what-if.js';

const zero = { upgrades: 0, osPatches: 0, tokenRotation: 0, imageCaching: 0, monitoring: 0 };
const book: PriceBook = {
  currency: 'USD',
  shapes: [
    { id: 'minute', name: 'per minute', billing: 'per-minute', price: 0.01, addsCapacity: true, read: '2026-12-07', source: 'x', burden: zero },
    { id: 'second', name: 'per second', billing: 'per-second', price: 0.01, addsCapacity: true, read: '2026-12-07', source: 'x', burden: { ...zero, monitoring: 1 } },
    { id: 'owned', name: 'owned', billing: 'marginal-zero', price: 0, addsCapacity: false, read: '2026-12-07', source: 'x', burden: zero },
  ],
};
const job = (jobId: number, arrival: number, run: number, cls: MeasuredJob['class']): MeasuredJob => ({ runId: 1, jobId, workflow: 'ci.yml', job: `j${jobId}`, lane: '[lab]', ownRunner: true, class: cls, movable: cls === 'external-safe', arrival, queue: 0, run, queueFromFirstStep: false });

describe('cost and decision', () => {
  // a heavy local-only job first, then two 61 s checks behind it
  const jobs = [job(1, 0, 600, 'local-only'), job(2, 0, 61, 'external-safe'), job(3, 0, 61, 'external-safe')];
  const w = whatIf(jobs, 10);

  it('per-minute billing rounds each job up; per-second does not; scaled from the window to 30 days', () => {
    const cost = estimateCost(jobs, w, 15, book);
    expect(cost.scale).toBe(2);
    expect(cost.shapes.map((s) => [s.id, s.billedMinutes, s.perMonth])).toEqual([
      ['minute', 8, 0.08],
      ['second', 4.07, 0.04],
      ['owned', 0, 0],
    ]);
    // queue before: 0 + 600 + 661 = 1261 s; after: 10 + 71 = 81 s (the local job runs at once) -> 1180 s x 2
    expect(cost.queueHoursSavedPerMonth).toBe(0.66);
  });

  it('the cheapest adequate shape is never the one that shares capacity; thresholds decide', () => {
    const cost = estimateCost(jobs, w, 15, book);
    expect(decide(w, cost, { minSaving: 60, budget: 1 })).toMatchObject({ answer: 'go', saving: 661 - 71, cheapest: { id: 'second' } });
    expect(decide(w, cost, { minSaving: 60, budget: 0.01 })).toMatchObject({ answer: 'no-go', budgetMet: false, wouldChange: ['a budget of at least 0.04 USD/month, or a cheaper shape'] });
    expect(decide(w, cost, { minSaving: 600, budget: 1 })).toMatchObject({ answer: 'no-go', savingMet: false });
  });
});
