import type { MeasuredJob } from './latency.js';
import { BURDEN_ITEMS, type PriceBook, type RunnerShape } from './prices.js';
import type { WhatIf } from './what-if.js';

export interface ShapeCost {
  id: string;
  name: string;
  billing: RunnerShape['billing'];
  addsCapacity: boolean;
  /** minutes billed per month, as the shape rounds them */
  billedMinutes: number;
  perMonth: number;
  /** per hour of queue time the what-if saves per month; undefined when it saves none */
  perHourSaved: number | undefined;
  burdenHours: number;
  burden: RunnerShape['burden'];
  read: string;
  source: string;
}

export interface CostEstimate {
  currency: string;
  /** the window scaled to 30 days */
  scale: number;
  jobsPerMonth: number;
  /** run minutes of the moving jobs per month, unrounded */
  minutesPerMonth: number;
  /** queue hours the what-if saves per month over every job of the team's runners */
  queueHoursSavedPerMonth: number;
  shapes: ShapeCost[];
}

const cents = (value: number) => Math.round(value * 100) / 100;

/**
 * What the jobs the what-if moves would cost on each shape per month: their run
 * times from the window, scaled to 30 days, rounded as each shape bills (GitHub and
 * the per-minute vendors round each job up to the minute). Pure.
 */
export function estimateCost(jobs: MeasuredJob[], whatIf: WhatIf, windowDays: number, book: PriceBook): CostEstimate {
  const moving = jobs.filter((job) => job.ownRunner && job.class === 'external-safe');
  const scale = windowDays > 0 ? 30 / windowDays : 0;
  const seconds = moving.reduce((sum, job) => sum + job.run, 0);
  const roundedMinutes = moving.reduce((sum, job) => sum + Math.max(1, Math.ceil(job.run / 60)), 0);
  const hoursSaved = (Math.max(0, whatIf.totalQueue.before - whatIf.totalQueue.after) * scale) / 3600;
  const shapes = book.shapes.map((shape): ShapeCost => {
    const billedMinutes = shape.billing === 'per-minute' ? roundedMinutes * scale : shape.billing === 'per-second' ? (seconds / 60) * scale : 0;
    const perMonth = shape.billing === 'fixed-monthly' ? shape.price : shape.billing === 'marginal-zero' ? 0 : billedMinutes * shape.price;
    return {
      id: shape.id,
      name: shape.name,
      billing: shape.billing,
      addsCapacity: shape.addsCapacity,
      billedMinutes: cents(billedMinutes),
      perMonth: cents(perMonth),
      perHourSaved: hoursSaved > 0 ? cents(perMonth / hoursSaved) : undefined,
      burdenHours: cents(BURDEN_ITEMS.reduce((sum, item) => sum + shape.burden[item], 0)),
      burden: shape.burden,
      read: shape.read,
      source: shape.source,
    };
  });
  return { currency: book.currency, scale: cents(scale), jobsPerMonth: cents(moving.length * scale), minutesPerMonth: cents((seconds / 60) * scale), queueHoursSavedPerMonth: cents(hoursSaved), shapes };
}
