import type { RunSnapshot } from './types.js';

/**
 * The run a dispatch started, found by the correlation id the workflow's
 * `run-name` shows. Never "the newest run": another dispatcher's run may be newer.
 * Undefined while the forge has not listed it yet; an error when two runs carry
 * the id (the id was reused: nothing can tell them apart).
 */
export function findCorrelatedRun(runs: readonly RunSnapshot[], correlationId: string): RunSnapshot | 'ambiguous' | undefined {
  const token = correlationId.toLowerCase();
  const matches = runs.filter((run) => run.title.toLowerCase().includes(token));
  if (matches.length > 1) return 'ambiguous';
  return matches[0];
}

/** A correlation id: short, unique enough across concurrent dispatchers, safe in a title. */
export function correlationIdFrom(randomHex: string, now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
  return `mr-${stamp}-${randomHex.slice(0, 8)}`;
}
